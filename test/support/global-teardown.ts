import type { PrivateRedis } from '../../src/infra/redis/private-redis';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis as Record<string, unknown>;
  // A background build of dist/ still running (a run that needed none of it) is left to finish.
  await (state.__KIUNGO_DIST_BUILD__ as Promise<void> | undefined);
  const redis = state.__KIUNGO_REDIS__ as PrivateRedis | undefined;
  if (redis) await redis.stop();
}
