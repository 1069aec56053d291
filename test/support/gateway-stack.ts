/**
 * The whole gateway in-process for end-to-end tests: real config (with test overrides), the
 * private test Redis under a unique prefix, the outbox provider (or one given), a fixed clock,
 * workers running. Cleans its keys on close.
 */
import os from 'node:os';
import path from 'node:path';
import { buildGateway, type Gateway } from '../../src/compose/gateway';
import { loadConfig, type Config } from '../../src/config/load';
import { createLogger } from '../../src/kernel/logger';
import { fixedClock } from '../../src/kernel/clock';
import type { SmsProvider } from '../../src/sms/outbound/sms-provider';
import { deletePrefix, testRedisUrl, uniquePrefix } from './redis';

export interface GatewayStack {
  gateway: Gateway;
  config: Config;
  clock: ReturnType<typeof fixedClock>;
  prefix: string;
  close(): Promise<void>;
}

export async function startGatewayStack(options: { env?: Record<string, string>; now?: string; provider?: SmsProvider; workers?: boolean; prefix?: string } = {}): Promise<GatewayStack> {
  const prefix = options.prefix ?? uniquePrefix('gw');
  const config = loadConfig({
    REDIS_PREFIX: prefix,
    FLOWS_DIR: path.resolve(__dirname, '../../flows'),
    LOG_LEVEL: 'silent',
    SMS_OUTBOX_DLR_DELAY_MS: '50',
    SMS_RATE_PER_SECOND: '200',
    QUIET_HOURS: 'off',
    SMS_PER_PHONE_HOURLY_CAP: '20',
    // Never the repository's data/spool: nothing another run left there is replayed here.
    SPOOL_DIR: path.join(os.tmpdir(), `kiungo-spool-${prefix}`),
    ...options.env,
  });
  const clock = fixedClock(options.now ?? '2015-08-17T05:00:00.000Z');
  const gateway = await buildGateway({ config, logger: createLogger('silent'), redisUrl: testRedisUrl(), defaultMetrics: false, clock, ...(options.provider ? { provider: options.provider } : {}) });
  if (options.workers !== false) await gateway.startWorkers();
  return {
    gateway, config, clock, prefix,
    async close() {
      await gateway.close();
      const { connectTestRedis, closeRedis } = await import('./redis');
      const redis = await connectTestRedis('cleanup');
      await deletePrefix(redis, prefix);
      await closeRedis(redis);
    },
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
