/**
 * Check-ins as one hash per local day (phone -> JSON) and the set of days, in the pack's {pack}
 * slot. HSETNX makes a second check-in the same day a no-op.
 */
import type { Keys } from '../infra/redis/keys';
import type { RedisClient } from '../infra/redis/client';
import type { Erasable } from '../privacy/erasable';
import type { CheckIn, CheckInStore } from './checkin';

export function createRedisCheckInStore(redis: RedisClient, keys: Keys): CheckInStore & Erasable {
  const k = keys.engage;
  const days = async (packId: string): Promise<string[]> => (await redis.smembers(k.checkinDays(packId))).sort();
  return {
    async checkIn(packId, entry) {
      const [[, created] = [null, 0]] = (await redis.multi().hsetnx(k.checkinDay(packId, entry.day), entry.phone, JSON.stringify(entry)).sadd(k.checkinDays(packId), entry.day).exec()) ?? [];
      if (created === 1) return { created: true, at: entry.at };
      const existing = await this.get(packId, entry.phone, entry.day);
      return { created: false, at: existing?.at ?? entry.at };
    },
    async get(packId, phone, day) {
      const json = await redis.hget(k.checkinDay(packId, day), phone);
      return json === null ? null : (JSON.parse(json) as CheckIn);
    },
    days,
    async ofDay(packId, day) {
      const all = await redis.hgetall(k.checkinDay(packId, day));
      return Object.fromEntries(Object.entries(all).map(([phone, json]) => [phone, (JSON.parse(json) as CheckIn).at]));
    },
    async everyone(packId) {
      const phones = new Set<string>();
      for (const day of await days(packId)) for (const phone of await redis.hkeys(k.checkinDay(packId, day))) phones.add(phone);
      return phones;
    },
    async erase(packId, phone) {
      let removed = 0;
      for (const day of await days(packId)) removed += await redis.hdel(k.checkinDay(packId, day), phone);
      return removed;
    },
  };
}
