/**
 * Reminder subscriptions as two sets per pack: sessions of a phone, phones of a session. The
 * scheduler's subscriber refs (ref -> phone, so job payloads carry no number) live in the same
 * {pack} slot, and erasure clears both.
 */
import type { Keys } from '../infra/redis/keys';
import type { RedisClient } from '../infra/redis/client';
import type { Erasable } from '../privacy/erasable';
import type { ReminderRepository } from './reminders';

export function createRedisReminderStore(redis: RedisClient, keys: Keys): ReminderRepository & Erasable {
  const removeAll = async (packId: string, phone: string): Promise<number> => {
    const codes = await redis.smembers(keys.reminders.byPhone(packId, phone));
    const tx = redis.multi().del(keys.reminders.byPhone(packId, phone));
    for (const code of codes) tx.srem(keys.reminders.bySession(packId, code), phone);
    await tx.exec();
    return codes.length;
  };
  return {
    async subscribe(packId, phone, code) {
      const [[, added] = [null, 0]] = (await redis.multi().sadd(keys.reminders.byPhone(packId, phone), code).sadd(keys.reminders.bySession(packId, code), phone).exec()) ?? [];
      return added === 1;
    },
    async unsubscribe(packId, phone, code) {
      const [[, removed] = [null, 0]] = (await redis.multi().srem(keys.reminders.byPhone(packId, phone), code).srem(keys.reminders.bySession(packId, code), phone).exec()) ?? [];
      return removed === 1;
    },
    async listForPhone(packId, phone) {
      return (await redis.smembers(keys.reminders.byPhone(packId, phone))).sort();
    },
    async subscribers(packId, code) {
      return (await redis.smembers(keys.reminders.bySession(packId, code))).sort();
    },
    async removeAll(packId, phone) {
      await removeAll(packId, phone);
    },
    /** Subscriptions plus the subscriber refs that point at the number; resolves to how many went. */
    async erase(packId, phone) {
      const removed = await removeAll(packId, phone);
      const refs = Object.entries(await redis.hgetall(keys.reminders.subscriberRefs(packId))).filter(([, value]) => value === phone).map(([ref]) => ref);
      if (refs.length > 0) await redis.hdel(keys.reminders.subscriberRefs(packId), ...refs);
      return removed + refs.length;
    },
  };
}
