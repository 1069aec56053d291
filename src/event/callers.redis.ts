/**
 * The caller's records read in one round trip: the delegate hash, the chosen language, the
 * reminder set and the invitation all live under the pack's {pack:<id>} hash tag, so one script
 * reads them on a Cluster too. Every USSD hop reads them, so this is on the hot path.
 */
import { isLanguage } from '../kernel/language';
import type { Keys } from '../infra/redis/keys';
import type { RedisClient } from '../infra/redis/client';
import { defineScript, runScript } from '../infra/redis/lua';
import type { CallerReader } from './callers';
import { delegateFromHash } from './delegates.redis';
import { inviteeFromJson } from './invitees.redis';

/**
 * read-caller.lua
 * KEYS[1] delegate hash, KEYS[2] chosen language, KEYS[3] the phone's reminder set, KEYS[4] invitees hash
 * ARGV[1] phone
 * Returns {delegate hash as a flat field/value list, chosen language or nil, reminder codes, invitee JSON or nil}.
 */
const readCallerScript = defineScript('read-caller', `
return {
  redis.call('HGETALL', KEYS[1]),
  redis.call('GET', KEYS[2]),
  redis.call('SMEMBERS', KEYS[3]),
  redis.call('HGET', KEYS[4], ARGV[1])
}
`);

export function createRedisCallerReader(redis: RedisClient, keys: Keys): CallerReader {
  return {
    async read(packId, phone) {
      const callerKeys = [keys.delegates.byPhone(packId, phone), keys.attendee.language(packId, phone), keys.reminders.byPhone(packId, phone), keys.attendee.invitees(packId)];
      const [flat, chosen, reminders, invitee] = (await runScript(redis, readCallerScript, callerKeys, [phone])) as [string[] | null, string | null, string[] | null, string | null];
      const hash: Record<string, string> = {};
      for (let i = 0; flat && i + 1 < flat.length; i += 2) hash[flat[i] as string] = flat[i + 1] as string;
      const registered = hash.language;
      return {
        delegate: delegateFromHash(hash),
        language: isLanguage(registered) ? registered : isLanguage(chosen) ? chosen : null,
        reminders: (reminders ?? []).sort(),
        invitee: inviteeFromJson(invitee),
      };
    },
  };
}
