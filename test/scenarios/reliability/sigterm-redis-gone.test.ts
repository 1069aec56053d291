/**
 * SIGTERM after an external Redis has died: the graceful stop cannot finish (nothing answers), so
 * the hard stop at SHUTDOWN_GRACE_MS must end the process, whether or not it started a private
 * redis-server of its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPrivateRedis, type PrivateRedis } from '../../../src/infra/redis/private-redis';
import { buildDist } from '../../support/dist-build';
import { WorkerProcess, workerEnvironment } from './support/worker-process';

describe('SIGTERM with the external Redis gone', () => {
  let redis: PrivateRedis | undefined;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kiungo-sigterm-'));
    await buildDist();
  }, 300_000);
  afterAll(async () => {
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([['an API and worker', 'all'], ['a worker', 'worker']])('%s process exits soon after the grace time', async (_label, mode) => {
    redis = await startPrivateRedis({ appendOnly: false, label: `sigterm-${mode}` });
    const gateway = new WorkerProcess(workerEnvironment({
      redisUrl: redis.url, prefix: `sigterm-${mode}`, providerLog: path.join(dir, `${mode}.log`),
      extra: { SERVICE_MODE: mode, PORT: '0', SHUTDOWN_GRACE_MS: '2000', REDIS_COMMAND_TIMEOUT_MS: '500' },
    }), { compiled: true });
    try {
      await gateway.ready();
      await redis.kill();
      const exit = await gateway.terminate(15_000);
      expect(exit.afterSignalMs).toBeLessThan(8000);
      // The hard stop's exit code: the graceful stop did not finish.
      expect(exit.code).toBe(1);
    } finally {
      await gateway.kill();
    }
  }, 60_000);
});
