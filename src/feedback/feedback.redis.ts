/**
 * Ratings, pending requests, the organiser's feedback settings and survey answers, all in the
 * pack's {pack} slot. A rating is one hash field per phone, so a second rating replaces the first
 * (the latest counts); erasure removes a phone's ratings, requests and survey answers.
 */
import { ENGAGE_TTL, type Keys } from '../infra/redis/keys';
import type { RedisClient } from '../infra/redis/client';
import type { Erasable } from '../privacy/erasable';
import { DEFAULT_FEEDBACK_SETTINGS, FEEDBACK_AUDIENCES, type FeedbackAudience, type FeedbackSettings, type FeedbackStore, type Rating } from './feedback';

const isAudience = (value: string): value is FeedbackAudience => (FEEDBACK_AUDIENCES as readonly string[]).includes(value);

export function createRedisFeedbackStore(redis: RedisClient, keys: Keys): FeedbackStore & Erasable {
  const k = keys.engage;
  return {
    async rate(packId, rating) {
      const before = await redis.hget(k.ratings(packId, rating.session), rating.phone);
      const prior = before === null ? null : (JSON.parse(before) as Rating);
      const again = prior !== null && rating.messageId !== undefined && prior.messageId === rating.messageId;
      const replaced = again ? prior.replaced === true : prior !== null;
      await redis.multi()
        .hset(k.ratings(packId, rating.session), rating.phone, JSON.stringify({ ...rating, replaced }))
        .sadd(k.ratedBy(packId, rating.phone), rating.session)
        .exec();
      return { updated: replaced };
    },
    async ratings(packId, code) {
      return Object.values(await redis.hgetall(k.ratings(packId, code))).map((json) => JSON.parse(json) as Rating);
    },
    async markRequested(packId, phone, code) {
      await redis.set(k.pendingRating(packId, phone), code, 'EX', ENGAGE_TTL.feedbackReplyWindowS);
    },
    pendingRequest: (packId, phone) => redis.get(k.pendingRating(packId, phone)),
    async hasRated(packId, phone, code) {
      return (await redis.sismember(k.ratedBy(packId, phone), code)) === 1;
    },
    async settings(packId) {
      const stored = await redis.hgetall(k.feedbackSettings(packId));
      const settings: FeedbackSettings = { default: DEFAULT_FEEDBACK_SETTINGS.default, sessions: {} };
      for (const [field, value] of Object.entries(stored)) {
        if (!isAudience(value)) continue;
        if (field === 'default') settings.default = value;
        else settings.sessions[field] = value;
      }
      return settings;
    },
    async saveSettings(packId, settings) {
      const fields: Record<string, string> = { default: settings.default, ...settings.sessions };
      await redis.multi().del(k.feedbackSettings(packId)).hset(k.feedbackSettings(packId), fields).exec();
      return this.settings(packId);
    },
    async surveyStep(packId, phone) {
      const stored = await redis.get(k.surveyStep(packId, phone));
      if (stored === null) return null;
      const [step = '', by = ''] = stored.split('|');
      return { step: step === 'done' ? 'done' : Number(step), by };
    },
    async setSurveyStep(packId, phone, position) {
      if (position === null) await redis.del(k.surveyStep(packId, phone));
      else await redis.set(k.surveyStep(packId, phone), `${position.step}|${position.by}`, 'EX', ENGAGE_TTL.surveyStepS);
    },
    async surveyAnswer(packId, phone, step, answer) {
      const key = k.surveyAnswers(packId);
      const answers = JSON.parse((await redis.hget(key, phone)) ?? '[]') as Array<number | null>;
      while (answers.length < step) answers.push(null);
      answers[step - 1] = answer;
      await redis.hset(key, phone, JSON.stringify(answers));
    },
    async surveyAnswers(packId) {
      return Object.entries(await redis.hgetall(k.surveyAnswers(packId))).map(([phone, json]) => ({ phone, answers: JSON.parse(json) as Array<number | null> }));
    },
    /** Ratings, the pending request, the survey step and answers of the number. */
    async erase(packId, phone) {
      const codes = await redis.smembers(k.ratedBy(packId, phone));
      const tx = redis.multi().del(k.ratedBy(packId, phone), k.pendingRating(packId, phone), k.surveyStep(packId, phone)).hdel(k.surveyAnswers(packId), phone);
      for (const code of codes) tx.hdel(k.ratings(packId, code), phone);
      const results = (await tx.exec()) ?? [];
      return codes.length + Number(results[1]?.[1] ?? 0);
    },
  };
}
