/**
 * Funnel statistics: how many hops entered each node, where sessions ended by the flow, and where
 * callers dropped (AT's end-of-session notifications). Best effort: never fails a hop.
 */
import type { Effect } from '../engine';
import type { Metrics } from '../kernel/metrics';
import { normalisePhone } from '../kernel/phone';
import { TTL, type Keys } from '../infra/redis/keys';
import type { Logger } from '../kernel/logger';
import type { RedisClient } from '../infra/redis/client';
import type { Erasable } from '../privacy/erasable';

export interface UssdStats {
  /** Counts in memory; written to Redis once a second (and on close), not on every hop. */
  recordHop(packId: string, effects: Effect[], outcome: 'con' | 'end' | 'busy' | 'bad_request' | 'replayed'): void;
  recordSessionEnd(event: { packId: string | null; sessionId: string; status: string; lastNode: string | null; raw: Record<string, string> }): Promise<void>;
  funnel(packId: string): Promise<{ entries: Record<string, number>; dropOffs: Record<string, number>; completions: Record<string, number> }>;
  /** Writes what is counted so far. Never throws. */
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Drops the stored end-of-session notifications that carry the number (any pack). */
  erase: Erasable['erase'];
}

function toNumbers(hash: Record<string, string>): Record<string, number> {
  return Object.fromEntries(Object.entries(hash).map(([k, v]) => [k, Number(v)]));
}

/** AT's end statuses as a closed label set: anything else a caller writes counts as `other`. */
const END_STATUSES = ['Success', 'Incomplete', 'Failed'] as const;
export function endStatusLabel(status: string): string {
  if (status === '') return 'unknown';
  return END_STATUSES.find((known) => known.toLowerCase() === status.toLowerCase()) ?? 'other';
}

export function createUssdStats(redis: RedisClient, keys: Keys, metrics: Metrics, logger: Logger, flushEveryMs = 1000): UssdStats {
  const hops = metrics.counter('kiungo_ussd_hops_total', 'USSD hops answered, by outcome', ['outcome'] as const);
  const ends = metrics.counter('kiungo_ussd_session_ends_total', 'USSD session ends reported by AT, by status', ['status'] as const);
  // key -> field -> count, waiting for the next flush.
  let pending = new Map<string, Map<string, number>>();
  const add = (key: string, field: string): void => {
    const fields = pending.get(key) ?? new Map<string, number>();
    fields.set(field, (fields.get(field) ?? 0) + 1);
    pending.set(key, fields);
  };
  const flush = async (): Promise<void> => {
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    const pipeline = redis.pipeline();
    for (const [key, fields] of batch) for (const [field, count] of fields) pipeline.hincrby(key, field, count);
    await pipeline.exec().catch((error: unknown) => logger.debug({ err: error }, 'ussd stats not recorded'));
  };
  const timer = setInterval(() => void flush(), flushEveryMs);
  timer.unref();
  return {
    recordHop(packId, effects, outcome) {
      hops.inc({ outcome });
      for (const effect of effects) {
        if (effect.type === 'node_entered') add(keys.ussd.nodeEntries(packId), String(effect.node));
        else if (effect.type === 'session_ended') add(keys.ussd.completions(packId), String(effect.node));
      }
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
    async recordSessionEnd(event) {
      ends.inc({ status: endStatusLabel(event.status) });
      const pipeline = redis.pipeline();
      if (event.packId && event.lastNode && event.status.toLowerCase() !== 'success')
        pipeline.hincrby(keys.ussd.nodeDropOffs(event.packId), event.lastNode, 1);
      pipeline.lpush(keys.ussd.events(), JSON.stringify({ ...event.raw, packId: event.packId, lastNode: event.lastNode }));
      pipeline.ltrim(keys.ussd.events(), 0, 9999);
      pipeline.expire(keys.ussd.events(), TTL.ussdEventS);
      await pipeline.exec();
    },
    async erase(_packId, phone) {
      let erased = 0;
      // AT writes the number as it likes (+255..., 255..., 07...): compare the numbers they name.
      const samePhone = (value: string | undefined): boolean => {
        const read = normalisePhone(value ?? '');
        return read.ok ? read.e164 === phone : (value ?? '').replace(/\D/g, '') === phone.replace(/\D/g, '');
      };
      for (const raw of await redis.lrange(keys.ussd.events(), 0, -1)) {
        if (!samePhone((JSON.parse(raw) as { phoneNumber?: string }).phoneNumber)) continue;
        erased += await redis.lrem(keys.ussd.events(), 0, raw);
      }
      return erased;
    },
    async funnel(packId) {
      await flush();
      const [entries, dropOffs, completions] = await Promise.all([
        redis.hgetall(keys.ussd.nodeEntries(packId)),
        redis.hgetall(keys.ussd.nodeDropOffs(packId)),
        redis.hgetall(keys.ussd.completions(packId)),
      ]);
      return { entries: toNumbers(entries), dropOffs: toNumbers(dropOffs), completions: toNumbers(completions) };
    },
  };
}
