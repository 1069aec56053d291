/**
 * The caller's records read in one round trip: the delegate hash, the chosen language, the
 * reminder set and the invitation all live under the pack's {pack:<id>} hash tag, so one script
 * reads them on a Cluster too. Every USSD hop reads them, so this is on the hot path. The Lua that
 * reads them is written here once; the USSD hop's own start script embeds it.
 */
import { LANGUAGES, isLanguage } from '../kernel/language';
import type { Keys } from '../infra/redis/keys';
import type { RedisClient } from '../infra/redis/client';
import { defineScript, runScript } from '../infra/redis/lua';
import type { CallerReader, CallerRecords } from './callers';
import { delegateFromHash } from './delegates.redis';
import { inviteeFromJson } from './invitees.redis';

/** The keys a caller's records live under, in the order {@link callerReadLua} reads them. */
export function callerKeys(keys: Keys, packId: string, phone: string): string[] {
  return [keys.delegates.byPhone(packId, phone), keys.attendee.language(packId, phone), keys.reminders.byPhone(packId, phone), keys.attendee.invitees(packId)];
}

/**
 * Lua statements that set `local caller` to {delegate hash as a flat field/value list, chosen
 * language or false, reminder codes, invitee JSON or false}, reading KEYS[first..first+3] (see
 * {@link callerKeys}) and the phone in ARGV[phoneArg]. A phone with none of its own three records
 * (most callers before they register) costs one EXISTS instead of three reads; the chosen language
 * is not read when the registration carries a known language, which {@link callerFromReply} prefers.
 */
export function callerReadLua(first: number, phoneArg: number): string {
  const known = LANGUAGES.map((lang) => `delegate[i + 1] == '${lang}'`).join(' or ');
  return `local caller
if redis.call('EXISTS', KEYS[${first}], KEYS[${first + 1}], KEYS[${first + 2}]) == 0 then
  caller = {{}, false, {}, redis.call('HGET', KEYS[${first + 3}], ARGV[${phoneArg}])}
else
  local delegate = redis.call('HGETALL', KEYS[${first}])
  local chosen = false
  local registered = false
  for i = 1, #delegate, 2 do
    if delegate[i] == 'language' and (${known}) then registered = true end
  end
  if not registered then chosen = redis.call('GET', KEYS[${first + 1}]) end
  caller = {delegate, chosen, redis.call('SMEMBERS', KEYS[${first + 2}]), redis.call('HGET', KEYS[${first + 3}], ARGV[${phoneArg}])}
end`;
}

/** The records from the reply of {@link callerReadLua}: the same values the repositories give. */
export function callerFromReply(reply: unknown): CallerRecords {
  const [flat, chosen, reminders, invitee] = (Array.isArray(reply) ? reply : []) as [string[] | null, string | null, string[] | null, string | null];
  const hash: Record<string, string> = {};
  for (let i = 0; flat && i + 1 < flat.length; i += 2) hash[flat[i] as string] = flat[i + 1] as string;
  const registered = hash.language;
  return {
    delegate: delegateFromHash(hash),
    language: isLanguage(registered) ? registered : isLanguage(chosen) ? chosen : null,
    reminders: (reminders ?? []).sort(),
    invitee: inviteeFromJson(invitee),
  };
}

/**
 * read-caller.lua
 * KEYS[1] delegate hash, KEYS[2] chosen language, KEYS[3] the phone's reminder set, KEYS[4] invitees hash
 * ARGV[1] phone
 * Returns {delegate hash as a flat field/value list, chosen language or nil (false, unread, when the
 * delegate hash has a known language), reminder codes, invitee JSON or nil}.
 */
const readCallerScript = defineScript('read-caller', `${callerReadLua(1, 1)}
return caller`);

export function createRedisCallerReader(redis: RedisClient, keys: Keys): CallerReader {
  return {
    async read(packId, phone) {
      return callerFromReply(await runScript(redis, readCallerScript, callerKeys(keys, packId, phone), [phone]));
    },
  };
}
