/**
 * What every wiring function shares: the configuration, the logger and clock, the app's Redis
 * connection and key builder, the metrics registry, a way to open more connections, and the list
 * of closers run in reverse order when the gateway stops.
 */
import type { Config } from '../config/load';
import { closeRedis, createRedis, type ConnectionRole, type RedisClient } from '../infra/redis/client';
import { createKeys, type Keys } from '../infra/redis/keys';
import type { Clock } from '../kernel/clock';
import type { Logger } from '../kernel/logger';
import { createMetrics, type Metrics } from '../kernel/metrics';

export type Closer = () => Promise<void>;

export interface Resources {
  config: Config;
  logger: Logger;
  clock: Clock;
  redisUrl: string;
  redis: RedisClient;
  keys: Keys;
  metrics: Metrics;
  /** A new named connection (closed with the gateway); `blocking` for workers, `hop` for the USSD hop. */
  connect(name: string, role?: ConnectionRole): RedisClient;
  /** Runs `closer` when the gateway closes (last added, first run). */
  onClose(closer: Closer): void;
  /** Runs every closer, newest first; never throws. */
  closeAll(): Promise<void>;
}

export function createResources(options: { config: Config; logger: Logger; clock: Clock; redisUrl: string; defaultMetrics?: boolean }): Resources {
  const { config, logger, redisUrl } = options;
  const closers: Closer[] = [];
  const connect = (name: string, role: ConnectionRole = 'command'): RedisClient => {
    const client = createRedis({ url: redisUrl, commandTimeoutMs: config.redis.commandTimeoutMs, name, role });
    client.on('error', (error: Error) => logger.debug({ err: error.message, connection: name }, 'redis connection error'));
    client.on('reopen', () => logger.warn({ connection: name }, 'redis connection ended without being closed (a Sentinel switch during a reconnect): opening it again'));
    closers.push(() => closeRedis(client));
    return client;
  };
  return {
    config, logger, clock: options.clock, redisUrl,
    redis: connect('app'),
    keys: createKeys(config.redis.prefix),
    metrics: createMetrics({ defaultMetrics: options.defaultMetrics }),
    connect,
    onClose: (closer) => { closers.push(closer); },
    async closeAll() {
      for (const close of closers.splice(0).reverse()) {
        try {
          await close();
        } catch (error) {
          logger.warn({ err: error }, 'error while closing');
        }
      }
    },
  };
}
