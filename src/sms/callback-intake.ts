/**
 * What AT's SMS callbacks carry (incoming SMS, delivery reports, opt-outs) is stored before it is
 * acknowledged: in Redis when it answers, else in the local fsync'd spool. Each call resolves only
 * once one of them holds it; it throws `AppError('SMS.UNAVAILABLE')` when neither can (the webhook
 * then answers 503 so that AT retries). The spool is replayed through the same appliers, which are
 * idempotent: an incoming SMS is keyed by its AT id, a delivery report never undoes a final state,
 * an opt-out is a set membership.
 */
import type { Logger } from '../kernel/logger';
import type { Metrics } from '../kernel/metrics';
import { AppError } from '../kernel/errors';
import { createFileSpool, type FileSpool, type SpoolRecord } from '../infra/spool/file-spool';
import type { InboundSms } from './inbound/inbound-sms-service';
import type { DeliveryReportForm, ReportOutcome } from './outbound/delivery-reports';
import type { OptOutForm } from './outbound/outbound-module';

export interface CallbackAppliers {
  /** Stores and queues an incoming SMS; false when its id was queued before. */
  inboundSms(sms: InboundSms): Promise<boolean>;
  deliveryReport(form: DeliveryReportForm): Promise<ReportOutcome>;
  /** False when the number is not usable. */
  optOut(form: OptOutForm): Promise<boolean>;
}

export interface CallbackIntake {
  inboundSms(sms: InboundSms): Promise<'queued' | 'duplicate' | 'spooled'>;
  deliveryReport(form: DeliveryReportForm): Promise<ReportOutcome | 'spooled'>;
  optOut(form: OptOutForm): Promise<'applied' | 'ignored' | 'spooled'>;
  /** Takes over spool files left by stopped processes and replays what waits. */
  start(): Promise<void>;
  close(): Promise<void>;
  spool: FileSpool;
}

type Kind = 'sms' | 'dlr' | 'opt_out';

export function createCallbackIntake(options: { appliers: CallbackAppliers; dir: string; maxBytes: number; logger: Logger; metrics: Metrics; retryIntervalMs?: number }): CallbackIntake {
  const { appliers, metrics } = options;
  const log = options.logger.child({ module: 'callback-intake' });
  const spooled = metrics.counter('kiungo_callback_spooled_total', 'Callbacks written to the local spool because Redis failed, by kind', ['kind'] as const);
  const replayed = metrics.counter('kiungo_callback_replayed_total', 'Spooled callbacks applied to Redis, by kind', ['kind'] as const);
  const refused = metrics.counter('kiungo_callback_refused_total', 'Callbacks answered 503 because neither Redis nor the spool could take them, by kind', ['kind'] as const);
  const unreadable = metrics.counter('kiungo_callback_spool_unreadable_total', 'Spool lines that could not be read (a write cut by a crash before it was acknowledged)', [] as const);

  const replayOne = async (record: SpoolRecord): Promise<void> => {
    switch (record.kind as Kind) {
      case 'sms': await appliers.inboundSms(record.body as InboundSms); return;
      case 'dlr': await appliers.deliveryReport(record.body as DeliveryReportForm); return;
      case 'opt_out': await appliers.optOut(record.body as OptOutForm); return;
      default: log.error({ kind: record.kind }, 'spooled callback of an unknown kind skipped');
    }
  };
  const spool = createFileSpool({
    dir: options.dir,
    maxBytes: options.maxBytes,
    logger: options.logger,
    replayOne,
    ...(options.retryIntervalMs ? { retryIntervalMs: options.retryIntervalMs } : {}),
    observe: {
      spooled: (kind) => spooled.inc({ kind }),
      replayed: (kind) => replayed.inc({ kind }),
      unreadable: () => unreadable.inc(),
    },
  });
  metrics.gauge('kiungo_callback_spool_depth', 'Callbacks waiting in the local spool for Redis', [] as const, function collect() { this.set(spool.depth()); });
  metrics.gauge('kiungo_callback_spool_bytes', 'Bytes held by the local callback spool', [] as const, function collect() { this.set(spool.bytes()); });

  /** Applies `body` to Redis, or spools it when that fails; throws when the spool cannot take it either. */
  async function take<R>(kind: Kind, body: unknown, apply: () => Promise<R>): Promise<R | 'spooled'> {
    try {
      return await apply();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      try {
        await spool.append({ kind, body });
      } catch (spoolError) {
        refused.inc({ kind });
        log.error({ kind, redis: reason, spool: spoolError instanceof Error ? spoolError.message : String(spoolError) }, 'callback not stored: Redis and the spool both failed');
        throw spoolError instanceof AppError ? spoolError : new AppError('SMS.UNAVAILABLE', 'callback not stored', undefined, { cause: spoolError });
      }
      log.warn({ kind, err: reason }, 'callback spooled: Redis failed');
      return 'spooled';
    }
  }

  return {
    spool,
    inboundSms: async (sms) => {
      const result = await take('sms', sms, () => appliers.inboundSms(sms));
      return result === 'spooled' ? result : result ? 'queued' : 'duplicate';
    },
    deliveryReport: (form) => take('dlr', form, () => appliers.deliveryReport(form)),
    optOut: async (form) => {
      const result = await take('opt_out', form, () => appliers.optOut(form));
      return result === 'spooled' ? result : result ? 'applied' : 'ignored';
    },
    start: () => spool.start(),
    close: () => spool.close(),
  };
}
