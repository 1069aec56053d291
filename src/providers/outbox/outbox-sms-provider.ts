/**
 * The SMS provider port on a local outbox: nothing leaves the machine. Each message is kept in
 * Redis, in a capped list per phone (the simulator's inbox) and a capped global list (what
 * `GET /api/v1/outbox` lists), and is accepted with an `OUTBOX_<uuid>` id. After a short delay it
 * can report its own delivery (status Success) to whoever listens, so the whole loop, delivery
 * reports included, runs with no account anywhere.
 */
import { randomUUID } from 'node:crypto';
import { normalisePhone } from '../../kernel/phone';
import { systemClock, type Clock } from '../../kernel/clock';
import type { Keys } from '../../infra/redis/keys';
import type { Logger } from '../../kernel/logger';
import type { RedisClient } from '../../infra/redis/client';
import type { Erasable } from '../../privacy/erasable';
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

/** The report the outbox sends about itself, shaped like AT's delivery report form. */
export interface SimulatedDeliveryReport {
  id: string;
  status: 'Success';
  phoneNumber: string;
  networkCode: string;
}

export interface OutboxOptions {
  redis: RedisClient;
  keys: Keys;
  /** Delay before the simulated Success report; 0 = none. */
  deliveryReportDelayMs: number;
  logger?: Logger;
  /** Messages kept per phone and overall. */
  perPhoneLimit?: number;
  globalLimit?: number;
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
    const { redis, keys } = this.options;
    const json = JSON.stringify(message);
    try {
      await redis.lpush(keys.messaging.outboxAll(), json);
      await redis.ltrim(keys.messaging.outboxAll(), 0, (this.options.globalLimit ?? 1000) - 1);
    } catch (error) {
      return { number, result: 'failed_retryable', reason: `outbox unavailable: ${error instanceof Error ? error.message : String(error)}` };
    }
    // From here on the message is in the outbox: a failure to file the phone's copy must not resend it.
    try {
      await redis.lpush(keys.messaging.outboxPhone(phone.e164), json);
      await redis.ltrim(keys.messaging.outboxPhone(phone.e164), 0, (this.options.perPhoneLimit ?? 100) - 1);
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

export interface ListOutboxQuery {
  /** One phone's inbox (any form `normalisePhone` accepts); everything when absent. */
  phone?: string;
  limit: number;
  /** Only messages stored after this epoch ms. */
  since?: number;
}

/** Newest first. An invalid `phone` gives an empty list, never an error. */
export async function listOutbox(redis: RedisClient, keys: Keys, query: ListOutboxQuery): Promise<OutboxMessage[]> {
  let key = keys.messaging.outboxAll();
  if (query.phone !== undefined) {
    const phone = normalisePhone(query.phone);
    if (!phone.ok) return [];
    key = keys.messaging.outboxPhone(phone.e164);
  }
  const limit = Math.max(1, Math.min(1000, Math.floor(query.limit)));
  const raws = await redis.lrange(key, 0, query.since === undefined ? limit - 1 : 999);
  const messages = raws.map((raw) => JSON.parse(raw) as OutboxMessage);
  const since = query.since;
  return (since === undefined ? messages : messages.filter((message) => message.at > since)).slice(0, limit);
}

/** Erases a number's outbox: its inbox and its messages in the shared list (the outbox is not per pack). */
export function createOutboxErasure(redis: RedisClient, keys: Keys): Erasable {
  return {
    async erase(_packId, phone) {
      const erased = await redis.llen(keys.messaging.outboxPhone(phone));
      await redis.del(keys.messaging.outboxPhone(phone));
      for (const raw of await redis.lrange(keys.messaging.outboxAll(), 0, -1)) {
        if ((JSON.parse(raw) as { to?: string }).to === phone) await redis.lrem(keys.messaging.outboxAll(), 0, raw);
      }
      return erased;
    },
  };
}
