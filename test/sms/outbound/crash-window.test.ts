import { Queue, Worker } from 'bullmq';
import { createKeys } from '../../../src/infra/redis/keys';
import { Ledger } from '../../../src/sms/outbound/ledger.redis';
import { batchJobId, QUEUE_NAMES } from '../../../src/sms/outbound/queues.bullmq';
import type { RedisClient } from '../../../src/infra/redis/client';
import type { SendOutcome } from '../../../src/sms/outbound/sms-provider';
import { closeRedis, connectTestRedis, deletePrefix, testRedisUrl, uniquePrefix } from '../../support/redis';
import { buildMessaging, eventually, FakeProvider, type TestMessaging } from './helpers';

describe('crash window and failed jobs', () => {
  let redis: RedisClient;
  let prefix: string;
  const built: TestMessaging[] = [];

  beforeAll(async () => { redis = await connectTestRedis('crash-test'); });
  beforeEach(() => { prefix = uniquePrefix('crash'); });
  afterEach(async () => {
    for (const one of built.splice(0)) await one.messaging.close();
    await deletePrefix(redis, prefix);
  });
  afterAll(async () => { await closeRedis(redis); });

  function build(provider: FakeProvider, workers = {}): TestMessaging {
    const one = buildMessaging(provider, {}, { keys: createKeys(prefix), workers: { sweepIntervalMs: 60_000, ...workers } });
    built.push(one);
    return one;
  }

  it('marks recipients uncertain, without a second provider call, when a worker dies mid-call', async () => {
    let release: (outcome: SendOutcome) => void = () => undefined;
    const hanging = new FakeProvider(() => new Promise<SendOutcome>((resolve) => { release = resolve; }));
    const tuning = { lockDurationMs: 800, stalledIntervalMs: 300 };
    const first = build(hanging, tuning);
    const stopFirst = await first.messaging.startWorkers();
    const result = await first.messaging.outbound.enqueueMany({ idempotencyKey: 'crash-1', text: 'x', to: ['+255712000001', '+255712000002'] });
    await eventually(() => hanging.calls.length === 1, 5000, 'first call');
    await stopFirst({ force: true }); // the process "dies" while the provider holds the request

    const second = new FakeProvider();
    const survivor = build(second, tuning);
    await survivor.messaging.startWorkers();
    const counts = await eventually(async () => {
      const now = await survivor.messaging.countsByGroup(result.messageId);
      return now?.uncertain === 2 ? now : undefined;
    }, 10_000, 'stalled job re-processed');
    expect(counts).toMatchObject({ total: 2, uncertain: 2, sending: 0, queued: 0 });
    expect(second.calls).toHaveLength(0);
    expect(hanging.calls).toHaveLength(1);
    const [entry] = await survivor.messaging.listByGroup(result.messageId);
    expect(entry).toMatchObject({ reason: 'interrupted_during_send', attempts: 1 });
    release({ kind: 'uncertain', reason: 'late' });
  });

  it('turns entries claimed by an earlier run into uncertain instead of sending them again', async () => {
    const provider = new FakeProvider();
    const one = build(provider);
    await one.messaging.ready();
    const result = await one.messaging.outbound.enqueueMany({ idempotencyKey: 'crash-2', text: 'x', to: ['+255712000001', '+255712000002'] });
    // An earlier run claimed recipient 0 and died before recording the provider's answer.
    await new Ledger(redis, createKeys(prefix)).transition(result.messageId, [{ index: 0, to: 'sending' }]);
    await one.messaging.startWorkers();
    const counts = await eventually(async () => {
      const now = await one.messaging.countsByGroup(result.messageId);
      return now && now.queued === 0 && now.sending === 0 ? now : undefined;
    }, 5000, 'batch done');
    expect(counts).toMatchObject({ uncertain: 1, sent: 1 });
    expect(provider.recipients).toEqual(['+255712000002']);
  });

  it('writes a job that failed for good into the ledger and removes it', async () => {
    const provider = new FakeProvider();
    const one = build(provider);
    await one.messaging.ready();
    const result = await one.messaging.outbound.enqueueMany({ idempotencyKey: 'crash-3', text: 'x', to: ['+255712000001'] });
    // A worker whose every run crashes: BullMQ moves the job to the failed set after its attempts.
    const queuePrefix = createKeys(prefix).queuePrefix;
    const connection = { url: testRedisUrl() };
    const broken = new Worker(QUEUE_NAMES.bulk, async () => { throw new Error('boom'); }, { connection, prefix: queuePrefix });
    const queue = new Queue(QUEUE_NAMES.bulk, { connection, prefix: queuePrefix });
    try {
      await eventually(async () => (await queue.getFailedCount()) === 1, 8000, 'job failed for good');
    } finally {
      await broken.close();
    }
    expect((await one.messaging.sweep()).failedJobs).toBe(1);
    expect((await one.messaging.listByGroup(result.messageId))[0]).toMatchObject({ state: 'failed', reason: expect.stringContaining('job_failed: boom') });
    expect(await queue.getFailedCount()).toBe(0);
    await queue.close();
    expect(provider.calls).toHaveLength(0);
  });

  it('queues a message again when the process died before adding its jobs', async () => {
    const provider = new FakeProvider();
    const one = build(provider);
    await one.messaging.startWorkers();
    const keys = createKeys(prefix);
    const meta = { messageId: 'orphan-1', kind: 'single' as const, purpose: 'reply' as const, text: 'x', total: 1, segments: 1, batchSize: 1, createdAt: Date.now() - 10 * 60_000 };
    await redis.zadd(keys.messaging.open(), meta.createdAt, meta.messageId);
    await new Ledger(redis, keys).create(meta, [{ phone: '+255712000001', state: 'queued' }]);
    expect((await one.messaging.sweep()).requeued).toBe(1);
    await eventually(async () => (await one.messaging.countsByGroup('orphan-1'))?.sent === 1, 5000, 'orphan sent');
    expect(provider.recipients).toEqual(['+255712000001']);
    await one.messaging.sweep();
    expect(await redis.zscore(keys.messaging.open(), 'orphan-1')).toBeNull();
  });

  it('queues again only the batches of an old open message that still have someone queued and no job kept', async () => {
    const provider = new FakeProvider();
    const one = build(provider);
    await one.messaging.ready();
    const keys = createKeys(prefix);
    const meta = { messageId: 'orphan-2', kind: 'single' as const, purpose: 'reply' as const, text: 'x', total: 7, segments: 1, batchSize: 2, createdAt: Date.now() - 10 * 60_000 };
    await redis.zadd(keys.messaging.open(), meta.createdAt, meta.messageId);
    // Batches 0, 2 and 3 ran (their jobs removed since); batch 1 never did.
    const states = ['skipped', 'skipped', 'skipped', 'queued', 'skipped', 'skipped', 'skipped'] as const;
    await new Ledger(redis, keys).create(meta, states.map((state, n) => ({ phone: `+25571200000${n}`, state })));
    expect((await one.messaging.sweep()).requeued).toBe(1);
    const queue = new Queue(QUEUE_NAMES.priority, { connection: { url: testRedisUrl() }, prefix: keys.queuePrefix });
    try {
      expect((await queue.getJobs(['waiting', 'prioritized', 'delayed'])).map((job) => job.id)).toEqual([batchJobId('orphan-2', 1)]);
      // Its job is now kept: the next sweep adds nothing.
      expect((await one.messaging.sweep()).requeued).toBe(0);
    } finally {
      await queue.close();
    }
    await one.messaging.startWorkers();
    await eventually(async () => (await one.messaging.countsByGroup('orphan-2'))?.sent === 1, 5000, 'orphan batch sent');
    expect(provider.recipients).toEqual(['+255712000003']);
  });
});
