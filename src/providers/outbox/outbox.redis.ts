/**
 * The local outbox in Redis: each message in a capped list per phone (the simulator's inbox) and a
 * capped global list (what `GET /api/v1/outbox` lists), newest first, as JSON.
 */
import { normalisePhone } from '../../kernel/phone';
import type { Keys } from '../../infra/redis/keys';
import type { RedisClient } from '../../infra/redis/client';
import type { Erasable } from '../../privacy/erasable';
import type { ListOutboxQuery, OutboxMessage, OutboxStore } from './outbox-sms-provider';

export interface OutboxLimits {
  /** Messages kept per phone (default 100) and overall (default 1000). */
  perPhoneLimit?: number;
  globalLimit?: number;
}

/** The outbox provider's store, its listing and its erasure. */
export function createOutboxStore(redis: RedisClient, keys: Keys, limits: OutboxLimits = {}): OutboxStore & Erasable {
  const k = keys.messaging;
  return {
    async add(message) {
      await redis.lpush(k.outboxAll(), JSON.stringify(message));
      await redis.ltrim(k.outboxAll(), 0, (limits.globalLimit ?? 1000) - 1);
    },
    async file(message) {
      await redis.lpush(k.outboxPhone(message.to), JSON.stringify(message));
      await redis.ltrim(k.outboxPhone(message.to), 0, (limits.perPhoneLimit ?? 100) - 1);
    },
    list: (query) => listOutbox(redis, keys, query),
    erase: (packId, phone) => createOutboxErasure(redis, keys).erase(packId, phone),
  };
}

/** Newest first. An invalid `phone` gives an empty list, never an error. */
export async function listOutbox(redis: RedisClient, keys: Keys, query: ListOutboxQuery): Promise<OutboxMessage[]> {
  let key = keys.messaging.outboxAll();
  if (query.phone !== undefined) {
    const phone = normalisePhone(query.phone);
    if (!phone.ok) return [];
    key = keys.messaging.outboxPhone(phone.e164);
  }
  const limit = Math.max(1, Math.min(1000, Math.floor(query.limit)));
  const raws = await redis.lrange(key, 0, query.since === undefined ? limit - 1 : 999);
  const messages = raws.map((raw) => JSON.parse(raw) as OutboxMessage);
  const since = query.since;
  return (since === undefined ? messages : messages.filter((message) => message.at > since)).slice(0, limit);
}

/** Erases a number's outbox: its inbox and its messages in the shared list (the outbox is not per pack). */
export function createOutboxErasure(redis: RedisClient, keys: Keys): Erasable {
  return {
    async erase(_packId, phone) {
      const erased = await redis.llen(keys.messaging.outboxPhone(phone));
      await redis.del(keys.messaging.outboxPhone(phone));
      for (const raw of await redis.lrange(keys.messaging.outboxAll(), 0, -1)) {
        if ((JSON.parse(raw) as { to?: string }).to === phone) await redis.lrem(keys.messaging.outboxAll(), 0, raw);
      }
      return erased;
    },
  };
}
