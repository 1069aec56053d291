/**
 * The broadcast part: one broadcast to N delegates (100,000 by default, `--recipients` to scale
 * down) created through the broadcast service, fanned out and sent by one worker process whose
 * Africa's Talking endpoint is answered by nock inside it (the production adapter and SDK run
 * unchanged; an in-process fake provider would skip them and share the bench's event loop).
 * Reports create and fan-out time, recipients per second at batch 100, Redis memory per recipient
 * (INFO memory around the broadcast, after fan-out and after sending), and the raw BullMQ
 * addBulk + drain rate measured on the same redis-server in the same run, with the ratio.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildGateway } from '../../src/compose/gateway';
import { broadcastKeys } from '../../src/broadcasts/broadcasts.redis';
import { loadConfig } from '../../src/config/load';
import { createLogger } from '../../src/kernel/logger';
import { startPrivateRedis } from '../../src/infra/redis/private-redis';
import type { Keys } from '../../src/infra/redis/keys';
import type { RedisClient } from '../../src/infra/redis/client';
import { workerEnvironment, WorkerProcess } from '../../test/scenarios/reliability/support/worker-process';
import { notSending, rawBullmqDrain } from './sms';
import type { BenchOptions, BenchPart } from './types';

const PACK = 'egov2015';
const perSecond = (count: number, ms: number): number => Math.round((count / Math.max(ms, 1)) * 1000);

async function usedMemory(redis: RedisClient): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, worker: WorkerProcess): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (!worker.running) throw new Error(`worker exited while waiting for ${what}:\n${worker.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const broadcastPart: BenchPart = {
  name: 'broadcast',
  description: 'a 100,000-recipient broadcast (--recipients N) to an intercepted AT endpoint: fan-out time, recipients/s at batch 100, Redis memory per recipient, raw BullMQ addBulk + drain as the baseline',
  async run(options: BenchOptions) {
    const recipients = Number(options.flags.recipients ?? 100_000);
    if (!Number.isInteger(recipients) || recipients < 100) throw new Error('--recipients must be a whole number >= 100');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiungo-bench-broadcast-'));
    const providerLog = path.join(dir, 'provider.jsonl');
    writeFileSync(providerLog, '');
    const redis = await startPrivateRedis({ appendOnly: false, label: 'bench-broadcast' });
    const prefix = `bench-bc-${randomBytes(3).toString('hex')}`;
    const env = workerEnvironment({ redisUrl: redis.url, prefix, providerLog, extra: { SMS_BATCH_SIZE: '100', SMS_RATE_PER_SECOND: '10000', SMS_SWEEP_INTERVAL_MS: '30000', WORKER_LOCK_MS: '30000', REDIS_COMMAND_TIMEOUT_MS: '10000' } });
    const config = loadConfig({ ...env, SERVICE_MODE: 'api', LOG_LEVEL: 'silent' });
    const api = await buildGateway({ config, logger: createLogger('silent'), redisUrl: redis.url, defaultMetrics: false, provider: notSending });
    const worker = new WorkerProcess(env);
    try {
      options.log(`broadcast: registering ${recipients} delegates`);
      const at = new Date();
      for (let start = 0; start < recipients; start += 1000) {
        await Promise.all(Array.from({ length: Math.min(1000, recipients - start) }, (_, offset) => api.services.delegates.register(PACK, {
          phone: `+2557${String(15_000_000 + start + offset).padStart(8, '0')}`, name: `Mjumbe ${start + offset}`, institution: 'eGA',
          institutionType: 'agency', cohort: '1', language: (start + offset) % 4 === 0 ? 'en' : 'sw', channel: 'import',
        }, at)));
      }
      await worker.ready();
      const memoryBefore = await usedMemory(api.redis);
      options.log('broadcast: creating');
      const t0 = performance.now();
      const { broadcast } = await api.broadcasts.create({ audience: { all: true }, messages: { sw: 'Mkutano unaanza saa 3 asubuhi.', en: 'The conference starts at 9 am.' }, urgent: true }, `bench-${prefix}`);
      const created = performance.now();
      // Fanned out: the last wave recorded its groups (every recipient is in the ledger).
      await until('the fan-out', async () => ((await fannedOut(api.redis, api.keys, broadcast.id)) ? true : undefined), 1_800_000, worker);
      const record = async () => api.broadcasts.get(broadcast.id);
      const fannedOutAt = performance.now();
      const memoryAfterFanOut = await usedMemory(api.redis);
      options.log('broadcast: sending');
      const done = await until('every recipient sent', async () => {
        const status = await record();
        return status && status.progress === 1 && status.counts.queued === 0 && status.counts.sending === 0 ? status : undefined;
      }, 3_600_000, worker);
      const finished = performance.now();
      const memoryAfterSend = await usedMemory(api.redis);
      const calls = readFileSync(providerLog, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { t: number; to: string[] });
      const firstCall = calls[0]?.t ?? 0;
      const lastCall = calls[calls.length - 1]?.t ?? 0;
      await worker.terminate();
      const baselineJobs = Number(options.flags['baseline-jobs'] ?? Math.min(recipients, 20_000));
      options.log(`broadcast: raw BullMQ baseline, ${baselineJobs} jobs`);
      const baseline = await rawBullmqDrain(redis.url, baselineJobs);
      const endToEnd = perSecond(recipients, finished - t0);
      return {
        setup: `${recipients} delegates (3/4 sw, 1/4 en: two ledger groups per wave); one worker process (bulk concurrency 2, batch 100, SMS_RATE_PER_SECOND=10000: the bulk lane may take 8000/s; waves of rate x 10) with nock answering AT in-process; redis-server without AOF`,
        recipients,
        counts: done.counts,
        providerCalls: calls.length,
        createMs: Math.round(created - t0),
        fanOutMs: Math.round(fannedOutAt - t0),
        sendMs: Math.round(finished - fannedOutAt),
        totalMs: Math.round(finished - t0),
        recipientsPerSecond: { endToEnd, providerCalls: perSecond(recipients, lastCall - firstCall) },
        redisMemory: {
          beforeBytes: memoryBefore,
          perRecipientAfterFanOutBytes: Math.round((memoryAfterFanOut - memoryBefore) / recipients),
          perRecipientAfterSendBytes: Math.round((memoryAfterSend - memoryBefore) / recipients),
        },
        baseline,
        ratios: { endToEndRecipientsToRawJobs: Number((endToEnd / baseline.drainJobsPerSecond).toFixed(3)) },
      };
    } finally {
      await worker.kill();
      await api.close();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** True once the broadcast's last wave has been recorded (nextWave reached waves). */
async function fannedOut(redis: RedisClient, keys: Keys, id: string): Promise<boolean> {
  const hash = await redis.hgetall(broadcastKeys(keys, id).record);
  const meta = hash.meta ? (JSON.parse(hash.meta) as { waves: number }) : undefined;
  return meta !== undefined && Number(hash.nextWave ?? 0) >= meta.waves;
}
