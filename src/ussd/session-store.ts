/**
 * USSD sessions in Redis: the snapshot of each live session (not a replay log), the answer of each
 * finished hop (so an AT retry gets the same bytes and repeats no effect), a per-session lock that
 * serialises concurrent hops, and each phone's last unfinished session for resume.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Snapshot } from '../engine';
import { TTL, type Keys } from '../infra/keys';
import type { RedisClient } from '../infra/redis';

export interface SessionRecord {
  packId: string;
  snapshot: Snapshot;
  /** AT's cumulative text as of the last hop we answered. */
  consumed: string;
  /** Set while the caller is being asked whether to continue a dropped session. */
  resumeOffer?: Snapshot;
  phone: string;
  startedAt: string;
  hops: number;
}

export interface ResumeRecord {
  sessionId: string;
  packId: string;
  snapshot: Snapshot;
}

/**
 * unlock.lua: deletes the lock only when it still holds our token.
 * KEYS[1] lock key; ARGV[1] token. Returns 1 when released, 0 otherwise.
 */
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export function hopKey(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 20);
}

export interface SessionStore {
  load(sessionId: string): Promise<SessionRecord | null>;
  save(sessionId: string, record: SessionRecord, reply: string, text: string): Promise<void>;
  replay(sessionId: string, text: string): Promise<string | null>;
  /** Tries once; resolves the release function, or null when another hop holds the lock. */
  tryLock(sessionId: string): Promise<(() => Promise<void>) | null>;
  resumeFor(phone: string): Promise<ResumeRecord | null>;
  setResume(phone: string, record: ResumeRecord): Promise<void>;
  clearResume(phone: string): Promise<void>;
}

export function createSessionStore(redis: RedisClient, keys: Keys, ttl: { sessionTtlS: number; resumeWindowS: number }): SessionStore {
  return {
    async load(sessionId) {
      const raw = await redis.get(keys.ussd.session(sessionId));
      return raw ? (JSON.parse(raw) as SessionRecord) : null;
    },

    async save(sessionId, record, reply, text) {
      // Snapshot and hop answer in one transaction: a retry sees both or neither.
      await redis
        .multi()
        .set(keys.ussd.session(sessionId), JSON.stringify(record), 'EX', ttl.sessionTtlS)
        .set(keys.ussd.hop(sessionId, hopKey(text)), reply, 'EX', TTL.ussdHopReplayS)
        .exec();
    },

    replay: (sessionId, text) => redis.get(keys.ussd.hop(sessionId, hopKey(text))),

    async tryLock(sessionId) {
      const token = randomUUID();
      const key = keys.ussd.lock(sessionId);
      const ok = await redis.set(key, token, 'PX', TTL.ussdSessionLockMs, 'NX');
      if (ok !== 'OK') return null;
      return async () => {
        await redis.eval(UNLOCK, 1, key, token).catch(() => undefined);
      };
    },

    async resumeFor(phone) {
      const raw = await redis.get(keys.ussd.resume(phone));
      return raw ? (JSON.parse(raw) as ResumeRecord) : null;
    },

    async setResume(phone, record) {
      if (ttl.resumeWindowS <= 0) return;
      await redis.set(keys.ussd.resume(phone), JSON.stringify(record), 'EX', ttl.resumeWindowS);
    },

    async clearResume(phone) {
      await redis.del(keys.ussd.resume(phone));
    },
  };
}
