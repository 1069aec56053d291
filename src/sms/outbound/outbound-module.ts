/**
 * The outbound SMS module for the composition root: the pipeline (`outbound`), the suppression
 * list, what AT's delivery-report and opt-out callbacks do (`applyDeliveryReport`, `applyOptOut`;
 * the edge stores them in a spool first when Redis fails), the ledger read API, and `startWorkers` for
 * processes that send. The HTTP edge builds the routers around them; compose gives it its stores
 * (outbound-stores.redis.ts) on connections it opened.
 */
import type { MessagingConfig } from '../../config/load';
import type { Metrics } from '../../kernel/metrics';
import { normalisePhone } from '../../kernel/phone';
import type { Logger } from '../../kernel/logger';
import type { SmsProvider } from './sms-provider';
import type { BudgetStatus, ReplyCapStatus } from './cost-guard.redis';
import { DeliveryReports, type DeliveryReportForm, type ReportOutcome } from './delivery-reports';
import { createMessagingMetrics } from './messaging-metrics';
import { createOutboundPipeline, type OutboundPipeline } from './outbound-pipeline';
import type { OutboundStores } from './outbound-stores.redis';
import { LANES } from './queues.bullmq';
import type { SuppressionList } from './suppression.redis';
import type { SweepReport } from './sweeper.bullmq';
import type { Lane, LedgerEntry, MessageMeta, RecipientState, StateCounts } from './types';

import type { NetworkOutcomes } from './network-outcomes.redis';

export interface MessagingOptions {
  config: MessagingConfig;
  /** Its stores; the module closes them with itself. */
  stores: OutboundStores;
  logger: Logger;
  metrics: Metrics;
  provider: SmsProvider;
  /** Told of every recipient that reaches a state (the dashboard's per-minute counters). */
  onEntered?: (state: RecipientState, count: number) => void;
  /** Worker tuning; the defaults suit production (tests shorten them). */
  workers?: { priorityConcurrency?: number; bulkConcurrency?: number; sweepIntervalMs?: number; lockDurationMs?: number; stalledIntervalMs?: number; watchdog?: { stuckAfterMs?: number; checkEveryMs?: number } };
}

/** AT's bulk SMS opt-out callback (form `senderId, phoneNumber`). */
export interface OptOutForm {
  senderId?: string;
  phoneNumber?: string;
}

export interface Messaging {
  outbound: OutboundPipeline;
  suppression: SuppressionList;
  /** Applies one delivery report (the outbox's simulated ones come through here too). */
  applyDeliveryReport(form: DeliveryReportForm): Promise<ReportOutcome>;
  /** Suppresses the opt-out's number for its sender; resolves false when the number is not usable. */
  applyOptOut(form: OptOutForm): Promise<boolean>;
  getMessage(messageId: string): Promise<MessageMeta | undefined>;
  /** Message ids, newest first (each is its own send group); with `packId`, only that pack's. */
  listMessages(options?: { offset?: number; limit?: number; packId?: string }): Promise<string[]>;
  countsByGroup(messageId: string): Promise<StateCounts | undefined>;
  listByGroup(messageId: string, options?: { state?: RecipientState; offset?: number; limit?: number }): Promise<LedgerEntry[]>;
  /** The ledger state (and reason) of the recipient a provider message id belongs to; undefined once the id has expired. */
  stateByProviderId(providerMessageId: string): Promise<{ state: RecipientState; reason?: string } | undefined>;
  /** Entries flagged stale, newest first, as `{ messageId, index, flaggedAt }`; and their total count. */
  listStale(limit?: number): Promise<{ total: number; items: Array<{ messageId: string; index: number; flaggedAt: number }> }>;
  budget(): Promise<BudgetStatus>;
  /** One pack's SMS outcomes by the recipient's network (from delivery reports). */
  outcomesByNetwork(packId: string): ReturnType<NetworkOutcomes['forPack']>;
  /** The gateway-wide reply caps this hour and today, with a warning once one is reached. */
  replyCaps(): Promise<ReplyCapStatus>;
  /** Resolves true once its Redis connection is up (false after `timeoutMs`); commands fail fast before that. */
  ready(timeoutMs?: number): Promise<boolean>;
  /** One housekeeping pass (workers run it on a timer). */
  sweep(): Promise<SweepReport>;
  /**
   * Starts both lanes' workers and the sweeper; resolves with their stop function, which waits for
   * running batches (`force` does not: their recipients stay `sending` and turn `uncertain`).
   */
  startWorkers(): Promise<StopWorkers>;
  /** Stops workers (if started), queues and connections. Never throws. */
  close(): Promise<void>;
}

