/**
 * Starts a private redis-server for the whole test run: a free port, a temp dir, no persistence
 * unless a test asks for it. The shared instance on 6379 is never touched and never flushed.
 *
 * On a run that includes the tests starting the compiled gateway (the whole suite, or a path
 * naming the scenarios or the security replay), it also starts compiling dist/ in the background:
 * those test files wait for that one build (test/support/dist-build.ts) instead of starting it
 * late.
 */
import type { Config } from '@jest/types';
import { startPrivateRedis } from '../../src/infra/redis/private-redis';
import { buildDist, distUpToDate } from './dist-build';

/** Whether the selected tests may start the compiled gateway. */
function mayNeedDist(globalConfig: Config.GlobalConfig): boolean {
  const patterns = globalConfig.testPathPatterns?.patterns ?? [];
  if (patterns.length === 0 && (globalConfig.nonFlagArgs ?? []).length === 0) return true;
  return [...patterns, ...(globalConfig.nonFlagArgs ?? [])].some((p) => /scenarios|compiled|reliability|start|security/.test(p));
}

export default async function globalSetup(globalConfig: Config.GlobalConfig): Promise<void> {
  const redis = await startPrivateRedis({ appendOnly: false, label: 'jest' });
  process.env.KIUNGO_TEST_REDIS_URL = redis.url;
  process.env.KIUNGO_TEST_REDIS_PID = String(redis.pid);
  const state = globalThis as Record<string, unknown>;
  state.__KIUNGO_REDIS__ = redis;
  if (mayNeedDist(globalConfig) && !distUpToDate()) {
    // Not awaited: tests start now; a failure is reported by the first test that needs dist/.
    state.__KIUNGO_DIST_BUILD__ = buildDist().catch(() => undefined);
  }
}
