/**
 * USSD sessions in Redis: the snapshot of each live session (not a replay log), the answer of each
 * finished hop (so an AT retry gets the same bytes and repeats no effect), a per-session lock that
 * serialises concurrent hops, and each phone's last unfinished session for resume.
 *
 * A hop costs two round trips on its own keys: `begin` (replay check + lock + load) and `finish`
 * (save snapshot + answer + unlock). All three keys share the {sessionId} hash tag.
 */
import { hash, randomBytes } from 'node:crypto';
import { Cluster } from 'ioredis';
import type { Snapshot } from '../engine';
import { TTL, type Keys } from '../infra/redis/keys';
import type { RedisClient } from '../infra/redis/client';
import { defineScript, runScript } from '../infra/redis/lua';
import { scanKeys } from '../infra/redis/scan';
import type { Erasable } from '../privacy/erasable';

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
  /** True once the phone's resume pointer names this session. */
  resumable?: boolean;
}

/** Points at a phone's last unfinished session; the snapshot is read from the session itself. */
export interface ResumeRecord {
  sessionId: string;
  packId: string;
}

export type HopStart =
  | { kind: 'replay'; reply: string }
  | { kind: 'locked'; record: SessionRecord | null; token: string }
  | { kind: 'busy' };

/**
 * begin-hop.lua
 * KEYS[1] hop answer, KEYS[2] lock, KEYS[3] session snapshot
 * ARGV[1] lock token, ARGV[2] lock TTL (ms)
 * Returns {'replay', answer} when the hop was answered before; {'busy'} when another hop holds
 * the lock; {'locked', snapshot or false} once the lock is ours.
 */
const beginHopScript = defineScript('begin-hop', `
local answer = redis.call('GET', KEYS[1])
if answer then return {'replay', answer} end
if not redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX') then return {'busy'} end
local record = redis.call('GET', KEYS[3])
return {'locked', record or false}
`);

/**
 * finish-hop.lua
 * KEYS[1] session snapshot, KEYS[2] hop answer, KEYS[3] lock
 * ARGV[1] snapshot JSON, ARGV[2] snapshot TTL (s), ARGV[3] answer, ARGV[4] answer TTL (s), ARGV[5] lock token
 * Saves snapshot and answer together (a retry sees both or neither), then releases our lock.
 * Returns 1.
 */
const finishHopScript = defineScript('finish-hop', `
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
if redis.call('GET', KEYS[3]) == ARGV[5] then redis.call('DEL', KEYS[3]) end
return 1
`);

/**
 * finish-hop-resume.lua
 * KEYS[1] session snapshot, KEYS[2] hop answer, KEYS[3] lock, KEYS[4] the phone's resume pointer
 * ARGV[1] snapshot JSON, ARGV[2] snapshot TTL (s), ARGV[3] answer, ARGV[4] answer TTL (s), ARGV[5] lock token,
 * ARGV[6] 'set' or 'clear' (the resume pointer), ARGV[7] resume pointer JSON, ARGV[8] resume TTL (s)
 * finish-hop, plus the phone's resume pointer set or cleared in the same round trip (one Redis
 * only: the pointer's key is not under the session's hash tag). Returns 1.
 */
const finishHopResumeScript = defineScript('finish-hop-resume', `
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
if redis.call('GET', KEYS[3]) == ARGV[5] then redis.call('DEL', KEYS[3]) end
if ARGV[6] == 'set' then redis.call('SET', KEYS[4], ARGV[7], 'EX', ARGV[8]) elseif ARGV[6] == 'clear' then redis.call('DEL', KEYS[4]) end
return 1
`);

/**
 * unlock.lua
 * KEYS[1] lock
 * ARGV[1] lock token
 * Deletes the lock only when it holds our token. Returns 1 when deleted, 0 otherwise.
 */
const unlockScript = defineScript('unlock-hop', `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`);

/** This process's tag in its lock tokens: random, so no two processes share a token. */
const TOKEN_TAG = randomBytes(12).toString('base64url');
let tokens = 0;

/**
 * A lock token no other hop holds: the process's random tag and a counter (unique across the
 * processes and within one, at the cost of a number to string, not of a random UUID per hop).
 */
export function lockToken(): string {
  tokens = (tokens + 1) % Number.MAX_SAFE_INTEGER;
  return `${TOKEN_TAG}${tokens.toString(36)}`;
}

/** Keys of short texts (the dial, menu choices), which most hops send. */
const shortHopKeys = new Map<string, string>();
const SHORT_TEXT = 12;

