/**
 * A hop's first round trip as one command: the session's start (the cached answer of a retry, or
 * the lock and the snapshot, or busy), the caller's records and, on a dial, the phone's resume
 * pointer. The session keys share the {sessionId} hash tag and the caller's the {pack:<id>} one,
 * so a Cluster cannot run them in one script: there the service reads them apart (no starter).
 */
import { Cluster } from 'ioredis';
import { TTL, type Keys } from '../infra/redis/keys';
import type { RedisClient } from '../infra/redis/client';
import { defineScript, runScript } from '../infra/redis/lua';
import { callerFromReply, callerKeys, callerReadLua } from '../event/callers.redis';
import type { CallerRecords } from '../event/callers';
import { lockToken, type HopStart, type ResumeRecord, type SessionRecord } from './session-store.redis';

/** What the first round trip of a hop gives; `caller` and `resume` only with the lock. */
export interface StartedHop {
  start: HopStart;
  caller: CallerRecords | null;
  resume: ResumeRecord | null;
}

export interface HopStarter {
  /** One round trip: as `SessionStore.begin`, plus the caller's records and (when `dial`) the resume pointer. */
  begin(sessionId: string, hop: string, packId: string, phone: string, dial: boolean): Promise<StartedHop>;
}

/**
 * begin-hop-with-caller.lua
 * KEYS[1] hop answer, KEYS[2] lock, KEYS[3] session snapshot, KEYS[4] the phone's resume pointer,
 * KEYS[5..8] the caller's records (delegate hash, chosen language, reminder set, invitees hash)
 * ARGV[1] lock token, ARGV[2] lock TTL (ms), ARGV[3] phone, ARGV[4] '1' to read the resume pointer
 * Returns {'replay', answer} when the hop was answered before; {'busy'} when another hop holds the
 * lock; once the lock is ours {'locked', snapshot or nil, resume pointer or nil, caller records}.
 */
const beginWithCallerScript = defineScript('begin-hop-with-caller', `
local answer = redis.call('GET', KEYS[1])
if answer then return {'replay', answer} end
if not redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX') then return {'busy'} end
local record = redis.call('GET', KEYS[3])
local resume = false
if ARGV[4] == '1' then resume = redis.call('GET', KEYS[4]) end
${callerReadLua(5, 3)}
return {'locked', record or false, resume or false, caller}
`);

/** The one-command starter, or undefined on a Cluster (the keys live in different slots there). */
export function createHopStarter(redis: RedisClient, keys: Keys): HopStarter | undefined {
  if (redis instanceof Cluster) return undefined;
  return {
    async begin(sessionId, hop, packId, phone, dial) {
      const token = lockToken();
      const keysOfHop = [keys.ussd.hop(sessionId, hop), keys.ussd.lock(sessionId), keys.ussd.session(sessionId), keys.ussd.resume(phone), ...callerKeys(keys, packId, phone)];
      const [kind, value, resume, caller] = (await runScript(redis, beginWithCallerScript, keysOfHop, [token, TTL.ussdSessionLockMs, phone, dial ? '1' : '0'])) as [string, string | null, string | null, unknown];
      if (kind === 'replay') return { start: { kind: 'replay', reply: value ?? '' }, caller: null, resume: null };
      if (kind === 'busy') return { start: { kind: 'busy' }, caller: null, resume: null };
      return {
        start: { kind: 'locked', token, record: value ? (JSON.parse(value) as SessionRecord) : null },
        caller: callerFromReply(caller),
        resume: resume ? (JSON.parse(resume) as ResumeRecord) : null,
      };
    },
  };
}
