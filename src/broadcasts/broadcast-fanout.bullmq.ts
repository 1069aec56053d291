/**
 * The fan-out: one deterministic BullMQ job per wave of a broadcast. Each wave queues its
 * recipients with idempotency keys (so a re-run queues nobody twice), records its progress, and
 * schedules the next wave; waves wait out quiet hours and stop while paused or cancelled.
 */
import { LANGUAGES } from '../kernel/language';
import { jobId } from '../infra/redis/job-id';
import { Queue, Worker } from 'bullmq';
import type { RedisClient } from '../infra/redis/client';
import { watchWorker } from '../infra/redis/worker-watchdog';
import { QUEUES, TTL } from '../infra/redis/keys';
import { messageIdFor } from '../sms/outbound/outbound-pipeline';
import type { OutboundRequest } from '../sms/outbound/outbound-port';
import type { BroadcastDeps } from './broadcast-service';
import type { BroadcastStore } from './broadcasts.redis';
import { releaseTime } from './quiet-hours';
import { isPersonalised, renderFor, textFor } from './render';

export const FANOUT_QUEUE = QUEUES.broadcastFanout;

/** Personalised recipients queued per pipeline call, and such calls in flight at once. */
export const PERSONAL_BATCH = 250;
export const PERSONAL_CONCURRENCY = 4;

export interface WaveJob { id: string; wave: number }

/** The one job id of a broadcast's wave. */
export function waveJobId(broadcastId: string, wave: number): string {
  return jobId('bc', broadcastId, `w${wave}`);
}

