/**
 * The organisers' inbox: inbound SMS that no keyword handled (a question, a thank-you, a typo the
 * parser could not place), newest first, with whether an organiser replied. One Redis list
 * trimmed to the newest 1,000; erasure removes a sender's messages.
 */
import type { RedisClient } from '../infra/redis/client';
import type { Keys } from '../infra/redis/keys';
import type { Erasable } from '../privacy/erasable';

export const UNMATCHED_MAX = 1000;

export interface UnmatchedSms {
  id: string;
  from: string;
  to: string;
  text: string;
  at: string;
  /** The pack it was routed to; null when the sender did not name one among several. */
  packId: string | null;
  /** When an organiser's reply was queued (the latest one). */
  repliedAt?: string;
}

export interface UnmatchedInbox extends Erasable {
  record(message: UnmatchedSms): Promise<void>;
  /** Messages of `packId` (and those of no pack), newest first. */
  list(packId: string, limit?: number): Promise<UnmatchedSms[]>;
  get(id: string): Promise<UnmatchedSms | undefined>;
  markReplied(id: string, at: string): Promise<void>;
}

export function createUnmatchedInbox(redis: RedisClient, keys: Keys): UnmatchedInbox {
  const key = keys.dashboard.unmatched();
  const all = async (): Promise<UnmatchedSms[]> => (await redis.lrange(key, 0, UNMATCHED_MAX - 1)).map((raw) => JSON.parse(raw) as UnmatchedSms);
  return {
    async record(message) {
      const stored: UnmatchedSms = { ...message, text: message.text.slice(0, 480) };
      await redis.multi().lpush(key, JSON.stringify(stored)).ltrim(key, 0, UNMATCHED_MAX - 1).exec();
    },
    async list(packId, limit = 200) {
      return (await all()).filter((m) => m.packId === packId || m.packId === null).slice(0, limit);
    },
    async get(id) {
      return (await all()).find((m) => m.id === id);
    },
    async markReplied(id, at) {
      const rows = await redis.lrange(key, 0, UNMATCHED_MAX - 1);
      const index = rows.findIndex((raw) => (JSON.parse(raw) as UnmatchedSms).id === id);
      const row = rows[index];
      if (index < 0 || row === undefined) return;
      await redis.lset(key, index, JSON.stringify({ ...(JSON.parse(row) as UnmatchedSms), repliedAt: at }));
    },
    async erase(_packId, phone) {
      let erased = 0;
      for (const raw of await redis.lrange(key, 0, -1)) if ((JSON.parse(raw) as UnmatchedSms).from === phone) erased += await redis.lrem(key, 0, raw);
      return erased;
    },
  };
}
