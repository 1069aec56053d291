/**
 * Late action results: an action that passed its node's deadline is recorded here before the
 * caller gets the "we will send the result by SMS" END, and completed when its outcome has been
 * queued as an SMS. A record still open when its window passes (the process died mid-action) is
 * moved to the lost list by `sweep`, exactly once whichever process sweeps. While a late action
 * is in flight, the same action for the same phone and pack is not started again (a redial).
 */
import type { Snapshot } from '../engine';
import type { Language } from '../kernel/language';
import { TTL, type Keys } from '../infra/redis/keys';
import type { RedisClient } from '../infra/redis/client';
import { defineScript, runScript } from '../infra/redis/lua';
import type { Erasable } from '../privacy/erasable';

export interface LateRecord {
  /** The hop's id plus the action's place in it: `<sessionId>:<hop>:<n>`. */
  id: string;
  packId: string;
  sessionId: string;
  phone: string;
  lang: Language;
  action: string;
  /** The session as it stood on the action node: its outcome is resolved from here. */
  snapshot: Snapshot;
  startedAt: string;
  /** When the record counts as lost if no result came (ISO). */
  lostAt: string;
}

/** A finished late action as the organiser's listing shows it. */
export interface LateListing {
  id: string;
  packId: string;
  sessionId: string;
  action: string;
  startedAt: string;
  /** `recovered`: the outcome went out by SMS; `lost`: no result came in time. */
  state: 'recovered' | 'lost';
  at: string;
  /** The ledger id of the result SMS (recovered only). */
  messageId?: string;
  outcome?: string;
}

export type LateCounts = { late: number; recovered: number; lost: number };

/**
 * open-late.lua
 * KEYS[1] in-flight hash, KEYS[2] records hash, KEYS[3] pending zset, KEYS[4] counts hash
 * ARGV[1] in-flight field, ARGV[2] id, ARGV[3] record JSON, ARGV[4] lost-at (ms), ARGV[5] counts field
 * Returns 1 when opened; 0 when the id was already open (a repeated call changes nothing).
 */
const openScript = defineScript('open-late', `
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[2])
redis.call('HINCRBY', KEYS[4], ARGV[5], 1)
return 1
`);

/**
 * close-late.lua
 * KEYS[1] in-flight hash, KEYS[2] records hash, KEYS[3] pending zset, KEYS[4] counts hash, KEYS[5] target list
 * ARGV[1] id, ARGV[2] in-flight field, ARGV[3] counts field, ARGV[4] listing JSON, ARGV[5] list TTL (s)
 * Closes an open late action once (recovered or lost): removes it from pending and in-flight,
 * counts it and lists it. Returns 1 when this call closed it, 0 when it was already closed.
 */
const closeScript = defineScript('close-late', `
if redis.call('ZREM', KEYS[3], ARGV[1]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], ARGV[2]) == ARGV[1] then redis.call('HDEL', KEYS[1], ARGV[2]) end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HINCRBY', KEYS[4], ARGV[3], 1)
redis.call('LPUSH', KEYS[5], ARGV[4])
redis.call('LTRIM', KEYS[5], 0, 999)
redis.call('EXPIRE', KEYS[5], ARGV[5])
return 1
`);

export interface LateResults {
  /** The id of the late action in flight for this phone, pack and action, or null. */
  inFlight(packId: string, phone: string, action: string): Promise<string | null>;
  /** Records a late action. Repeating it with the same id changes nothing. */
  open(record: LateRecord): Promise<void>;
  /** Marks it recovered (its result SMS is queued). Returns false when it was already closed (reported lost). */
  recovered(record: LateRecord, at: Date, outcome: string, messageId: string | undefined): Promise<boolean>;
  /** Moves every open record past its window to the lost list; returns those this call moved. */
  sweep(now: Date): Promise<LateRecord[]>;
  counts(packId: string): Promise<LateCounts>;
  /** Recent recovered and lost late actions of the pack, newest first, plus those still open. */
  listing(packId: string): Promise<{ open: LateRecord[]; finished: LateListing[] }>;
  /** Drops the records that carry the number. */
  erase: Erasable['erase'];
}

const inFlightField = (packId: string, phone: string, action: string): string => `${packId}|${phone}|${action}`;
const countField = (packId: string, what: keyof LateCounts): string => `${packId}|${what}`;

export function createLateResults(redis: RedisClient, keys: Keys): LateResults {
  const k = keys.late;
  const close = async (record: LateRecord, listing: LateListing, list: string): Promise<boolean> =>
    (await runScript(redis, closeScript, [k.inFlight(), k.records(), k.pending(), k.counts(), list], [
      record.id, inFlightField(record.packId, record.phone, record.action), countField(record.packId, listing.state), JSON.stringify(listing), TTL.lateRecordS,
    ])) === 1;
  const listingOf = (record: LateRecord, state: LateListing['state'], at: Date): LateListing => ({
    id: record.id, packId: record.packId, sessionId: record.sessionId, action: record.action, startedAt: record.startedAt, state, at: at.toISOString(),
  });
  return {
    async inFlight(packId, phone, action) {
      return redis.hget(k.inFlight(), inFlightField(packId, phone, action));
    },
    async open(record) {
      await runScript(redis, openScript, [k.inFlight(), k.records(), k.pending(), k.counts()], [
        inFlightField(record.packId, record.phone, record.action), record.id, JSON.stringify(record), Date.parse(record.lostAt), countField(record.packId, 'late'),
      ]);
    },
    async recovered(record, at, outcome, messageId) {
      return close(record, { ...listingOf(record, 'recovered', at), outcome, ...(messageId ? { messageId } : {}) }, k.recovered());
    },
    async sweep(now) {
      const due = await redis.zrangebyscore(k.pending(), '-inf', now.getTime(), 'LIMIT', 0, 100);
      const moved: LateRecord[] = [];
      for (const id of due) {
        const raw = await redis.hget(k.records(), id);
        if (!raw) {
          await redis.zrem(k.pending(), id);
          continue;
        }
        const record = JSON.parse(raw) as LateRecord;
        if (await close(record, listingOf(record, 'lost', now), k.lost())) moved.push(record);
      }
      return moved;
    },
    async counts(packId) {
      const [late, recovered, lost] = await redis.hmget(k.counts(), countField(packId, 'late'), countField(packId, 'recovered'), countField(packId, 'lost'));
      return { late: Number(late ?? 0), recovered: Number(recovered ?? 0), lost: Number(lost ?? 0) };
    },
    async listing(packId) {
      const [records, recovered, lost] = await Promise.all([redis.hvals(k.records()), redis.lrange(k.recovered(), 0, 199), redis.lrange(k.lost(), 0, 199)]);
      const open = records.map((raw) => JSON.parse(raw) as LateRecord).filter((r) => r.packId === packId);
      const finished = [...recovered, ...lost]
        .map((raw) => JSON.parse(raw) as LateListing)
        .filter((l) => l.packId === packId)
        .sort((a, b) => b.at.localeCompare(a.at));
      return { open: open.map((r) => ({ ...r, phone: '' })), finished };
    },
    async erase(_packId, phone) {
      let erased = 0;
      for (const [id, raw] of Object.entries(await redis.hgetall(k.records()))) {
        const record = JSON.parse(raw) as LateRecord;
        if (record.phone !== phone) continue;
        // A result still on its way is sent but no longer counted: nothing here keeps the number.
        await redis.zrem(k.pending(), id);
        await redis.hdel(k.inFlight(), inFlightField(record.packId, record.phone, record.action));
        erased += await redis.hdel(k.records(), id);
      }
      return erased;
    },
  };
}
