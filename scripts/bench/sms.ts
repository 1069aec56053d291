/**
 * The SMS part: how many recipients per second one worker process pushes through the outbound
 * pipeline (ledger, rate limiter, suppression, the Africa's Talking adapter and SDK) to an
 * intercepted AT endpoint (nock preloaded in the worker), at batch 1 and batch 100; and, in the
 * same run on the same redis-server, the raw BullMQ baseline: addBulk of N no-op jobs drained by
 * one Worker with the bulk lane's concurrency.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue, Worker } from 'bullmq';
import { loadConfig } from '../../src/config/load';
import { createMetrics } from '../../src/kernel/metrics';
import { createKeys } from '../../src/infra/redis/keys';
import { createLogger } from '../../src/kernel/logger';
import { startPrivateRedis } from '../../src/infra/redis/private-redis';
import { closeRedis, createRedis } from '../../src/infra/redis/client';
import { openOutboundStores } from '../../src/compose/sms-outbound';
import { createMessaging } from '../../src/sms/outbound/outbound-module';
import type { SmsProvider } from '../../src/sms/outbound/sms-provider';
import { workerEnvironment, WorkerProcess } from '../../test/scenarios/reliability/support/worker-process';
import type { BenchOptions, BenchPart } from './types';

/** The bulk lane's worker concurrency (messaging.ts); the baseline uses the same. */
export const BULK_CONCURRENCY = 2;

const perSecond = (count: number, ms: number): number => Math.round((count / Math.max(ms, 1)) * 1000);

/** Only the worker process sends; the bench process only enqueues. */
export const notSending: SmsProvider = { name: 'bench-enqueuer', send: () => Promise.reject(new Error('the bench process does not send')) };

export interface DrainFigures { jobs: number; concurrency: number; addBulkMs: number; addBulkJobsPerSecond: number; drainMs: number; drainJobsPerSecond: number }

/** addBulk of `jobs` no-op jobs (chunks of 1,000, the pipeline's job options), then one Worker drains them. */
export async function rawBullmqDrain(redisUrl: string, jobs: number, concurrency = BULK_CONCURRENCY): Promise<DrainFigures> {
  const prefix = `{bench-raw-${randomBytes(3).toString('hex')}}`;
  const connection = createRedis({ url: redisUrl, commandTimeoutMs: 10_000, name: 'bench-raw' });
  const blocking = createRedis({ url: redisUrl, commandTimeoutMs: 10_000, name: 'bench-raw-worker', role: 'blocking' });
  const queue = new Queue('raw', { connection, prefix });
  try {
    const addStart = performance.now();
    for (let start = 0; start < jobs; start += 1000) {
      const chunk = Array.from({ length: Math.min(1000, jobs - start) }, (_, i) => ({
        name: 'send', data: { messageId: 'raw', start: start + i, end: start + i + 1 },
        opts: { jobId: `raw-b${start + i}`, removeOnComplete: { age: 3600, count: 1000 }, attempts: 5 },
      }));
      await queue.addBulk(chunk);
    }
    const addBulkMs = performance.now() - addStart;
    let completed = 0;
    const drainStart = performance.now();
    const drained = new Promise<void>((resolve) => {
      const worker = new Worker('raw', async () => undefined, { connection: blocking, prefix, concurrency });
      worker.on('completed', () => { if (++completed === jobs) void worker.close().then(resolve); });
    });
    await drained;
    const drainMs = performance.now() - drainStart;
    await queue.obliterate({ force: true });
    return { jobs, concurrency, addBulkMs: Math.round(addBulkMs), addBulkJobsPerSecond: perSecond(jobs, addBulkMs), drainMs: Math.round(drainMs), drainJobsPerSecond: perSecond(jobs, drainMs) };
  } finally {
    await queue.close();
    await closeRedis(connection);
    await closeRedis(blocking);
  }
}

export interface PipelineFigures { batch: number; recipients: number; enqueueMs: number; drainMs: number; recipientsPerSecond: number; providerCalls: number; final: Record<string, number> }

function phones(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `+2557${String(15_000_000 + i).padStart(8, '0')}`);
}

