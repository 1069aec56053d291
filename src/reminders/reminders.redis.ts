/** Reminder subscriptions as two sets per pack: sessions of a phone, phones of a session. */
import type { Keys } from '../infra/redis/keys';
import type { RedisClient } from '../infra/redis/client';
import type { ReminderRepository } from './reminders';

export function createRedisReminderStore(redis: RedisClient, keys: Keys): ReminderRepository {
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
      const codes = await redis.smembers(keys.reminders.byPhone(packId, phone));
      const tx = redis.multi().del(keys.reminders.byPhone(packId, phone));
      for (const code of codes) tx.srem(keys.reminders.bySession(packId, code), phone);
      await tx.exec();
    },
  };
}
