/**
 * Wrong webhook keys counted per address in Redis, so every gateway process shares one limit. If
 * Redis does not answer, each process falls back to its own memory count; counting never fails a
 * request. A right key is checked first and never counted.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RedisClient } from '../../infra/redis/client';
import { TTL, type Keys } from '../../infra/redis/keys';
import type { KeyFailures } from './webhook-auth';

/** Wrong keys one address may send within the window before it is answered 429. */
export const WEBHOOK_KEY_FAILURES = 20;

export function createRedisKeyFailures(redis: RedisClient, keys: Keys, points = WEBHOOK_KEY_FAILURES): KeyFailures {
  const durationS = TTL.webhookKeyFailureWindowS;
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: keys.hardening.webhookKeyFailures(),
    points,
    duration: durationS,
    insuranceLimiter: new RateLimiterMemory({ points, duration: durationS }),
  });
  return (address) =>
    limiter.consume(address).then(
      () => 0,
      (rejection: unknown) => (rejection instanceof RateLimiterRes ? Math.max(1, rejection.msBeforeNext) : 0),
    );
}