export function hopKey(text: string): string {
  if (text.length <= SHORT_TEXT) {
    const known = shortHopKeys.get(text);
    if (known !== undefined) return known;
  }
  // The one-shot hash: no Hash object per hop.
  const key = hash('sha1', text, 'hex').slice(0, 20);
  if (text.length <= SHORT_TEXT) {
    if (shortHopKeys.size >= 4096) shortHopKeys.clear();
    shortHopKeys.set(text, key);
  }
  return key;
}

export interface SessionStore {
  /** One round trip: the cached answer, or the lock plus the session's snapshot, or busy. */
  /** `hop` is `hopKey(text)`, computed once per hop by the caller. */
  begin(sessionId: string, hop: string): Promise<HopStart>;
  /**
   * One round trip: saves the snapshot and the answer and releases the lock; with `resume`, also
   * points the phone's resume pointer at `resume.set` or clears it (`set: null`), in the same
   * round trip on one Redis and alongside on a Cluster.
   */
  finish(sessionId: string, token: string, record: SessionRecord, reply: string, hop: string, resume?: { phone: string; set: ResumeRecord | null }): Promise<void>;
  unlock(sessionId: string, token: string): Promise<void>;
  load(sessionId: string): Promise<SessionRecord | null>;
  resumeFor(phone: string): Promise<ResumeRecord | null>;
  setResume(phone: string, record: ResumeRecord): Promise<void>;
  clearResume(phone: string): Promise<void>;
}

/** The session store plus erasure of a phone's sessions, their hop answers and its resume pointer. */
export type RedisSessionStore = SessionStore & Erasable;

export function createSessionStore(redis: RedisClient, keys: Keys, ttl: { sessionTtlS: number; resumeWindowS: number }): RedisSessionStore {
  // A dropped session must outlive its resume window, since resuming reads its snapshot.
  const snapshotTtlS = Math.max(ttl.sessionTtlS, ttl.resumeWindowS);
  // On one Redis (not a Cluster) any keys may share a script.
  const oneSlot = !(redis instanceof Cluster);
  return {
    async begin(sessionId, hop) {
      const token = lockToken();
      const keysOfHop = [keys.ussd.hop(sessionId, hop), keys.ussd.lock(sessionId), keys.ussd.session(sessionId)];
      const [kind, value] = (await runScript(redis, beginHopScript, keysOfHop, [token, TTL.ussdSessionLockMs])) as [string, string | null];
      if (kind === 'replay') return { kind: 'replay', reply: value ?? '' };
      if (kind === 'busy') return { kind: 'busy' };
      return { kind: 'locked', token, record: value ? (JSON.parse(value) as SessionRecord) : null };
    },

    async finish(sessionId, token, record, reply, hop, resume) {
      const keysOfHop = [keys.ussd.session(sessionId), keys.ussd.hop(sessionId, hop), keys.ussd.lock(sessionId)];
      const args = [JSON.stringify(record), snapshotTtlS, reply, TTL.ussdHopReplayS, token];
      // A pointer is only kept with a resume window (as setResume).
      const change = resume === undefined ? null : resume.set === null ? 'clear' : ttl.resumeWindowS > 0 ? 'set' : null;
      if (!resume || change === null) {
        await runScript(redis, finishHopScript, keysOfHop, args);
        return;
      }
      if (!oneSlot) {
        const pointer = keys.ussd.resume(resume.phone);
        await Promise.all([runScript(redis, finishHopScript, keysOfHop, args), resume.set ? redis.set(pointer, JSON.stringify(resume.set), 'EX', ttl.resumeWindowS) : redis.del(pointer)]);
        return;
      }
      await runScript(redis, finishHopResumeScript, [...keysOfHop, keys.ussd.resume(resume.phone)], [...args, change, JSON.stringify(resume.set ?? {}), ttl.resumeWindowS]);
    },

    async unlock(sessionId, token) {
      await runScript(redis, unlockScript, [keys.ussd.lock(sessionId)], [token]).catch(() => undefined);
    },

    async load(sessionId) {
      const raw = await redis.get(keys.ussd.session(sessionId));
      return raw ? (JSON.parse(raw) as SessionRecord) : null;
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

    /** Every session of the number (any pack: a session is the caller's, not the pack's), with its hop answers. */
    async erase(_packId, phone) {
      let erased = await redis.del(keys.ussd.resume(phone));
      for (const key of await scanKeys(redis, keys.ussd.sessionPattern())) {
        const raw = await redis.get(key);
        const sessionId = keys.ussd.sessionIdOf(key);
        if (!raw || sessionId === null || (JSON.parse(raw) as { phone?: string }).phone !== phone) continue;
        // The pattern escapes glob characters: a sessionId with `*` in it matches only its own keys.
        await redis.del(key, ...(await scanKeys(redis, keys.ussd.sessionKeysPattern(sessionId))));
        erased++;
      }
      return erased;
    },
  };
}