/** The fan-out of a broadcasts module; its queue is on `connection`. */
export function createFanout(deps: BroadcastDeps, store: BroadcastStore, connection: RedisClient) {
  const queue = new Queue<WaveJob>(FANOUT_QUEUE, { connection, prefix: deps.keys.queuePrefix });
  queue.on('error', (error: Error) => deps.logger.debug({ err: error.message }, 'broadcast queue error'));
  const jobOptions = { attempts: 10, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { age: TTL.fanoutJobCompletedS }, removeOnFail: { age: TTL.fanoutJobFailedS } };

  async function scheduleWave(id: string, wave: number, delayMs: number): Promise<void> {
    await queue.add('wave', { id, wave }, { ...jobOptions, jobId: waveJobId(id, wave), delay: Math.max(0, delayMs) });
  }

  /** Runs wave `wave` of broadcast `id` now, whatever delayed job holds it (that one then finds the wave done). */
  async function releaseWave(id: string, wave: number, atMs: number): Promise<void> {
    await queue.add('wave', { id, wave }, { ...jobOptions, jobId: jobId('bc', id, `w${wave}`, `now${atMs}`) });
  }

  /** Queues one wave of recipients; idempotent per recipient. */
  async function runWave(job: WaveJob): Promise<void> {
    const record = await store.get(job.id);
    if (!record || record.state === 'cancelled' || record.state === 'paused') return;
    // A run that died after recording its progress but before scheduling the next wave is retried
    // with an old wave number: schedule the next wave again (same job id, so a no-op if it exists).
    if (job.wave < record.nextWave && record.nextWave < record.waves) await scheduleWave(record.id, record.nextWave, 0);
    if (job.wave !== record.nextWave) return;
    const now = deps.clock.now();
    const release = releaseTime(now, deps.settings.quietHours, deps.settings.timeZone, record.urgent);
    if (release.getTime() > now.getTime()) {
      // A long broadcast that runs into quiet hours waits for the morning, wave by wave.
      await queue.add('wave', job, { ...jobOptions, jobId: jobId('bc', record.id, `w${job.wave}`, `held${release.getTime()}`), delay: release.getTime() - now.getTime() });
      return;
    }
    const members = await store.wave(record.id, job.wave, record.waveSize);
    // Past the broadcast's expiry the pipeline records the wave as skipped `expired`; before it, what it sends carries the time left.
    const validity = record.expiresAt ? { validForMs: new Date(record.expiresAt).getTime() - now.getTime() } : {};
    const force = record.draft.force === true ? { force: true } : {};
    // A counted broadcast's messages are in its group: its progress is one read.
    const group = record.counted ? { group: record.id } : {};
    // The languages of a wave are queued side by side (each is its own ledger message).
    const groups = (await Promise.all(LANGUAGES.map(async (lang): Promise<string[]> => {
      const mine = members.filter((m) => m.l === lang);
      if (mine.length === 0) return [];
      const text = textFor(record.draft, lang);
      if (isPersonalised(text, record.draft.merge?.columns)) {
        // One message per recipient (keyed by broadcast and phone, so a re-run queues nobody twice),
        // queued PERSONAL_BATCH at a time with PERSONAL_CONCURRENCY batches in flight.
        const chunks: Array<typeof mine> = [];
        for (let start = 0; start < mine.length; start += PERSONAL_BATCH) chunks.push(mine.slice(start, start + PERSONAL_BATCH));
        const queueChunk = async (chunk: typeof mine): Promise<void> => {
          const delegates = await Promise.all(chunk.map((member) => deps.delegates.get(record.packId, member.p)));
          const requests: OutboundRequest[] = chunk.map((member, n) => ({
            to: member.p, text: renderFor(text, { delegate: delegates[n] ?? null, lang }, record.session, record.draft.merge?.values[member.p]),
            purpose: 'broadcast', idempotencyKey: `bc|${record.id}|${member.p}`, packId: record.packId, ...validity, ...force, ...group,
          }));
          if (deps.outbound.enqueueEach) await deps.outbound.enqueueEach(requests);
          else for (const request of requests) await deps.outbound.enqueue(request);
        };
        for (let next = 0; next < chunks.length; next += PERSONAL_CONCURRENCY) await Promise.all(chunks.slice(next, next + PERSONAL_CONCURRENCY).map(queueChunk));
        return mine.map((member) => messageIdFor(`bc|${record.id}|${member.p}`, group.group));
      }
      const result = await deps.outbound.enqueueMany({ idempotencyKey: `bc|${record.id}|${lang}|w${job.wave}`, text, purpose: 'broadcast', to: mine.map((m) => m.p), packId: record.packId, ...validity, ...force, ...group });
      return [result.messageId];
    }))).flat();
    await store.addGroups(record.id, groups);
    const next = job.wave + 1;
    await store.set(record.id, { nextWave: String(next), ...(record.startedAt ? {} : { startedAt: deps.clock.now().toISOString() }), ...(record.state === 'scheduled' ? { state: 'sending' } : {}) });
    // The next wave is due when this one is four-fifths sent (counted from when this one started
    // queueing), so the send lane never runs dry between waves nor holds far more than a wave.
    const elapsed = deps.clock.now().getTime() - now.getTime();
    if (next < record.waves) await scheduleWave(record.id, next, Math.floor((members.length / deps.settings.ratePerSecond) * 800) - elapsed);
  }

  return {
    queue,
    scheduleWave,
    releaseWave,
    /** Starts the fan-out worker on a blocking connection; returns its stop function. */
    startWorker(connection: RedisClient): () => Promise<void> {
      const create = (): Worker<WaveJob> => {
        const worker = new Worker<WaveJob>(FANOUT_QUEUE, async (job) => runWave(job.data), {
          // A wave is idempotent per recipient: a wave whose worker died is run again, not failed.
          connection, prefix: deps.keys.queuePrefix, concurrency: 1, maxStalledCount: 20,
          ...(deps.settings.workerLockMs ? { lockDuration: deps.settings.workerLockMs, stalledInterval: deps.settings.workerLockMs } : {}),
        });
        worker.on('error', (error) => deps.logger.warn({ err: error.message }, 'broadcast fan-out worker error'));
        worker.on('failed', (job, error) => deps.logger.error({ job: job?.id, err: error.message }, 'broadcast wave failed'));
        return worker;
      };
      const watched = watchWorker({ name: 'broadcast-fanout', create, ready: async () => Object.values(await queue.getJobCounts('waiting', 'prioritized')).reduce((sum, n) => sum + n, 0), logger: deps.logger });
      return () => watched.close();
    },
    close: () => queue.close(),
  };
}

/** The fan-out of a broadcasts module: its queue, `scheduleWave` and the worker starter. */
export type Fanout = ReturnType<typeof createFanout>;
