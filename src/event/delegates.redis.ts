/**
 * Delegates in Redis: one hash per phone, a sorted index by registration time and a code -> phone
 * hash, all under one {pack:<id>} hash tag so the register script is atomic on a Cluster too.
 */
import { isLanguage, LANGUAGES } from '../kernel/language';
import type { Keys } from '../infra/redis/keys';
import type { RedisClient } from '../infra/redis/client';
import { defineScript, runScript } from '../infra/redis/lua';
import type { Delegate, DelegateQuery, DelegateRepository, NewDelegate, RegisterResult } from './delegates';
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

function fromHash(hash: Record<string, string>): Delegate | null {
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

function matches(delegate: Delegate, query: DelegateQuery): boolean {
  if (query.cohort && delegate.cohort !== query.cohort) return false;
  if (query.institutionType && delegate.institutionType !== query.institutionType) return false;
  if (query.search) {
    const needle = query.search.toLowerCase();
    const haystack = `${delegate.name} ${delegate.institution} ${delegate.code} ${delegate.phone}`.toLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  return true;
}

export function createRedisDelegateStore(redis: RedisClient, keys: Keys): DelegateRepository {
  const load = async (packId: string, phone: string): Promise<Delegate | null> => fromHash(await redis.hgetall(keys.delegates.byPhone(packId, phone)));

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
      const current = await load(packId, phone);
      if (!current) return false;
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
      // In pipelines of 1,000: one pipeline of every delegate can outlast the command timeout. A
      // read that failed fails the list: a broadcast to "everyone" must never quietly skip people.
      const rows: Array<Delegate | null> = [];
      for (let start = 0; start < phones.length; start += 1000) {
        const pipeline = redis.pipeline();
        for (const phone of phones.slice(start, start + 1000)) pipeline.hgetall(keys.delegates.byPhone(packId, phone));
        for (const [error, hash] of (await pipeline.exec()) ?? []) {
          if (error) throw new AppError('REDIS.UNAVAILABLE', `reading the delegates failed: ${error.message}`, undefined, { cause: error });
          rows.push(fromHash((hash ?? {}) as Record<string, string>));
        }
      }
      const all = rows.filter((d): d is Delegate => d !== null && matches(d, query));
      const offset = query.offset ?? 0;
      const limit = query.limit ?? all.length;
      return { total: all.length, items: all.slice(offset, offset + limit) };
    },

    count: (packId) => redis.zcard(keys.delegates.index(packId)),
  };
}
