/**
 * Periodic housekeeping, safe to run from several processes at once (every step is idempotent):
 * - batch jobs BullMQ gave up on (errors past their attempts, stalled too often) are written into
 *   the ledger: queued recipients fail, `sending` ones become uncertain; then the job is removed;
 * - messages accepted by the provider with no final report after `staleAfterS` are flagged stale;
 * - early delivery reports that never found their message are dropped;
 * - messages whose jobs were never added (a crash right after the ledger write) are queued again:
 *   the batches with recipients still queued and no job kept;
 * - the message and stale indexes forget what the ledger itself has expired.
 */
import type { Job } from 'bullmq';
import { TTL, type Keys } from '../../infra/redis/keys';
import type { Logger } from '../../kernel/logger';
import { systemClock, type Clock } from '../../kernel/clock';
import type { RedisClient } from '../../infra/redis/client';
import type { DeliveryReports } from './delivery-reports';
import type { Ledger, TransitionOp } from './ledger.redis';
import type { MessagingMetrics } from './messaging-metrics';
import { addBatchJobs, batchJobId, LANES, sendJobOptions, type RetrySettings, type SendQueues } from './queues.bullmq';
import { laneOf, type SendJobData } from './types';

export interface SweeperDeps {
  redis: RedisClient;
  keys: Keys;
  ledger: Ledger;
  queues: SendQueues;
  deliveryReports: DeliveryReports;
  metrics: MessagingMetrics;
  logger: Logger;
  settings: RetrySettings & { staleAfterS: number };
  /** The system clock when absent. */
  clock?: Clock;
}

export interface SweepReport {
  failedJobs: number;
  stale: number;
  expiredReports: number;
  requeued: number;
}

/** Messages younger than this are left alone by the orphan check (their enqueue may still be running). */
const ORPHAN_AGE_MS = 2 * 60 * 1000;
/** Batches of one message looked at per round trip by the orphan check. */
const SWEEP_BATCHES = 100;

export function createSweeper(deps: SweeperDeps) {
  const { ledger, keys } = deps;
  const k = keys.messaging;

  /** Writes a batch job's final failure into the ledger. */
  async function finalizeBatch(data: SendJobData, reason: string): Promise<void> {
    const entries = await ledger.range(data.messageId, data.start, data.end);
    const ops = entries.flatMap((entry): TransitionOp[] =>
      entry.state === 'queued' ? [{ index: entry.index, to: 'failed', patch: { reason: entry.reason ?? reason } }]
        : entry.state === 'sending' ? [{ index: entry.index, to: 'uncertain', patch: { reason } }] : []);
    const results = await ledger.transition(data.messageId, ops);
    results.forEach((result, position) => { const op = ops[position]; if (op && result.code === 'moved') deps.metrics.entered(op.to); });
  }

  async function failedJobs(): Promise<number> {
    let count = 0;
    for (const lane of LANES) {
      const jobs = (await deps.queues[lane].getFailed(0, 199)) as Array<Job<SendJobData> | undefined>;
      for (const job of jobs) {
        if (!job?.data?.messageId) continue;
        await finalizeBatch(job.data, `job_failed: ${(job.failedReason ?? 'unknown').slice(0, 200)}`);
        await job.remove().catch(() => undefined);
        count += 1;
      }
    }
    if (count > 0) deps.logger.warn({ count }, 'send jobs failed for good; their recipients are now failed or uncertain in the ledger');
    return count;
  }

  async function stale(now: number): Promise<number> {
    const due = await deps.redis.zrangebyscore(k.awaitingReport(), '-inf', now - deps.settings.staleAfterS * 1000, 'LIMIT', 0, 500);
    let flagged = 0;
    for (const member of due) {
      // `<messageId>:<index>` or a run `<messageId>:<first>-<last>` (see Ledger.awaitReports).
      const cut = member.lastIndexOf(':');
      const messageId = member.slice(0, cut);
      const [first, last = first] = member.slice(cut + 1).split('-').map(Number);
      for (const entry of await ledger.range(messageId, first ?? 0, (last ?? 0) + 1)) {
        if (entry.state === 'sent' && (await deps.redis.zadd(k.stale(), 'NX', now, `${messageId}:${entry.index}`)) === 1) flagged += 1;
      }
      await deps.redis.zrem(k.awaitingReport(), member);
    }
    if (flagged > 0) {
      await deps.redis.incrby(k.staleCount(), flagged);
      deps.metrics.stale(flagged);
    }
    return flagged;
  }

  async function orphans(now: number): Promise<number> {
    const candidates = await deps.redis.zrangebyscore(k.open(), '-inf', now - ORPHAN_AGE_MS, 'LIMIT', 0, 100);
    let requeued = 0;
    for (const messageId of candidates) {
      const [meta, counts] = await Promise.all([ledger.getMeta(messageId), ledger.counts(messageId)]);
      if (!meta || !counts || counts.queued === 0) {
        await deps.redis.zrem(k.open(), messageId);
        continue;
      }
      const queue = deps.queues[laneOf(meta.purpose)];
      const unfinished = await unfinishedBatches(queue, messageId, meta.total, meta.batchSize);
      if (unfinished.size > 0) requeued += await addBatchJobs(queue, messageId, meta.total, meta.batchSize, (start) => unfinished.has(start), sendJobOptions(deps.settings));
    }
    return requeued;
  }

  /**
   * Starts of the batches with a recipient still queued whose job is gone (never added, or removed
   * after it ran): only those are added again. A batch whose job is still kept (waiting, delayed,
   * running, or finished and not yet removed) is left to it: adding it again would be a no-op.
   */
  async function unfinishedBatches(queue: SendQueues[keyof SendQueues], messageId: string, total: number, batchSize: number): Promise<Set<number>> {
    const starts: number[] = [];
    for (let start = 0; start < total; start += batchSize) starts.push(start);
    const unfinished = new Set<number>();
    for (let from = 0; from < starts.length; from += SWEEP_BATCHES) {
      const page = starts.slice(from, from + SWEEP_BATCHES);
      const kept = await Promise.all(page.map((start) => deps.redis.exists(queue.toKey(batchJobId(messageId, start / batchSize)))));
      const gone = page.filter((_, position) => kept[position] === 0);
      const entries = await Promise.all(gone.map((start) => ledger.range(messageId, start, Math.min(total, start + batchSize))));
      gone.forEach((start, position) => { if (entries[position]?.some((entry) => entry.state === 'queued')) unfinished.add(start); });
    }
    return unfinished;
  }

  async function trimIndexes(now: number): Promise<void> {
    const expired = now - TTL.ledgerS * 1000;
    await deps.redis.zremrangebyscore(k.messages(), '-inf', expired);
    await deps.redis.zremrangebyscore(k.stale(), '-inf', expired);
    await deps.redis.zremrangebyscore(k.awaitingReport(), '-inf', expired);
  }

  return {
    finalizeBatch,
    /** One pass of every step; returns what it did. */
    async sweep(now = (deps.clock ?? systemClock).now().getTime()): Promise<SweepReport> {
      const report = {
        failedJobs: await failedJobs(),
        stale: await stale(now),
        expiredReports: await deps.deliveryReports.expirePending(now),
        requeued: await orphans(now),
      };
      await trimIndexes(now);
      return report;
    },
  };
}

export type Sweeper = ReturnType<typeof createSweeper>;
