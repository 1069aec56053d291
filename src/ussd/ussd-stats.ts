/**
 * Funnel statistics: how many hops entered each node, where sessions ended by the flow, and where
 * callers dropped (AT's end-of-session notifications). Best effort: never fails a hop.
 */
import type { Effect } from '../engine';
import type { Metrics } from '../http/metrics';
import { TTL, type Keys } from '../infra/keys';
import type { Logger } from '../infra/logger';
import type { RedisClient } from '../infra/redis';

export interface UssdStats {
  recordHop(packId: string, effects: Effect[], outcome: 'con' | 'end' | 'busy' | 'bad_request' | 'replayed'): void;
  recordSessionEnd(event: { packId: string | null; sessionId: string; status: string; lastNode: string | null; raw: Record<string, string> }): Promise<void>;
  funnel(packId: string): Promise<{ entries: Record<string, number>; dropOffs: Record<string, number>; completions: Record<string, number> }>;
}

function toNumbers(hash: Record<string, string>): Record<string, number> {
  return Object.fromEntries(Object.entries(hash).map(([k, v]) => [k, Number(v)]));
}

export function createUssdStats(redis: RedisClient, keys: Keys, metrics: Metrics, logger: Logger): UssdStats {
  const hops = metrics.counter('kiungo_ussd_hops_total', 'USSD hops answered, by outcome', ['outcome'] as const);
  const ends = metrics.counter('kiungo_ussd_session_ends_total', 'USSD session ends reported by AT, by status', ['status'] as const);
  return {
    recordHop(packId, effects, outcome) {
      hops.inc({ outcome });
      const entered = effects.filter((e) => e.type === 'node_entered').map((e) => String(e.node));
      const ended = effects.filter((e) => e.type === 'session_ended').map((e) => String(e.node));
      if (entered.length === 0 && ended.length === 0) return;
      const pipeline = redis.pipeline();
      for (const node of entered) pipeline.hincrby(keys.ussd.nodeEntries(packId), node, 1);
      for (const node of ended) pipeline.hincrby(keys.ussd.completions(packId), node, 1);
      pipeline.exec().catch((error: unknown) => logger.debug({ err: error }, 'ussd stats not recorded'));
    },
    async recordSessionEnd(event) {
      ends.inc({ status: event.status || 'unknown' });
      const pipeline = redis.pipeline();
      if (event.packId && event.lastNode && event.status.toLowerCase() !== 'success')
        pipeline.hincrby(keys.ussd.nodeDropOffs(event.packId), event.lastNode, 1);
      pipeline.lpush(keys.ussd.events(), JSON.stringify({ ...event.raw, packId: event.packId, lastNode: event.lastNode }));
      pipeline.ltrim(keys.ussd.events(), 0, 9999);
      pipeline.expire(keys.ussd.events(), TTL.ussdEventS);
      await pipeline.exec();
    },
    async funnel(packId) {
      const [entries, dropOffs, completions] = await Promise.all([
        redis.hgetall(keys.ussd.nodeEntries(packId)),
        redis.hgetall(keys.ussd.nodeDropOffs(packId)),
        redis.hgetall(keys.ussd.completions(packId)),
      ]);
      return { entries: toNumbers(entries), dropOffs: toNumbers(dropOffs), completions: toNumbers(completions) };
    },
  };
}
