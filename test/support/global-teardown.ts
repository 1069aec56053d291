import type { PrivateRedis } from '../../src/infra/redis/private-redis';

export default async function globalTeardown(): Promise<void> {
  const redis = (globalThis as Record<string, unknown>).__KIUNGO_REDIS__ as PrivateRedis | undefined;
  if (redis) await redis.stop();
}
