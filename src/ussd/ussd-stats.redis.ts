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
import { networkOf, NETWORKS, type Network } from '../kernel/network';

/** How a session ended, as AT reports it, folded into a closed set. */
export type EndCause = 'success' | 'incomplete' | 'failed' | 'other';
const END_CAUSES: readonly EndCause[] = ['success', 'incomplete', 'failed', 'other'];

export function endCauseOf(status: string): EndCause {
  const cause = status.trim().toLowerCase();
  return (END_CAUSES as readonly string[]).includes(cause) ? (cause as EndCause) : 'other';
}

/** One network's USSD figures for a pack. */
export interface NetworkUssdStats {
  hops: number;
  /** Mean hop time in ms as measured at the webhook (0 without hops). */
  meanHopMs: number;
  /** Hops answered with the busy END (past USSD_DEADLINE_MS or Redis failing). */
  busy: number;
  sessionEnds: Record<EndCause, number>;
}

export interface UssdStats {
  /** Counts in memory; written to Redis once a second (and on close), not on every hop. */
  recordHop(packId: string, effects: Effect[], outcome: 'con' | 'end' | 'busy' | 'bad_request' | 'replayed'): void;
  recordSessionEnd(event: { packId: string | null; sessionId: string; status: string; lastNode: string | null; raw: Record<string, string>; networkCode?: string }): Promise<void>;
  /** One answered hop's time at the webhook, by the caller's network (counted in memory, flushed with the rest). */
  recordNetworkHop(packId: string, networkCode: string, ms: number, busy: boolean): void;
  /** The pack's hops, hop time and session ends by network (every label, zeros included). */
  networks(packId: string): Promise<Record<Network, NetworkUssdStats>>;
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
  const endsByNetwork = metrics.counter('kiungo_ussd_session_ends_by_network_total', 'USSD session ends reported by AT, by network and cause', ['network', 'cause'] as const);
  const hopTime = metrics.histogram('kiungo_ussd_hop_duration_seconds', 'USSD hop time at the webhook, by network', ['network'] as const, [0.01, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5]);
  // key -> field -> count, waiting for the next flush.
  let pending = new Map<string, Map<string, number>>();
  const add = (key: string, field: string, by = 1): void => {
    const fields = pending.get(key) ?? new Map<string, number>();
    fields.set(field, (fields.get(field) ?? 0) + by);
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
  // Every hop counts under its pack's keys and its network's fields: their names are built once.
  const packKeys = new Map<string, { entries: string; completions: string; networks: string }>();
  const keysOf = (packId: string): { entries: string; completions: string; networks: string } => {
    let found = packKeys.get(packId);
    if (!found) {
      found = { entries: keys.ussd.nodeEntries(packId), completions: keys.ussd.completions(packId), networks: keys.network.stats(packId) };
      // Pack ids come from the loaded packs, so few; a bound all the same.
      if (packKeys.size < 1000) packKeys.set(packId, found);
    }
    return found;
  };
  const networkFields = new Map<Network, { hops: string; hopMs: string; busy: string }>(NETWORKS.map((n) => [n, { hops: `${n}|hops`, hopMs: `${n}|hop_ms`, busy: `${n}|busy` }]));
  const timer = setInterval(() => void flush(), flushEveryMs);
  timer.unref();
  return {
    recordHop(packId, effects, outcome) {
      hops.inc({ outcome });
      for (const effect of effects) {
        if (effect.type === 'node_entered') add(keysOf(packId).entries, String(effect.node));
        else if (effect.type === 'session_ended') add(keysOf(packId).completions, String(effect.node));
      }
    },
    recordNetworkHop(packId, networkCode, ms, busy) {
      const network = networkOf(networkCode);
      hopTime.observe({ network }, ms / 1000);
      if (!packId) return;
      const key = keysOf(packId).networks;
      const fields = networkFields.get(network) ?? { hops: `${network}|hops`, hopMs: `${network}|hop_ms`, busy: `${network}|busy` };
      add(key, fields.hops);
      add(key, fields.hopMs, Math.round(ms));
      if (busy) add(key, fields.busy);
    },
    async networks(packId) {
      await flush();
      const hash = await redis.hgetall(keys.network.stats(packId));
      const n = (network: Network, field: string): number => Number(hash[`${network}|${field}`] ?? 0);
      return Object.fromEntries(NETWORKS.map((network) => {
        const hops = n(network, 'hops');
        return [network, {
          hops, meanHopMs: hops > 0 ? Math.round(n(network, 'hop_ms') / hops) : 0, busy: n(network, 'busy'),
          sessionEnds: Object.fromEntries(END_CAUSES.map((cause) => [cause, n(network, `end_${cause}`)])) as Record<EndCause, number>,
        }];
      })) as Record<Network, NetworkUssdStats>;
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
    async recordSessionEnd(event) {
      ends.inc({ status: endStatusLabel(event.status) });
      const network = networkOf(event.networkCode);
      const cause = endCauseOf(event.status);
      endsByNetwork.inc({ network, cause });
      // The counters ({ussd} slot) and the notification list live in different Cluster slots: one
      // pipeline each (ioredis refuses a pipeline across slots on a Cluster).
      const counters = redis.pipeline();
      if (event.packId) counters.hincrby(keys.network.stats(event.packId), `${network}|end_${cause}`, 1);
      if (event.packId && event.lastNode && event.status.toLowerCase() !== 'success')
        counters.hincrby(keys.ussd.nodeDropOffs(event.packId), event.lastNode, 1);
      const list = redis.pipeline();
      list.lpush(keys.ussd.events(), JSON.stringify({ ...event.raw, packId: event.packId, lastNode: event.lastNode }));
      list.ltrim(keys.ussd.events(), 0, 9999);
      list.expire(keys.ussd.events(), TTL.ussdEventS);
      await Promise.all([counters.length > 0 ? counters.exec() : Promise.resolve(null), list.exec()]);
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
