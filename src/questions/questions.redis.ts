/**
 * Questions as one hash per session (id -> JSON) with a per-pack id counter, a per-phone index
 * for erasure and the sessions' projector tokens, all in the pack's {pack} slot.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ENGAGE_TTL, type Keys } from '../infra/redis/keys';
import type { RedisClient } from '../infra/redis/client';
import type { Erasable } from '../privacy/erasable';
import type { Question, QuestionStore } from './questions';

export function createRedisQuestionStore(redis: RedisClient, keys: Keys): QuestionStore & Erasable {
  const k = keys.engage;
  const read = async (packId: string, code: string, id: string): Promise<Question | null> => {
    const json = await redis.hget(k.questions(packId, code), id);
    return json === null ? null : (JSON.parse(json) as Question);
  };
  return {
    async add(packId, fresh, messageId) {
      const byMessage = k.questionByMessage(packId);
      const earlier = messageId ? await redis.hget(byMessage, messageId) : null;
      if (earlier) {
        const first = await read(packId, fresh.session, earlier);
        if (first) return first;
      }
      const id = String(await redis.incr(k.questionSeq(packId)));
      const question: Question = { ...fresh, id, status: 'pending', updatedAt: fresh.at };
      const tx = redis.multi().hset(k.questions(packId, fresh.session), id, JSON.stringify(question)).sadd(k.questionsBy(packId, fresh.phone), `${fresh.session}|${id}`);
      if (messageId) tx.hset(byMessage, messageId, id).expire(byMessage, ENGAGE_TTL.questionByMessageS);
      await tx.exec();
      return question;
    },
    async list(packId, code) {
      return Object.values(await redis.hgetall(k.questions(packId, code))).map((json) => JSON.parse(json) as Question).sort((a, b) => Number(a.id) - Number(b.id));
    },
    async setStatus(packId, code, id, status, at) {
      const question = await read(packId, code, id);
      if (!question) return null;
      const next: Question = { ...question, status, updatedAt: at.toISOString() };
      await redis.hset(k.questions(packId, code), id, JSON.stringify(next));
      return next;
    },
    async projectorToken(packId, code, fresh = false) {
      const key = k.projectorTokens(packId);
      if (!fresh) {
        const existing = await redis.hget(key, code);
        if (existing) return existing;
      }
      const token = randomBytes(18).toString('base64url');
      if (fresh) await redis.hset(key, code, token);
      else if ((await redis.hsetnx(key, code, token)) === 0) return (await redis.hget(key, code)) ?? token;
      return token;
    },
    async checkProjectorToken(packId, code, token) {
      const stored = await redis.hget(k.projectorTokens(packId), code);
      if (!stored || token.length !== stored.length) return false;
      return timingSafeEqual(Buffer.from(stored), Buffer.from(token));
    },
    /** Removes every question the number asked (the text may name them). */
    async erase(packId, phone) {
      const refs = await redis.smembers(k.questionsBy(packId, phone));
      const tx = redis.multi().del(k.questionsBy(packId, phone));
      for (const ref of refs) {
        const [code = '', id = ''] = ref.split('|');
        tx.hdel(k.questions(packId, code), id);
      }
      await tx.exec();
      return refs.length;
    },
  };
}
