/**
 * Starts a private redis-server for the whole test run: a free port, a temp dir, no persistence
 * unless a test asks for it. The shared instance on 6379 is never touched and never flushed.
 */
import { startPrivateRedis } from '../../src/infra/redis/private-redis';

export default async function globalSetup(): Promise<void> {
  const redis = await startPrivateRedis({ appendOnly: false, label: 'jest' });
  process.env.KIUNGO_TEST_REDIS_URL = redis.url;
  process.env.KIUNGO_TEST_REDIS_PID = String(redis.pid);
  (globalThis as Record<string, unknown>).__KIUNGO_REDIS__ = redis;
}
