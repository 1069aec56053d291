/**
 * The follow-up question an SMS registration waits on: after `SAJILI Jina, Taasisi` the gateway
 * asks for the cohort, then the institution type, each answered by one digit. One key per pack
 * and phone, gone after `TTL.followUpS` or once answered.
 */
import { TTL, type Keys } from '../../infra/redis/keys';
import type { RedisClient } from '../../infra/redis/client';
import type { Erasable } from '../../privacy/erasable';

export type FollowUpQuestion = 'cohort' | 'type';

export interface FollowUps {
  get(packId: string, phone: string): Promise<FollowUpQuestion | null>;
  /** Opens `question` (null closes it). */
  set(packId: string, phone: string, question: FollowUpQuestion | null): Promise<void>;
}

export function createFollowUps(redis: RedisClient, keys: Keys): FollowUps & Erasable {
  return {
    async get(packId, phone) {
      const value = await redis.get(keys.attendee.followUp(packId, phone));
      return value === 'cohort' || value === 'type' ? value : null;
    },
    async set(packId, phone, question) {
      if (question === null) await redis.del(keys.attendee.followUp(packId, phone));
      else await redis.set(keys.attendee.followUp(packId, phone), question, 'EX', TTL.followUpS);
    },
    erase: (packId, phone) => redis.del(keys.attendee.followUp(packId, phone)),
  };
}
