/**
 * The watchdog on a real BullMQ worker: one that stops taking jobs (here paused behind the
 * watchdog's back, as a consumer whose blocking connection hangs after a failover looks from
 * outside) is replaced and the waiting jobs run; a busy or idle healthy worker is left alone.
 */
import { Queue, Worker } from 'bullmq';
import { createRedis, closeRedis, type RedisClient } from '../../../src/infra/redis/client';
import { watchWorker } from '../../../src/infra/redis/worker-watchdog';
import { createLogger } from '../../../src/kernel/logger';
import { connectTestRedis, deletePrefix, testRedisUrl, uniquePrefix } from '../../support/redis';

const logger = createLogger('silent');

describe('worker watchdog', () => {
  let admin: RedisClient;
  const opened: RedisClient[] = [];
  beforeAll(async () => { admin = await connectTestRedis('watchdog-test'); });
  afterAll(async () => {
    await Promise.all(opened.map((c) => closeRedis(c)));
    await closeRedis(admin);
  });
  const blocking = (): RedisClient => {
    const connection = createRedis({ url: testRedisUrl(), commandTimeoutMs: 1000, name: 'watchdog-test', role: 'blocking' });
    opened.push(connection);
    return connection;
  };

  async function setUp(label: string) {
    const prefix = uniquePrefix(label);
    const queue = new Queue('jobs', { connection: blocking(), prefix });
    const done: string[] = [];
    const watched = watchWorker({
      name: 'test', logger, stuckAfterMs: 600, checkEveryMs: 100,
      // A job the paused worker had already fetched when it was replaced comes back through BullMQ's
      // stalled-job check once its lock expires: short here (30 s by default), so the test need not wait.
      create: () => new Worker('jobs', async (job) => { done.push(String(job.id)); }, { connection: blocking(), prefix, lockDuration: 2000, stalledInterval: 1000 }),
      ready: async () => Object.values(await queue.getJobCounts('waiting', 'prioritized')).reduce((a, b) => a + b, 0),
    });
    return { prefix, queue, done, watched };
  }
  // Up to 30 s for the jobs on a busy machine (two test files at once on a loaded host): the
  // tests' own timeouts are longer, so a slow run ends with this clear error, not jest's.
  const until = async (check: () => boolean, ms = 30_000, state: () => unknown = () => ''): Promise<void> => {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out ${JSON.stringify(state())}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('replaces a worker that stopped taking jobs, and the waiting jobs run', async () => {
    const { prefix, queue, done, watched } = await setUp('watchdog-stuck');
    await queue.add('a', {}, { jobId: 'first' });
    await until(() => done.includes('first'));
    await watched.current().pause(true);
    await queue.add('b', {}, { jobId: 'second' });
    await queue.add('c', {}, { jobId: 'third' });
    await until(() => done.includes('second') && done.includes('third'), 30_000, () => ({ done, restarts: watched.restarts() }));
    expect(watched.restarts()).toBe(1);
    await watched.close(true);
    await queue.close();
    await deletePrefix(admin, prefix);
  }, 60_000);

  it('leaves a healthy idle worker alone', async () => {
    const { prefix, queue, done, watched } = await setUp('watchdog-idle');
    await queue.add('a', {}, { jobId: 'only' });
    await until(() => done.includes('only'));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(watched.restarts()).toBe(0);
    await watched.close(true);
    await queue.close();
    await deletePrefix(admin, prefix);
  }, 60_000);
});
