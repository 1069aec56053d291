/**
 * Processes one batch job: the recipients of one message in an index range. Before any provider
 * call the recipients move to `sending`; a run that finds `sending` entries knows an earlier run
 * died between the call and its record (the crash window), and marks them `uncertain` instead of
 * sending again. Temporary failures go back to `queued` and the job is retried with backoff; the
 * last attempt fails them for good.
 */
import { DelayedError, type Job } from 'bullmq';
import type { Keys } from '../../infra/redis/keys';
import type { Logger } from '../../kernel/logger';
import type { RedisClient } from '../../infra/redis/client';
import { systemClock, type Clock } from '../../kernel/clock';
import type { RecipientOutcome, SendOutcome, SmsProvider } from './sms-provider';
import type { DeliveryReports } from './delivery-reports';
import type { Ledger, TransitionOp } from './ledger.redis';
import type { MessagingMetrics } from './messaging-metrics';
import type { NetworkBudgets } from './network-budgets.redis';
import { PACE_GUARD_MS, type Grant, type NetworkSlot, type SendRateLimiter } from './rate-limiter.redis';
import type { SuppressionList } from './suppression.redis';
import { laneOf, type Lane, type LedgerEntry, type MessageMeta, type SendJobData } from './types';
import { errorWithCode } from '../../kernel/errors';

export interface SendWorkerDeps {
  redis: RedisClient;
  keys: Keys;
  ledger: Ledger;
  suppression: SuppressionList;
  limiter: SendRateLimiter;
  /** Per-network shares of the rate (SMS_NETWORK_SHARES); absent or empty: the global rate only. */
  networkBudgets?: NetworkBudgets;
  provider: SmsProvider;
  deliveryReports: DeliveryReports;
  metrics: MessagingMetrics;
  logger: Logger;
  maxAttempts: number;
  defaultSenderId: string | undefined;
  /** The system clock when absent (BullMQ's delays are in real time: give a fixed clock only to tests that never delay). */
  clock?: Clock;
}

/** Thrown to make BullMQ retry the batch later (its backoff applies). */
export class RetryLaterError extends errorWithCode('SMS.SEND_RETRY') {}

