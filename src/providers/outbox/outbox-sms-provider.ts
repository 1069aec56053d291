/**
 * The SMS provider port on a local outbox: nothing leaves the machine. Each message is kept in the
 * outbox store (outbox.redis.ts: a list per phone, the simulator's inbox, and a global list, what
 * `GET /api/v1/outbox` lists), and is accepted with an `OUTBOX_<uuid>` id. After a short delay it
 * can report its own delivery (status Success) to whoever listens, so the whole loop, delivery
 * reports included, runs with no account anywhere.
 */
import { randomUUID } from 'node:crypto';
import { normalisePhone } from '../../kernel/phone';
import { systemClock, type Clock } from '../../kernel/clock';
import type { Logger } from '../../kernel/logger';
import type { OutboundSms, RecipientOutcome, SendOutcome, SmsProvider } from '../../sms/outbound/sms-provider';
import { measureSms } from '../../kernel/text/gsm';

export interface OutboxMessage {
  id: string;
  to: string;
  from?: string;
  message: string;
  bulk: boolean;
  segments: number;
  /** Epoch ms when it was stored. */
  at: number;
}

export interface ListOutboxQuery {
  /** One phone's inbox (any form `normalisePhone` accepts); everything when absent. */
  phone?: string;
  limit: number;
  /** Only messages stored after this epoch ms. */
  since?: number;
}

/** Where the outbox keeps its messages. */
export interface OutboxStore {
  /** Adds the message to the global list; rejects when the outbox cannot be written. */
  add(message: OutboxMessage): Promise<void>;
  /** Files the phone's copy (`message.to`, E.164) in its inbox. */
  file(message: OutboxMessage): Promise<void>;
  /** Newest first. An invalid `phone` gives an empty list, never an error. */
  list(query: ListOutboxQuery): Promise<OutboxMessage[]>;
}

/** The report the outbox sends about itself, shaped like AT's delivery report form. */
export interface SimulatedDeliveryReport {
  id: string;
  status: 'Success';
  phoneNumber: string;
  networkCode: string;
}

export interface OutboxOptions {
  store: OutboxStore;
  /** Delay before the simulated Success report; 0 = none. */
  deliveryReportDelayMs: number;
  logger?: Logger;
  /** Stamps each stored message; the system clock when absent. */
  clock?: Clock;
}

export class OutboxSmsProvider implements SmsProvider {
  readonly name = 'outbox';
  private readonly listeners = new Set<(report: SimulatedDeliveryReport) => void>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: OutboxOptions) {}

  /** Stores each valid number's copy and accepts it; invalid numbers fail for good. Never rejects. */
  async send(sms: OutboundSms, signal?: AbortSignal): Promise<SendOutcome> {
    if (signal?.aborted) return { kind: 'rejected', reason: 'aborted before the call', retryable: true };
    const segments = measureSms(sms.message).segments;
    const recipients: RecipientOutcome[] = [];
    for (const number of sms.to) recipients.push(await this.store(number, sms, segments));
    return { kind: 'per_recipient', recipients };
  }

  private async store(number: string, sms: OutboundSms, segments: number): Promise<RecipientOutcome> {
    const phone = normalisePhone(number);
    if (!phone.ok) return { number, result: 'failed_permanent', reason: 'InvalidPhoneNumber', statusCode: 403 };
    const message: OutboxMessage = { id: `OUTBOX_${randomUUID()}`, to: phone.e164, message: sms.message, bulk: sms.bulk, segments, at: (this.options.clock ?? systemClock).now().getTime(), ...(sms.from ? { from: sms.from } : {}) };
    const { store } = this.options;
    try {
      await store.add(message);
    } catch (error) {
      return { number, result: 'failed_retryable', reason: `outbox unavailable: ${error instanceof Error ? error.message : String(error)}` };
    }
    // From here on the message is in the outbox: a failure to file the phone's copy must not resend it.
    try {
      await store.file(message);
    } catch (error) {
      this.options.logger?.warn({ err: error }, 'outbox: could not file the per-phone copy');
    }
    this.scheduleReport(message);
    return { number, result: 'accepted', providerMessageId: message.id, cost: { currency: 'TZS', amount: 0 }, parts: segments, statusCode: 101 };
  }

  private scheduleReport(message: OutboxMessage): void {
    if (this.options.deliveryReportDelayMs <= 0 || this.listeners.size === 0) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const report: SimulatedDeliveryReport = { id: message.id, status: 'Success', phoneNumber: message.to, networkCode: '99999' };
      for (const listener of this.listeners) listener(report);
    }, this.options.deliveryReportDelayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Subscribes to simulated delivery reports; returns the unsubscribe function. */
  onDeliveryReport(listener: (report: SimulatedDeliveryReport) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  /** Cancels reports not yet emitted. */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.listeners.clear();
  }
}
