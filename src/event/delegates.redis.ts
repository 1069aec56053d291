/**
 * Delegates in Redis: one hash per phone, a sorted index by registration time and a code -> phone
 * hash, all under one {pack:<id>} hash tag so the register script is atomic on a Cluster too.
 */
import { isLanguage, LANGUAGES } from '../kernel/language';
import { TTL, type Keys } from '../infra/redis/keys';
import type { RedisClient } from '../infra/redis/client';
import { defineScript, runScript } from '../infra/redis/lua';
import { applyDelegateQuery, type AudienceDelegate, type Delegate, type DelegateRepository, type NewDelegate, type RegisterResult } from './delegates';
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

/**
 * read-page.lua: KEYS delegate hashes (one pack: one hash tag), ARGV the stored fields.
 * Returns per key the values of the fields (nil where absent).
 */
const readPageScript = defineScript('delegates-read-page', `
local out = {}
for i, key in ipairs(KEYS) do out[i] = redis.call('HMGET', key, unpack(ARGV)) end
return out
`);

/**
 * read-audience.lua: KEYS delegate hashes (one pack: one hash tag), ARGV none.
 * Returns four values per key, one flat list: phone, language, cohort, institution type, each ''
 * where absent; the phone is '' when the hash holds no registration (no code or no phone).
 */
const readAudienceScript = defineScript('delegates-read-audience', `
local out = {}
local n = 0
for _, key in ipairs(KEYS) do
  local v = redis.call('HMGET', key, 'code', 'phone', 'language', 'cohort', 'institutionType')
  if v[1] and v[2] then out[n + 1] = v[2] else out[n + 1] = '' end
  out[n + 2] = v[3] or ''
  out[n + 3] = v[4] or ''
  out[n + 4] = v[5] or ''
  n = n + 4
end
return out
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
/** Pages read at once when listing. */
const LIST_PAGES_IN_FLIGHT = 8;

export function createRedisDelegateStore(redis: RedisClient, keys: Keys): DelegateRepository {
  const load = async (packId: string, phone: string): Promise<Delegate | null> => delegateFromHash(await redis.hgetall(keys.delegates.byPhone(packId, phone)));

  /**
   * Reads the delegates registered since `since` (ms, or '-inf') with `script`, in pages of
   * LIST_PAGE, LIST_PAGES_IN_FLIGHT at once, each page one script call (one command a page: the
   * client's cost was one command a delegate); `take` gets the replies in registration order.
   * One read of every delegate at once could outlast the command timeout. A read that failed
   * fails the whole read: a broadcast to "everyone" must never quietly skip people.
   */
  const readPages = async (packId: string, since: number | string, script: typeof readPageScript, args: string[], take: (reply: unknown) => void): Promise<void> => {
    const phones = await redis.zrangebyscore(keys.delegates.index(packId), since, '+inf');
    const pages: string[][] = [];
    for (let start = 0; start < phones.length; start += LIST_PAGE) pages.push(phones.slice(start, start + LIST_PAGE));
    for (let from = 0; from < pages.length; from += LIST_PAGES_IN_FLIGHT) {
      const replies = await Promise.all(pages.slice(from, from + LIST_PAGES_IN_FLIGHT).map(async (page) => {
        try {
          return await runScript(redis, script, page.map((phone) => keys.delegates.byPhone(packId, phone)), args);
        } catch (error) {
          throw new AppError('REDIS.UNAVAILABLE', `reading the delegates failed: ${error instanceof Error ? error.message : String(error)}`, undefined, { cause: error });
        }
      }));
      for (const reply of replies) take(reply);
    }
  };

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
      const rows: Delegate[] = [];
      await readPages(packId, since, readPageScript, [...FIELDS], (reply) => {
        for (const values of reply as Array<Array<string | null>>) {
          const hash: Record<string, string> = {};
          FIELDS.forEach((field, position) => { const value = values[position]; if (typeof value === 'string') hash[field] = value; });
          const delegate = delegateFromHash(hash);
          if (delegate) rows.push(delegate);
        }
      });
      // The index already started at `registeredSince`.
      const { registeredSince: _since, ...rest } = query;
      return applyDelegateQuery(rows, rest);
    },

    async audienceOf(packId) {
      const rows: AudienceDelegate[] = [];
      await readPages(packId, '-inf', readAudienceScript, [], (reply) => {
        const values = reply as string[];
        for (let at = 0; at < values.length; at += 4) {
          const phone = values[at] as string;
          if (!phone) continue;
          const language = values[at + 1];
          rows.push({ phone, language: isLanguage(language) ? language : LANGUAGES[0], cohort: values[at + 2] as string, institutionType: values[at + 3] as string });
        }
      });
      return rows;
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