/**
 * Batch jobs each lane of a worker process runs at once (one provider call in flight each): replies
 * `SMS_WORKER_CONCURRENCY`, broadcasts `SMS_MAX_IN_FLIGHT` when set (a personalised broadcast is one
 * call per recipient, so its speed is calls in flight / the provider's answer time).
 */
export function laneConcurrency(config: Pick<MessagingConfig, 'workerConcurrency' | 'maxInFlight'>): Record<Lane, number> {
  const replies = config.workerConcurrency ?? 4;
  return { priority: replies, bulk: config.maxInFlight ? config.maxInFlight : replies };
}

/** Times a batch job may lose its worker (kill -9, lost host) before BullMQ fails it. */
const MAX_STALLS = 20;

export type StopWorkers = (options?: { force?: boolean }) => Promise<void>;

/** Providers that report deliveries themselves (the outbox) expose this. */
interface DeliveryReportSource {
  onDeliveryReport(listener: (report: DeliveryReportForm) => void): () => void;
}

function reportsDeliveries(provider: SmsProvider): provider is SmsProvider & DeliveryReportSource {
  return typeof (provider as Partial<DeliveryReportSource>).onDeliveryReport === 'function';
}

export function createMessaging(options: MessagingOptions): Messaging {
  const { config, logger, stores } = options;
  const { ledger, suppression, costGuard, queues } = stores;
  const log = logger.child({ module: 'messaging' });
  const counted = createMessagingMetrics(options.metrics);
  const onEntered = options.onEntered;
  const metrics: typeof counted = onEntered ? { ...counted, entered: (state, count = 1) => { counted.entered(state, count); onEntered(state, count); } } : counted;
  const deliveryReports = new DeliveryReports(stores.pendingReports, ledger, suppression, metrics, log, undefined, stores.networkOutcomes);
  for (const lane of LANES) queues[lane].on('error', (error: Error) => log.debug({ lane, err: error.message }, 'send queue error'));
  const retry = { maxAttempts: config.maxAttempts, retryBaseMs: config.retryBaseMs };
  const outbound = createOutboundPipeline({ ledger, suppression, costGuard, contentGuard: stores.contentGuard, queues, metrics, settings: { ...retry, batchSize: config.batchSize, defaultSenderId: config.defaultSenderId } });
  const sweeper = stores.sweeper({ deliveryReports, metrics, logger: log, settings: { ...retry, staleAfterS: config.staleAfterS } });

  const applyDeliveryReport = (form: DeliveryReportForm): Promise<ReportOutcome> => deliveryReports.apply(form);
  const applyOptOut = async (form: OptOutForm): Promise<boolean> => {
    const phone = normalisePhone(form.phoneNumber ?? '');
    if (!phone.ok) return false;
    const senderId = form.senderId?.trim();
    await suppression.suppress(phone.e164, 'at_opt_out', senderId || undefined);
    return true;
  };
  // The outbox's simulated reports acknowledge nothing to anyone: one lost while Redis is down
  // leaves its message `sent` until the sweeper flags it stale, as a real lost report would.
  const unsubscribe = reportsDeliveries(options.provider)
    ? options.provider.onDeliveryReport((report) => {
      applyDeliveryReport(report).catch((error: unknown) => log.warn({ err: error instanceof Error ? error.message : String(error) }, 'simulated delivery report lost: Redis failed'));
    })
    : undefined;

  options.metrics.gauge('kiungo_sms_queue_depth', 'Send batch jobs waiting, delayed or running, by lane', ['lane'] as const, async function collect() {
    for (const lane of LANES) {
      const counts = await queues[lane].getJobCounts('waiting', 'delayed', 'active', 'prioritized').catch(() => undefined);
      if (counts) this.set({ lane }, Object.values(counts).reduce((sum, n) => sum + n, 0));
    }
  });

  let stopWorkers: StopWorkers | undefined;
  const restarts = options.metrics.counter('kiungo_worker_restarts_total', 'Queue workers replaced by the watchdog because they stopped taking ready jobs', ['worker'] as const);

  async function startWorkers(): Promise<StopWorkers> {
    if (stopWorkers) return stopWorkers;
    await stores.ready(5000);
    void stores.contentGuard.prepare();
    const tuning = options.workers ?? {};
    const lanes = laneConcurrency(config);
    const lockMs = tuning.lockDurationMs ?? config.workerLockMs;
    const stalledMs = tuning.stalledIntervalMs ?? config.workerLockMs;
    const processor = stores.batchProcessor({ provider: options.provider, deliveryReports, metrics, logger: log, maxAttempts: config.maxAttempts, defaultSenderId: config.defaultSenderId });
    const stopLanes = stores.startLaneWorkers({
      processor,
      concurrency: (lane) => lane === 'priority' ? (tuning.priorityConcurrency ?? lanes.priority) : (tuning.bulkConcurrency ?? lanes.bulk),
      // A batch taken up again after its worker died never re-sends (its `sending` recipients turn
      // uncertain), so a few crashes must not fail the queued rest of it (BullMQ's default is 1).
      maxStalledCount: MAX_STALLS,
      ...(lockMs ? { lockDurationMs: lockMs } : {}),
      ...(stalledMs ? { stalledIntervalMs: stalledMs } : {}),
      onError: (lane, error) => log.warn({ lane, err: error.message }, 'send worker error'),
      logger: log,
      watchdog: { ...tuning.watchdog, onRestart: (lane) => restarts.inc({ worker: `send-${lane}` }) },
      // A job that failed for good is written into the ledger now.
      onFailedForGood: () => void sweeper.sweep().catch((error: unknown) => log.warn({ err: error }, 'sweep after a failed job did not finish')),
    });
    const timer = setInterval(() => { void sweeper.sweep().catch((error: unknown) => log.warn({ err: error }, 'sweep failed')); }, tuning.sweepIntervalMs ?? config.sweepIntervalMs ?? 30_000);
    timer.unref();
    stopWorkers = async (stopOptions) => {
      clearInterval(timer);
      await stopLanes(stopOptions?.force ?? false);
      stopWorkers = undefined;
    };
    return stopWorkers;
  }

  return {
    outbound,
    suppression,
    applyDeliveryReport,
    applyOptOut,
    getMessage: (messageId) => ledger.getMeta(messageId),
    listMessages: ({ offset = 0, limit = 50, packId } = {}) => (packId === undefined ? ledger.listMessages(offset, limit) : ledger.listPackMessages(packId, offset, limit)),
    countsByGroup: (messageId) => ledger.counts(messageId),
    listByGroup: (messageId, listOptions) => ledger.list(messageId, listOptions),
    async stateByProviderId(providerMessageId) {
      const found = await ledger.findByProviderId(providerMessageId);
      const entry = found ? await ledger.entry(found.messageId, found.index) : undefined;
      return entry ? { state: entry.state, ...(entry.reason ? { reason: entry.reason } : {}) } : undefined;
    },
    listStale: (limit = 100) => ledger.listStale(limit),
    budget: () => costGuard.budget(),
    outcomesByNetwork: (packId) => stores.networkOutcomes.forPack(packId),
    replyCaps: () => costGuard.replyCaps(),
    ready: (timeoutMs = 5000) => stores.ready(timeoutMs),
    sweep: () => sweeper.sweep(),
    startWorkers,
    async close() {
      try {
        unsubscribe?.();
        if (stopWorkers) await stopWorkers();
        await Promise.all(LANES.map((lane) => queues[lane].close().catch(() => undefined)));
      } catch (error) {
        log.warn({ err: error }, 'error while closing messaging');
      } finally {
        await stores.close();
      }
    },
  };
}
