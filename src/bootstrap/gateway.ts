/**
 * The composition root: the only place that knows the concrete adapters. It builds the Redis
 * connections, repositories, services, HTTP mounts and workers for one process, and closes them
 * in reverse order.
 */
import type { Express } from 'express';
import type { Config } from '../config/load';
import { createApp, type Mount } from '../http/app';
import { createMetrics, type Metrics } from '../http/metrics';
import { createKeys, type Keys } from '../infra/keys';
import type { Logger } from '../infra/logger';
import { closeRedis, createRedis, type RedisClient } from '../infra/redis';

export interface Gateway {
  app: Express;
  metrics: Metrics;
  redis: RedisClient;
  keys: Keys;
  /** Starts background workers (SERVICE_MODE all or worker). */
  startWorkers(): Promise<void>;
  /** Stops workers and queues, then Redis. Never throws. */
  close(): Promise<void>;
}

export interface GatewayOptions {
  config: Config;
  logger: Logger;
  redisUrl: string;
  isShuttingDown?: () => boolean;
  /** Skip default process metrics (tests build many gateways in one process). */
  defaultMetrics?: boolean;
}

type Closer = () => Promise<void>;

export async function buildGateway(options: GatewayOptions): Promise<Gateway> {
  const { config, logger, redisUrl } = options;
  const closers: Closer[] = [];
  const redis = createRedis({ url: redisUrl, commandTimeoutMs: config.redis.commandTimeoutMs, name: 'app' });
  redis.on('error', (error: Error) => logger.debug({ err: error.message }, 'redis connection error'));
  closers.push(() => closeRedis(redis));
  const keys = createKeys(config.redis.prefix);
  const metrics = createMetrics({ defaultMetrics: options.defaultMetrics });
  const mounts: Mount[] = [];
  const workerStarters: Array<() => Promise<Closer>> = [];

  const app = createApp({ logger, metrics, redis, trustProxy: config.http.trustProxy, mounts, isShuttingDown: options.isShuttingDown });

  return {
    app,
    metrics,
    redis,
    keys,
    async startWorkers() {
      for (const start of workerStarters) closers.push(await start());
    },
    async close() {
      for (const close of closers.reverse()) {
        try {
          await close();
        } catch (error) {
          logger.warn({ err: error }, 'error while closing');
        }
      }
    },
  };
}