/** One worker process (nock inside) and N recipients enqueued as one message at `batch` per call. */
async function pipelineRun(redisUrl: string, batch: number, recipients: number, log: (m: string) => void): Promise<PipelineFigures> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiungo-bench-sms-'));
  const providerLog = path.join(dir, 'provider.jsonl');
  writeFileSync(providerLog, '');
  const prefix = `bench-sms-${batch}-${randomBytes(3).toString('hex')}`;
  const env = workerEnvironment({ redisUrl, prefix, providerLog, extra: { SMS_BATCH_SIZE: String(batch), SMS_RATE_PER_SECOND: '10000', SMS_SWEEP_INTERVAL_MS: '30000', WORKER_LOCK_MS: '30000' } });
  const worker = new WorkerProcess(env);
  const config = loadConfig({ ...env, SERVICE_MODE: 'api' });
  const stores = openOutboundStores({ redisUrl, commandTimeoutMs: 10_000, keys: createKeys(prefix), config: config.messaging, logger: createLogger('silent') });
  const messaging = createMessaging({ config: config.messaging, stores, logger: createLogger('silent'), metrics: createMetrics({ defaultMetrics: false }), provider: notSending });
  try {
    await worker.ready();
    await messaging.ready();
    log(`sms: batch ${batch}, ${recipients} recipients`);
    const start = performance.now();
    const { messageId } = await messaging.outbound.enqueueMany({ idempotencyKey: `bench-${prefix}`, text: 'Mkutano unaanza saa 3 asubuhi.', to: phones(recipients) });
    const enqueued = performance.now();
    let final: Record<string, number> = {};
    for (;;) {
      const counts = await messaging.countsByGroup(messageId);
      if (counts && counts.queued === 0 && counts.sending === 0) { final = { ...counts }; break; }
      if (!worker.running) throw new Error(`worker exited:\n${worker.output()}`);
      if (performance.now() - start > 600_000) throw new Error(`batch ${batch}: not drained after 10 minutes: ${JSON.stringify(counts)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const done = performance.now();
    const providerCalls = readFileSync(providerLog, 'utf8').split('\n').filter(Boolean).length;
    return { batch, recipients, enqueueMs: Math.round(enqueued - start), drainMs: Math.round(done - enqueued), recipientsPerSecond: perSecond(recipients, done - start), providerCalls, final };
  } finally {
    await worker.terminate().catch(() => worker.kill());
    await messaging.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const smsPart: BenchPart = {
  name: 'sms',
  description: 'recipients per second through the outbound pipeline to an intercepted AT endpoint (one worker process), batch 1 vs 100, with the raw BullMQ drain as the baseline',
  async run(options: BenchOptions) {
    const recipients = Number(options.flags['sms-recipients'] ?? 5000);
    const redis = await startPrivateRedis({ appendOnly: false, label: 'bench-sms' });
    try {
      options.log(`sms: raw BullMQ baseline, ${recipients} no-op jobs`);
      const baseline = await rawBullmqDrain(redis.url, recipients);
      const batch1 = await pipelineRun(redis.url, 1, recipients, options.log);
      const batch100 = await pipelineRun(redis.url, 100, recipients, options.log);
      const ratio = (figures: PipelineFigures): number => Number((figures.recipientsPerSecond / baseline.drainJobsPerSecond).toFixed(3));
      return {
        setup: `one worker process (SERVICE_MODE=worker, bulk concurrency ${BULK_CONCURRENCY}, SMS_RATE_PER_SECOND=10000 so the bulk lane may take 8000/s) with nock answering AT in-process; one message of ${recipients} recipients enqueued by the bench process; redis-server without AOF`,
        baseline,
        pipeline: { batch1, batch100 },
        ratios: { batch1RecipientsToRawJobs: ratio(batch1), batch100RecipientsToRawJobs: ratio(batch100), batch100ToBatch1: Number((batch100.recipientsPerSecond / Math.max(1, batch1.recipientsPerSecond)).toFixed(1)) },
      };
    } finally {
      await redis.stop();
    }
  },
};
