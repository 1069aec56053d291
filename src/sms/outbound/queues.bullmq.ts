/**
 * The two BullMQ lanes and their job options. Replies, confirmations and opt-out confirmations go
 * to `priority`; broadcasts and reminders to `bulk`. Each lane has its own workers, so a person
 * waiting for an answer never waits for a worker slot held by a 10,000-recipient broadcast (one
 * queue with BullMQ priorities would still let bulk jobs occupy every slot while rate-limited).
 */
import { Queue, Worker, type JobsOptions, type Processor } from 'bullmq';
import type { RedisClient } from '../../infra/redis/client';
import { watchWorker } from '../../infra/redis/worker-watchdog';
import type { Logger } from '../../kernel/logger';
import { QUEUES, TTL } from '../../infra/redis/keys';
import type { Lane, SendJobData } from './types';

export const LANES: readonly Lane[] = ['priority', 'bulk'];

export const QUEUE_NAMES: Record<Lane, string> = { priority: QUEUES.smsPriority, bulk: QUEUES.smsBulk };

export interface RetrySettings {
  maxAttempts: number;
  retryBaseMs: number;
}

/** Exponential backoff with jitter; completed jobs vanish after an hour (or past 1,000) so memory stays flat. */
export function sendJobOptions(retry: RetrySettings): JobsOptions {
  return {
    attempts: retry.maxAttempts,
    backoff: { type: 'exponential', delay: retry.retryBaseMs, jitter: 0.5 },
    removeOnComplete: { age: TTL.sendJobCompletedS, count: 1000 },
    // The sweeper reads final failures into the ledger and removes them; this only bounds leftovers.
    removeOnFail: { age: TTL.sendJobFailedS, count: 5000 },
  };
}

/** Deterministic job id of one batch: adding it again while it exists is a no-op. */
export function batchJobId(messageId: string, batch: number): string {
  return `${messageId}-b${batch}`;
}

export type SendQueues = Record<Lane, Queue<SendJobData>>;

export function createSendQueues(connection: RedisClient, prefix: string): SendQueues {
  return {
    priority: new Queue<SendJobData>(QUEUE_NAMES.priority, { connection, prefix }),
    bulk: new Queue<SendJobData>(QUEUE_NAMES.bulk, { connection, prefix }),
  };
}

/** Adds one job per batch of `batchSize` indexes in [0, total), skipping batches with nothing queued. */
export async function addBatchJobs(
  queue: Queue<SendJobData>,
  messageId: string,
  total: number,
  batchSize: number,
  hasQueued: (start: number, end: number) => boolean,
  options: JobsOptions,
): Promise<number> {
  const jobs = [];
  for (let start = 0, batch = 0; start < total; start += batchSize, batch += 1) {
    const end = Math.min(total, start + batchSize);
    if (!hasQueued(start, end)) continue;
    jobs.push({ name: 'send', data: { messageId, start, end }, opts: { ...options, jobId: batchJobId(messageId, batch) } });
  }
  if (jobs.length > 0) await queue.addBulk(jobs);
  return jobs.length;
}

export interface LaneWorkerOptions {
  /** A blocking connection of the lane's own (BullMQ workers hold theirs in BRPOPLPUSH). */
  connection(lane: Lane): RedisClient;
  prefix: string;
  processor: Processor<SendJobData>;
  concurrency(lane: Lane): number;
  /** Times a batch job may lose its worker (kill -9, lost host) before BullMQ fails it. */
  maxStalledCount: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  onError(lane: Lane, error: Error): void;
  /** A job that failed for good (attempts spent, stalled too often). */
  onFailedForGood(): void;
  /** Jobs ready to run in the lane's queue: with it, a watchdog replaces a worker that stopped taking them. */
  ready?(lane: Lane): Promise<number>;
  /** Watchdog tuning (tests shorten it). */
  watchdog?: { stuckAfterMs?: number; checkEveryMs?: number; onRestart?(lane: Lane): void };
  logger?: Logger;
}

/** Starts one send worker per lane; resolves nothing, returns their stop function (`force`: do not wait for running batches). */
export function startLaneWorkers(options: LaneWorkerOptions): (force: boolean) => Promise<void> {
  const create = (lane: Lane) => (): Worker<SendJobData> => {
    const worker = new Worker<SendJobData>(QUEUE_NAMES[lane], options.processor, {
      connection: options.connection(lane), prefix: options.prefix, concurrency: options.concurrency(lane),
      maxStalledCount: options.maxStalledCount,
      ...(options.lockDurationMs ? { lockDuration: options.lockDurationMs } : {}),
      ...(options.stalledIntervalMs ? { stalledInterval: options.stalledIntervalMs } : {}),
    });
    worker.on('error', (error) => options.onError(lane, error));
    worker.on('failed', (job) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) options.onFailedForGood();
    });
    return worker;
  };
  const workers = LANES.map((lane) => {
    const { ready, logger } = options;
    if (!ready || !logger) {
      const worker = create(lane)();
      return { close: (force: boolean) => worker.close(force) };
    }
    return watchWorker({
      name: `send-${lane}`, create: create(lane), ready: () => ready(lane), logger,
      ...options.watchdog, onRestart: () => options.watchdog?.onRestart?.(lane),
    });
  });
  return async (force) => {
    await Promise.all(workers.map((worker) => worker.close(force).catch(() => undefined)));
  };
}
