/**
 * Delegates in Redis: one hash per phone, a sorted index by registration time and a code -> phone
 * hash, all under one {pack:<id>} hash tag so the register script is atomic on a Cluster too.
 */
import { isLanguage, LANGUAGES } from '../kernel/language';
import { TTL, type Keys } from '../infra/redis/keys';
import type { RedisClient } from '../infra/redis/client';
import { defineScript, runScript } from '../infra/redis/lua';
import { applyDelegateQuery, type Delegate, type DelegateRepository, type NewDelegate, type RegisterResult } from './delegates';
import { newRegistrationCode } from './registration-code';
import { AppError } from '../kernel/errors';

/**
 * register.lua
 * KEYS[1] delegate hash, KEYS[2] index zset, KEYS[3] codes hash
 * ARGV[1] code, ARGV[2] score (ms), ARGV[3] phone, ARGV[4..] field/value pairs
 * Returns {'exists', code} when the phone is registered, {'taken'} when the code is in use,
 * {'created', code} otherwise.
 */
const registerScript = defineScript('register', `
local existing = redis.call('HGET', KEYS[1], 'code')
if existing then return {'exists', existing} end
if redis.call('HSETNX', KEYS[3], ARGV[1], ARGV[3]) == 0 then return {'taken'} end
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return {'created', ARGV[1]}
`);

const FIELDS = ['phone', 'name', 'institution', 'institutionType', 'cohort', 'code', 'language', 'channel', 'registeredAt'] as const;

/** A delegate from its stored hash, or null when the hash holds no registration. */
export function delegateFromHash(hash: Record<string, string>): Delegate | null {
  if (!hash.code || !hash.phone) return null;
  return {
    phone: hash.phone,
    name: hash.name ?? '',
    institution: hash.institution ?? '',
    institutionType: hash.institutionType ?? '',
    cohort: hash.cohort ?? '',
    code: hash.code,
    language: isLanguage(hash.language) ? hash.language : LANGUAGES[0],
    channel: (hash.channel as Delegate['channel']) ?? 'ussd',
    registeredAt: hash.registeredAt ?? '',
  };
}

/** Records read per round trip when listing: other requests (USSD hops) run between the pages. */
const LIST_PAGE = 500;

export function createRedisDelegateStore(redis: RedisClient, keys: Keys): DelegateRepository {
  const load = async (packId: string, phone: string): Promise<Delegate | null> => delegateFromHash(await redis.hgetall(keys.delegates.byPhone(packId, phone)));

  return {
    get: load,

    async findByCode(packId, code) {
      const phone = await redis.hget(keys.delegates.byCode(packId), code.toUpperCase());
      return phone ? load(packId, phone) : null;
    },

    async register(packId, input: NewDelegate, at: Date): Promise<RegisterResult> {
      for (let attempt = 0; attempt < 8; attempt++) {
        const code = newRegistrationCode(attempt < 4 ? 5 : 6);
        const delegate: Delegate = { ...input, code, registeredAt: at.toISOString() };
        const pairs = FIELDS.flatMap((field) => [field, String(delegate[field])]);
        const slots = [keys.delegates.byPhone(packId, input.phone), keys.delegates.index(packId), keys.delegates.byCode(packId)];
        const reply = (await runScript(redis, registerScript, slots, [code, String(at.getTime()), input.phone, ...pairs])) as string[];
        if (reply[0] === 'created') return { status: 'created', delegate };
        if (reply[0] === 'exists') {
          const existing = await load(packId, input.phone);
          if (existing) return { status: 'exists', delegate: existing };
        }
      }
      throw new AppError('DELEGATE.CODES_EXHAUSTED', 'Could not allocate a unique registration code.');
    },

    async update(packId, phone, changes) {
      const current = await load(packId, phone);
      if (!current) return null;
      const entries = Object.entries(changes).filter(([, value]) => value !== undefined) as Array<[string, string]>;
      if (entries.length > 0) await redis.hset(keys.delegates.byPhone(packId, phone), Object.fromEntries(entries));
      return { ...current, ...changes };
    },

    async erase(packId, phone) {
      const chosen = await redis.del(keys.attendee.language(packId, phone));
      const current = await load(packId, phone);
      if (!current) return chosen > 0;
      const sessions = await redis.smembers(keys.reminders.byPhone(packId, phone));
      const tx = redis.multi()
        .del(keys.delegates.byPhone(packId, phone))
        .zrem(keys.delegates.index(packId), phone)
        .hdel(keys.delegates.byCode(packId), current.code)
        .del(keys.reminders.byPhone(packId, phone));
      for (const code of sessions) tx.srem(keys.reminders.bySession(packId, code), phone);
      await tx.exec();
      return true;
    },

    async list(packId, query = {}) {
      const since = query.registeredSince ? new Date(query.registeredSince).getTime() : '-inf';
      const phones = await redis.zrangebyscore(keys.delegates.index(packId), since, '+inf');
      // In pages of LIST_PAGE: one pipeline of every delegate can outlast the command timeout. A
      // read that failed fails the list: a broadcast to "everyone" must never quietly skip people.
      const rows: Delegate[] = [];
      for (let start = 0; start < phones.length; start += LIST_PAGE) {
        const pipeline = redis.pipeline();
        for (const phone of phones.slice(start, start + LIST_PAGE)) pipeline.hgetall(keys.delegates.byPhone(packId, phone));
        for (const [error, hash] of (await pipeline.exec()) ?? []) {
          if (error) throw new AppError('REDIS.UNAVAILABLE', `reading the delegates failed: ${error.message}`, undefined, { cause: error });
          const delegate = delegateFromHash((hash ?? {}) as Record<string, string>);
          if (delegate) rows.push(delegate);
        }
      }
      // The index already started at `registeredSince`.
      const { registeredSince: _since, ...rest } = query;
      return applyDelegateQuery(rows, rest);
    },

    count: (packId) => redis.zcard(keys.delegates.index(packId)),

    async languageOf(packId, phone) {
      const [registered, chosen] = await Promise.all([
        redis.hget(keys.delegates.byPhone(packId, phone), 'language'),
        redis.get(keys.attendee.language(packId, phone)),
      ]);
      if (isLanguage(registered)) return registered;
      return isLanguage(chosen) ? chosen : null;
    },

    async setLanguage(packId, phone, language) {
      const registered = (await redis.hexists(keys.delegates.byPhone(packId, phone), 'code')) === 1;
      if (registered) await redis.multi().hset(keys.delegates.byPhone(packId, phone), 'language', language).del(keys.attendee.language(packId, phone)).exec();
      else await redis.set(keys.attendee.language(packId, phone), language, 'EX', TTL.phoneLanguageS);
    },
  };
}