export function createBatchProcessor(deps: SendWorkerDeps) {
  const { ledger, logger } = deps;
  const clock = deps.clock ?? systemClock;

  return async function processBatch(job: Job<SendJobData>, token?: string, signal?: AbortSignal): Promise<void> {
    const { messageId, start, end } = job.data;
    // Both reads in one round trip (the range of a message with no ledger is simply unused).
    const [meta, read] = await Promise.all([ledger.getMeta(messageId), ledger.range(messageId, start, end)]);
    if (!meta) {
      logger.warn({ messageId, jobId: job.id }, 'send job for a message with no ledger; dropped');
      return;
    }
    // 1. The crash window: an earlier run may have called the provider for these. Never re-send.
    await move(meta, read.filter((entry) => entry.state === 'sending'), 'uncertain', 'interrupted_during_send');
    // 2. Past its validity nothing more goes out.
    const entries = read.filter((entry) => entry.state === 'queued');
    if (await skipIfExpired(meta, entries)) return;
    // 3. Provider calls, each within the rate and each after a look at the opt-outs made as its
    // slots are taken (opt-outs that arrived after queueing win; their slots are given back).
    // Slots are taken right before a call (a call never carries more than its lane's share, nor
    // more of a network than the network's): a call that leaves later than its slot could share a
    // second with the calls of the next one.
    const lane = laneOf(meta.purpose);
    const chunkSize = Math.max(1, Math.min(meta.batchSize, deps.limiter.limitFor(lane)));
    const budgets = deps.networkBudgets?.enabled ? deps.networkBudgets : undefined;
    const runs: LedgerEntry[][] = [];
    // Whether a call of this run may have left a recipient `queued` (a temporary failure, a claim that did not move).
    let leftQueued = false;
    for (let offset = 0; offset < entries.length; offset += chunkSize) {
      const chunk = entries.slice(offset, offset + chunkSize);
      runs.push(...(budgets ? budgets.split(chunk, (entry) => entry.phone) : [chunk]));
    }
    for (let position = 0; position < runs.length; position += 1) {
      let rest = runs[position] ?? [];
      for (let first = rest[0]; first; first = rest[0]) {
        const network = budgets?.slotOf(first.phone);
        // The opt-outs are read in the same round trip as the slots are taken.
        const askedAt = performance.now();
        const [grant, optedOut] = await Promise.all([
          deps.limiter.take(rest.length, lane, { ...(network ? { network } : {}), ...(signal ? { signal } : {}) }),
          suppressedAmong(meta, rest),
        ]);
        if (!grant) return delayForShutdown(job, token);
        // The validity can pass during the wait for the rate: the rest of the batch is skipped, never sent late.
        if (await skipIfExpired(meta, [...rest, ...runs.slice(position + 1).flat()], grant)) return;
        const part = rest.slice(0, grant.count);
        rest = rest.slice(grant.count);
        // The wait for the rate can be long: a STOP confirmed meanwhile must still win, so after a
        // wait the call's recipients are checked again, right before their call.
        const waited = performance.now() - askedAt > PACE_GUARD_MS;
        const result = await sendChunk(meta, await dropSuppressed(meta, part, waited ? undefined : optedOut), lane, grant, network, signal);
        if (result === 'shutting_down') return delayForShutdown(job, token);
        // A whole-call rejection would hit the next call too: leave the rest queued for the retry.
        if (result === 'rejected') return retryOrFail(job, meta);
        if (result === 'left_queued') leftQueued = true;
      }
    }
    // 4. Temporary failures: retry the job, or on the last attempt fail them for good. When every
    // call of this run put its recipients past `queued`, there is nothing to look for.
    if (leftQueued) await retryOrFail(job, meta);
  };

  async function retryOrFail(job: Job<SendJobData>, meta: MessageMeta): Promise<void> {
    const { messageId, start, end } = job.data;
    const left = (await ledger.range(messageId, start, end)).filter((entry) => entry.state === 'queued');
    if (left.length === 0 || (await skipIfExpired(meta, left))) return;
    if (job.attemptsMade + 1 < deps.maxAttempts) throw new RetryLaterError(`${left.length} recipient(s) failed temporarily; retrying`);
    await move(meta, left, 'failed');
  }

  async function delayForShutdown(job: Job<SendJobData>, token: string | undefined): Promise<never> {
    await job.moveToDelayed(clock.now().getTime() + 1000, token);
    throw new DelayedError('shutting down: batch continues later');
  }

  /** True (and the entries skipped `expired`, the grant's slots given back) when the message's validity has passed. */
  async function skipIfExpired(meta: MessageMeta, queued: LedgerEntry[], grant?: Grant): Promise<boolean> {
    if (meta.expiresAt === undefined || clock.now().getTime() < meta.expiresAt) return false;
    if (grant) await deps.limiter.release(grant);
    await move(meta, queued, 'skipped', 'expired');
    return true;
  }

  /** The phones among `entries` suppressed for the message's sender (none for an opt-out's own confirmation). */
  async function suppressedAmong(meta: MessageMeta, entries: LedgerEntry[]): Promise<Set<string>> {
    if (meta.purpose === 'optout_confirmation' || entries.length === 0) return new Set();
    return deps.suppression.suppressedAmong(entries.map((entry) => entry.phone), meta.from ?? deps.defaultSenderId);
  }

  /** Skips `opted_out` those of `queued` suppressed (as just read, or read now when `known` is absent); resolves the rest. */
  async function dropSuppressed(meta: MessageMeta, queued: LedgerEntry[], known?: Set<string>): Promise<LedgerEntry[]> {
    if (meta.purpose === 'optout_confirmation' || queued.length === 0) return queued;
    const suppressed = known ?? await suppressedAmong(meta, queued);
    if (suppressed.size === 0) return queued;
    await move(meta, queued.filter((entry) => suppressed.has(entry.phone)), 'skipped', 'opted_out');
    return queued.filter((entry) => !suppressed.has(entry.phone));
  }

  /**
   * Claims, sends and records one call on `grant` (slots the call does not use are given back).
   * When the claim took longer than the rate's guard, the slots are taken again first, so the call
   * never leaves later than its slot allows.
   */
  async function sendChunk(meta: MessageMeta, chunk: LedgerEntry[], lane: Lane, taken: Grant, network: NetworkSlot | undefined, signal?: AbortSignal): Promise<'sent' | 'left_queued' | 'rejected' | 'shutting_down'> {
    let grant = taken;
    const claimed = chunk.length === 0 ? [] : await ledger.claim(meta.messageId, chunk.map((entry) => ({ index: entry.index, attempts: (entry.attempts ?? 0) + 1 })));
    const sending = chunk.filter((_, position) => claimed[position]?.code === 'moved');
    await deps.limiter.release(grant, sending.length);
    const unclaimed = sending.length < chunk.length;
    if (sending.length === 0) return unclaimed ? 'left_queued' : 'sent';
    // Held until the slots' time (the claim above ran meanwhile), then sent within the guard.
    for (;;) {
      if (!(await deps.limiter.hold(grant, signal))) {
        await deps.limiter.release(grant);
        await move(meta, sending, 'queued', 'shutting_down');
        return 'shutting_down';
      }
      if (deps.limiter.fresh(grant)) break;
      await deps.limiter.release(grant);
      const again = await deps.limiter.take(sending.length, lane, { whole: true, ...(network ? { network } : {}), ...(signal ? { signal } : {}) });
      if (!again) {
        // Nothing left: they go back to the queue for the batch's next run.
        await move(meta, sending, 'queued', 'shutting_down');
        return 'shutting_down';
      }
      grant = again;
    }
    let outcome: SendOutcome;
    try {
      outcome = await deps.provider.send({ to: sending.map((entry) => entry.phone), message: meta.text, bulk: lane === 'bulk', ...(meta.from ? { from: meta.from } : {}) }, signal);
    } catch (error) {
      // The port promises not to throw; if it does, the request may have left: never re-send.
      outcome = { kind: 'uncertain', reason: `provider threw: ${error instanceof Error ? error.message : String(error)}` };
    }
    const requeued = await recordOutcome(meta, sending, outcome);
    if (outcome.kind === 'rejected') return 'rejected';
    return unclaimed || requeued ? 'left_queued' : 'sent';
  }

  /** Records the call's outcome; true when some of its recipients went back to `queued`. */
  async function recordOutcome(meta: MessageMeta, sending: LedgerEntry[], outcome: SendOutcome): Promise<boolean> {
    const route = outcome.route;
    if (outcome.kind === 'uncertain') {
      await move(meta, sending, 'uncertain', outcome.reason, route);
      return false;
    }
    if (outcome.kind === 'rejected') {
      await move(meta, sending, outcome.retryable ? 'queued' : 'failed', outcome.reason, outcome.retryable ? undefined : route);
      return outcome.retryable;
    }
    const results = sending.map((entry, position): [LedgerEntry, RecipientOutcome] =>
      [entry, outcome.recipients[position] ?? { number: entry.phone, result: 'uncertain', reason: 'missing_from_provider_answer' }]);
    const accepted = results.flatMap(([entry, result]) => (result.result === 'accepted' ? [{ providerMessageId: result.providerMessageId, index: entry.index }] : []));
    // The id index is written before the entry moves, so a report that comes meanwhile still matches.
    await ledger.indexProviderIds(meta.messageId, accepted);
    const ops = results.map(([entry, result]) => opFor(entry, result, route));
    // Those accepted await a final report: noted in the same round trip as the move (one whose move
    // is refused, its report already final, is skipped by the sweeper, which flags only `sent`).
    // A call whose recipients were all accepted (the usual one) takes the lighter `sent` move.
    const allSent = ops.every((op) => op.to === 'sent');
    const [moved] = await Promise.all([
      allSent ? ledger.recordSent(meta.messageId, ops) : ledger.transition(meta.messageId, ops),
      ledger.awaitReports(meta.messageId, ops.filter((op) => op.to === 'sent').map((op) => op.index), clock.now().getTime()),
      ...results.map(([entry, result]) => (result.result === 'failed_permanent' && result.blacklisted ? deps.suppression.suppress(entry.phone, 'provider_blacklist') : undefined)),
    ]);
    // Counted once per state for the call.
    const entered = new Map<TransitionOp['to'], number>();
    moved.forEach((result, position) => {
      const to = ops[position]?.to;
      if (to && result.code === 'moved') entered.set(to, (entered.get(to) ?? 0) + 1);
    });
    for (const [state, count] of entered) deps.metrics.entered(state, count);
    // After the awaiting set has them: a final report applied here takes its entry out of it.
    await deps.deliveryReports.resolvePending(accepted.map((pair) => pair.providerMessageId));
    return ops.some((op) => op.to === 'queued');
  }

  /** Moves entries to `to` with `reason` (default: their last reason, e.g. the final temporary failure). */
  async function move(meta: MessageMeta, entries: LedgerEntry[], to: 'uncertain' | 'queued' | 'failed' | 'skipped', reason?: string, route?: string): Promise<void> {
    if (entries.length === 0) return;
    const results = await ledger.transition(meta.messageId, entries.map((entry) => ({
      index: entry.index, to, patch: { reason: reason ?? entry.reason ?? to, ...(route ? { route } : {}) },
    })));
    deps.metrics.entered(to, results.filter((result) => result.code === 'moved').length);
  }
}

function opFor(entry: LedgerEntry, result: RecipientOutcome, route: string | undefined): TransitionOp {
  const op = opForResult(entry, result);
  return route && op.to !== 'queued' ? { ...op, patch: { ...op.patch, route } } : op;
}

function opForResult(entry: LedgerEntry, result: RecipientOutcome): TransitionOp {
  switch (result.result) {
    case 'accepted':
      // merge: a delivery report may already have moved it past `sent`; keep the id, cost and parts anyway.
      return {
        index: entry.index, to: 'sent', merge: true,
        patch: { providerMessageId: result.providerMessageId, statusCode: result.statusCode, ...(result.cost ? { cost: result.cost } : {}), ...(result.parts ? { parts: result.parts } : {}) },
      };
    case 'failed_permanent':
      return { index: entry.index, to: 'failed', patch: { reason: result.reason, ...(result.statusCode ? { statusCode: result.statusCode } : {}) } };
    case 'failed_retryable':
      return { index: entry.index, to: 'queued', patch: { reason: result.reason, ...(result.statusCode ? { statusCode: result.statusCode } : {}) } };
    case 'uncertain':
      return { index: entry.index, to: 'uncertain', patch: { reason: result.reason } };
  }
}
