/**
 * Delivery reports (DLRs) into the ledger. AT's statuses are compared case-insensitively:
 * Success (and Delivered) -> delivered; Failed, Rejected, Expired -> failed; Sent, Submitted,
 * Buffered, AbsentSubscriber -> sent (not final). A final state is never undone, except that a
 * Success after a Failed report ends delivered: the handset confirmed it.
 *
 * A report can beat the worker that sent the message (AT answers, sends the DLR, and only then
 * does the worker record the id). Such a report waits in a pending hash; the worker checks that
 * hash after recording ids, and the report handler re-checks the id index after stashing, so
 * whichever comes second applies it (both checks follow their own write; a double apply is a no-op).
 */
import type { Logger } from '../../kernel/logger';
import { systemClock, type Clock } from '../../kernel/clock';
import type { Ledger } from './ledger.redis';
import type { MessagingMetrics } from './messaging-metrics';
import type { PendingReports } from './pending-reports.redis';
import type { SuppressionList } from './suppression.redis';
import { networkOf } from '../../kernel/network';
import type { NetworkOutcomes } from './network-outcomes.redis';

export interface DeliveryReportForm {
  id?: string;
  messageId?: string;
  status?: string;
  phoneNumber?: string;
  networkCode?: string;
  failureReason?: string;
  retryCount?: string;
}

export type ReportOutcome = 'applied' | 'repeated' | 'kept_final' | 'pending' | 'unknown_status' | 'missing_fields';

type MappedState = 'delivered' | 'failed' | 'sent';

const STATUS_MAP: Record<string, MappedState> = {
  success: 'delivered', delivered: 'delivered',
  failed: 'failed', rejected: 'failed', expired: 'failed',
  sent: 'sent', submitted: 'sent', buffered: 'sent', absentsubscriber: 'sent',
};

/** Ledger state for an AT status (any case), or undefined for a status we do not know. */
export function stateForStatus(status: string): MappedState | undefined {
  return STATUS_MAP[status.trim().toLowerCase()];
}

const MAX_PENDING = 10_000;

export class DeliveryReports {
  constructor(
    private readonly pending: PendingReports,
    private readonly ledger: Ledger,
    private readonly suppression: SuppressionList,
    private readonly metrics: MessagingMetrics,
    private readonly logger: Logger,
    private readonly clock: Clock = systemClock,
    private readonly networks?: NetworkOutcomes,
  ) {}

  /** Applies one report. Never throws for bad input (the outcome says what happened); throws only when Redis fails. */
  async apply(form: DeliveryReportForm): Promise<ReportOutcome> {
    const providerMessageId = (form.id ?? form.messageId ?? '').trim();
    const status = (form.status ?? '').trim();
    const outcome = await this.applyOnce(providerMessageId, status, form);
    this.metrics.report(outcome);
    return outcome;
  }

  private async applyOnce(providerMessageId: string, status: string, form: DeliveryReportForm): Promise<ReportOutcome> {
    if (!providerMessageId || !status) {
      this.logger.info({ fields: Object.keys(form) }, 'delivery report without id or status ignored');
      return 'missing_fields';
    }
    if (!stateForStatus(status)) {
      this.logger.warn({ providerMessageId, status }, 'delivery report with unknown status ignored');
      return 'unknown_status';
    }
    const target = await this.ledger.findByProviderId(providerMessageId);
    if (target) return this.applyTo(target.messageId, target.index, status, form);
    await this.stash(providerMessageId, form);
    const late = await this.ledger.findByProviderId(providerMessageId);
    if (!late) return 'pending';
    await this.pending.drop([providerMessageId]);
    return this.applyTo(late.messageId, late.index, status, form);
  }

  private async applyTo(messageId: string, index: number, status: string, form: DeliveryReportForm): Promise<ReportOutcome> {
    const to = stateForStatus(status) ?? 'sent';
    const reason = to === 'failed' ? (form.failureReason?.trim() || status) : undefined;
    const patch = { lastReport: status, ...(form.networkCode ? { networkCode: form.networkCode } : {}), ...(reason ? { reason } : {}) };
    const [result] = await this.ledger.transition(messageId, [{ index, to, patch }]);
    if (!result || result.code === 'missing') return 'kept_final';
    if (result.code === 'refused') {
      this.logger.info({ messageId, index, status, state: result.previous }, 'delivery report after a final state: kept the first');
      return 'kept_final';
    }
    if (result.code === 'moved') {
      this.metrics.entered(to);
      this.metrics.byNetwork(networkOf(form.networkCode), to);
      await this.countForPack(messageId, form.networkCode, to);
    }
    if (to !== 'sent') await this.ledger.stopAwaitingReport(messageId, index);
    if (to === 'failed' && form.failureReason?.trim().toLowerCase() === 'userinblacklist') {
      const entry = await this.ledger.entry(messageId, index);
      if (entry) await this.suppression.suppress(entry.phone, 'delivery_report');
    }
    return result.code === 'moved' ? 'applied' : 'repeated';
  }

  /** The pack's per-network tally; a failure is logged, never fails the report. */
  private async countForPack(messageId: string, networkCode: string | undefined, state: 'sent' | 'delivered' | 'failed'): Promise<void> {
    if (!this.networks) return;
    try {
      const packId = (await this.ledger.getMeta(messageId))?.packId;
      if (packId) await this.networks.record(packId, networkCode, state);
    } catch (error) {
      this.logger.debug({ err: (error as Error).message }, 'SMS outcome by network not counted');
    }
  }

  private async stash(providerMessageId: string, form: DeliveryReportForm): Promise<void> {
    if ((await this.pending.size()) >= MAX_PENDING) {
      this.logger.warn({ providerMessageId }, 'too many unmatched delivery reports; dropping this one');
      return;
    }
    await this.pending.keep(providerMessageId, form, this.clock.now().getTime());
  }

  /** Applies reports that arrived before these ids were recorded. Called by the worker after recording. */
  async resolvePending(providerMessageIds: string[]): Promise<number> {
    // Nearly always none waits: one count then, instead of reading every id of the batch (the
    // same answer as that read would give at this moment).
    if (providerMessageIds.length === 0 || (await this.pending.size()) === 0) return 0;
    const forms = await this.pending.get(providerMessageIds);
    const found = providerMessageIds.filter((_, position) => forms[position]);
    if (found.length === 0) return 0;
    await this.pending.drop(found);
    for (const [position, providerMessageId] of providerMessageIds.entries()) {
      const form = forms[position];
      if (!form) continue;
      const target = await this.ledger.findByProviderId(providerMessageId);
      if (target) this.metrics.report(await this.applyTo(target.messageId, target.index, (form.status ?? '').trim(), form));
    }
    return found.length;
  }

  /** Drops reports that never matched a message (unknown ids) after their wait. Returns how many. */
  async expirePending(now = this.clock.now().getTime()): Promise<number> {
    const old = await this.pending.expired(now, 500);
    if (old.length === 0) return 0;
    await this.pending.drop(old);
    this.logger.info({ count: old.length }, 'delivery reports for unknown message ids dropped');
    return old.length;
  }
}
