/**
 * Recovery dial strings: one-time digits that resume a cut session, bound to the phone, kept for
 * the recovery window. A session gets at most one (AT may repeat its end-of-session notification).
 */
import { randomInt } from 'node:crypto';
import type { Snapshot } from '../engine';
import { TTL, type Keys } from '../infra/redis/keys';
import type { RedisClient } from '../infra/redis/client';
import { defineScript, runScript } from '../infra/redis/lua';
import { AppError } from '../kernel/errors';
import { scanKeys } from '../infra/redis/scan';
import type { Erasable } from '../privacy/erasable';

export interface RecoveryRecord {
  packId: string;
  sessionId: string;
  phone: string;
  snapshot: Snapshot;
}

export type Claim = { kind: 'ok'; record: RecoveryRecord } | { kind: 'unknown' } | { kind: 'other_phone' };

/**
 * claim-recovery.lua
 * KEYS[1] the code's hash
 * ARGV[1] the dialling phone
 * Returns {'ok', record} and deletes the code when the phone is the one it was sent to;
 * {'other_phone'} (the code stays for its owner) or {'unknown'} (used, expired or never issued).
 */
const claimScript = defineScript('claim-recovery', `
local phone = redis.call('HGET', KEYS[1], 'phone')
if not phone then return {'unknown'} end
if phone ~= ARGV[1] then return {'other_phone'} end
local record = redis.call('HGET', KEYS[1], 'record')
redis.call('DEL', KEYS[1])
return {'ok', record}
`);

/**
 * issue-recovery.lua
 * KEYS[1] the session's issued marker, KEYS[2] the code's hash
 * ARGV[1] marker TTL (s), ARGV[2] phone, ARGV[3] record JSON, ARGV[4] window (s)
 * Returns 1 when the code was stored; 0 when the session already had one; -1 when the digits are taken.
 */
const issueScript = defineScript('issue-recovery', `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
redis.call('HSET', KEYS[2], 'phone', ARGV[2], 'record', ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[4])
redis.call('SET', KEYS[1], '1', 'EX', ARGV[1])
return 1
`);

export interface RecoveryCodes extends Erasable {
  /** Stores fresh digits for the session; null when the session already had a code. */
  issue(record: RecoveryRecord, windowS: number, digits: number): Promise<string | null>;
  /** Takes the code for `phone`: single use, and only from the phone it was sent to. */
  claim(packId: string, digits: string, phone: string): Promise<Claim>;
}

const ATTEMPTS = 8;

export function createRecoveryCodes(redis: RedisClient, keys: Keys): RecoveryCodes {
  return {
    async issue(record, windowS, digits) {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const code = String(randomInt(0, 10 ** digits)).padStart(digits, '0');
        const stored = await runScript(redis, issueScript, [keys.recovery.issued(record.sessionId), keys.recovery.code(record.packId, code)], [
          Math.max(TTL.recoveryIssuedS, windowS), record.phone, JSON.stringify(record), windowS,
        ]);
        if (stored === 1) return code;
        if (stored === 0) return null;
      }
      throw new AppError('INTERNAL', 'No free recovery digits after several draws: raise USSD_RECOVERY_CODE_DIGITS.');
    },
    async claim(packId, digits, phone) {
      const [kind, raw] = (await runScript(redis, claimScript, [keys.recovery.code(packId, digits)], [phone])) as [string, string | undefined];
      if (kind === 'ok' && raw) return { kind: 'ok', record: JSON.parse(raw) as RecoveryRecord };
      return kind === 'other_phone' ? { kind: 'other_phone' } : { kind: 'unknown' };
    },
    /** Drops the codes sent to the number (any pack: a code resumes the caller's own session). */
    async erase(_packId, phone) {
      let erased = 0;
      for (const key of await scanKeys(redis, keys.recovery.codePattern())) {
        if ((await redis.type(key)) !== 'hash' || (await redis.hget(key, 'phone')) !== phone) continue;
        erased += await redis.del(key);
      }
      return erased;
    },
  };
}
