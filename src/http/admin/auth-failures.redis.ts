/**
 * Failed admin sign-ins counted in Redis, so every gateway process shares one limit (N processes
 * would otherwise allow N times the tries). If Redis does not answer, each process falls back to
 * its own memory count rather than failing the request.
 */
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { RedisClient } from '../../infra/redis/client';
import type { Keys } from '../../infra/redis/keys';
import type { FailureStore } from './auth';

/** The Redis failure store for `createAuthenticator`'s `store` option. */
export function createRedisAuthFailureStore(redis: RedisClient, keys: Keys): FailureStore {
  return ({ points, durationS }) => new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: keys.admin.signInFailures(),
    points,
    duration: durationS,
    insuranceLimiter: new RateLimiterMemory({ points, duration: durationS }),
  });
}
