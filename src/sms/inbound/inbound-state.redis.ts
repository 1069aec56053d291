/**
 * What the inbound SMS channel keeps about a sender: each message under its AT id until it has
 * been handled (and for a week after, so a retried callback is recognised), and the marker that
 * the hourly help reply went out. Erasure finds both by the number.
 */
import { TTL, type Keys } from '../../infra/redis/keys';
import type { RedisClient } from '../../infra/redis/client';
import { scanKeys } from '../../infra/redis/scan';
import type { Erasable } from '../../privacy/erasable';
import type { HelpReplies } from './inbound-sms-service';

/** The hourly help marker: one key per phone, set only if absent, gone after `TTL.helpSentS`. */
export function createHelpReplies(redis: RedisClient, keys: Keys): HelpReplies {
  return {
    async claim(phone) {
      return (await redis.set(keys.inbound.helpSent(phone), '1', 'EX', TTL.helpSentS, 'NX')) === 'OK';
    },
  };
}

/** The hourly "you are opted out" marker: one key per phone, set only if absent, gone after `TTL.optedOutNoticeS`. */
export function createOptedOutNotices(redis: RedisClient, keys: Keys): HelpReplies {
  return {
    async claim(phone) {
      return (await redis.set(keys.attendee.optedOutNotice(phone), '1', 'EX', TTL.optedOutNoticeS, 'NX')) === 'OK';
    },
  };
}

/** Erases a sender's stored inbound messages and help marker (inbound SMS are not per pack). */
export function createInboundSmsErasure(redis: RedisClient, keys: Keys): Erasable {
  return {
    async erase(_packId, phone) {
      let erased = await redis.del(keys.inbound.helpSent(phone), keys.attendee.optedOutNotice(phone));
      for (const key of await scanKeys(redis, keys.inbound.messagePattern())) {
        const raw = await redis.get(key);
        if (!raw || (JSON.parse(raw) as { from?: string }).from !== phone) continue;
        erased += await redis.del(key);
      }
      return erased;
    },
  };
}
