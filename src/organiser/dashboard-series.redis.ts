/**
 * The dashboard's per-minute SMS counters and its USSD sessions by network, in Redis. Counted in
 * memory and written once a second (and on close), never on the send path's clock; each minute's
 * counter expires after two days, and the network hash holds one field per network code, so
 * nothing grows without bound. Best effort: a failed write loses a few counts, never a message.
 */
import type { Clock } from '../kernel/clock';
import type { Logger } from '../kernel/logger';
import type { RedisClient } from '../infra/redis/client';
import { TTL, type Keys } from '../infra/redis/keys';

/** The SMS states the dashboard draws per minute. */
export const SERIES_STATES = ['sent', 'delivered', 'failed'] as const;
export type SeriesState = (typeof SERIES_STATES)[number];

export interface DashboardSeries {
  /** `count` recipients reached `state` now (other states are ignored). */
  smsEntered(state: string, count: number): void;
  /** A USSD session began on `packId` through network `networkCode` (AT's code, e.g. 64004). */
  sessionStarted(packId: string, networkCode: string): void;
  /** Counts per minute from `fromMinute` to `toMinute` (epoch minutes, both included), zeros where none. */
  smsPerMinute(fromMinute: number, toMinute: number): Promise<Record<SeriesState, number[]>>;
  networks(packId: string): Promise<Record<string, number>>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createDashboardSeries(redis: RedisClient, keys: Keys, clock: Clock, logger: Logger, flushEveryMs = 1000): DashboardSeries {
  let minutes = new Map<string, number>();
  let networks = new Map<string, Map<string, number>>();
  const flush = async (): Promise<void> => {
    if (minutes.size === 0 && networks.size === 0) return;
    const [m, n] = [minutes, networks];
    minutes = new Map();
    networks = new Map();
    // One command at a time (auto-pipelined per node): the minute counters and the per-pack hashes
    // sit in different Cluster slots, which one pipeline may not span.
    const writes: Array<Promise<unknown>> = [];
    for (const [key, count] of m) writes.push(redis.incrby(key, count), redis.expire(key, TTL.dashboardMinuteS));
    for (const [key, fields] of n) for (const [code, count] of fields) writes.push(redis.hincrby(key, code, count));
    await Promise.all(writes).catch((error: unknown) => logger.debug({ err: error }, 'dashboard counters not recorded'));
  };
  const timer = setInterval(() => void flush(), flushEveryMs);
  timer.unref();
  return {
    smsEntered(state, count) {
      if (count <= 0 || !(SERIES_STATES as readonly string[]).includes(state)) return;
      const key = keys.dashboard.smsMinute(state, Math.floor(clock.now().getTime() / 60_000));
      minutes.set(key, (minutes.get(key) ?? 0) + count);
    },
    sessionStarted(packId, networkCode) {
      // AT sends MCC+MNC digits; anything else is counted as unknown so the hash stays small.
      const code = /^\d{5,6}$/.test(networkCode) ? networkCode : 'unknown';
      const key = keys.dashboard.networks(packId);
      const fields = networks.get(key) ?? new Map<string, number>();
      fields.set(code, (fields.get(code) ?? 0) + 1);
      networks.set(key, fields);
    },
    async smsPerMinute(fromMinute, toMinute) {
      await flush();
      const span: number[] = [];
      for (let m = fromMinute; m <= toMinute; m++) span.push(m);
      const out = {} as Record<SeriesState, number[]>;
      for (const state of SERIES_STATES) {
        const values = span.length ? await redis.mget(span.map((m) => keys.dashboard.smsMinute(state, m))) : [];
        out[state] = values.map((v) => Number(v ?? 0));
      }
      return out;
    },
    async networks(packId) {
      await flush();
      const hash = await redis.hgetall(keys.dashboard.networks(packId));
      return Object.fromEntries(Object.entries(hash).map(([k, v]) => [k, Number(v)]));
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
