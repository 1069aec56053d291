/**
 * The SMS provider port over SMPP (an aggregator's or operator's SMSC), through the `smpp` package.
 *
 * - One submit_sm per part: GSM-7 (data_coding 0) or UCS-2 (8) as `measureSms` decides, parts of
 *   153/67 behind a UDH when the text does not fit one SMS. The ledger keeps the first part's
 *   message id (prefixed `smpp:`); its delivery receipt is the recipient's.
 * - What is known of each recipient is reported exactly: all parts taken -> `accepted`; the first
 *   part refused -> `failed_retryable` (throttled, queue full, system error) or `failed_permanent`;
 *   nothing left this process -> `failed_retryable` `not_submitted`; anything else (a part written
 *   with no answer, a later part refused after an earlier one went) -> `uncertain`.
 * - Not bound within `bindWaitMs` -> the whole call is `rejected` (retryable): nothing was sent.
 * - Receipts and phones' messages (deliver_sm) go to `handle`'s callbacks; the SMSC gets its
 *   deliver_sm_resp only once they resolve, and a temporary error otherwise, so it retries.
 */
import { setMaxListeners } from 'events';
import smpp from 'smpp';
import type { Logger } from '../../kernel/logger';
import { normalisePhone } from '../../kernel/phone';
import type { InboundSms } from '../../sms/inbound/inbound-sms-service';
import type { DeliveryReportForm } from '../../sms/outbound/delivery-reports';
import type { OutboundSms, RecipientOutcome, SendOutcome, SmsProvider } from '../../sms/outbound/sms-provider';
import { SMPP_ID_PREFIX, readDeliver } from './smpp-deliver';
import { SmppLink, type SmppLinkOptions, type SubmitResult } from './smpp-link';
import { Reassembly, partInfo } from './smpp-reassembly';
import { smppMessage } from './smpp-segments';

export interface SmppProviderOptions extends Omit<SmppLinkOptions, 'logger'> {
  /** Source address (sender id or short code) when a message names none. */
  sourceAddr?: string;
  /** How long a send waits for the link to be bound before it is rejected as not sent. */
  bindWaitMs: number;
  /** Ask for delivery receipts (registered_delivery 1). Default true. */
  receipts?: boolean;
  /** How long the parts of a long message from a phone wait for the rest before the SMSC is asked to send them again. Default 30 s. */
  partsWaitMs?: number;
  logger: Logger;
}

export interface SmppHandlers {
  deliveryReport(report: DeliveryReportForm): Promise<unknown>;
  inbound(sms: InboundSms): Promise<unknown>;
}

// Refusals that say "not now": the SMSC took nothing, the same PDU may pass later.
const RETRYABLE_STATUS = new Set([0x08 /* RSYSERR */, 0x14 /* RMSGQFUL */, 0x58 /* RTHROTTLED */, 0x64 /* RX_T_APPDN */]);
const SMPP_STATUS_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(smpp).filter(([name, value]) => name.startsWith('ESME_') && typeof value === 'number').map(([name, value]) => [value as number, name]),
);

/** Type of number / numbering plan for a source address: alphanumeric, short code, or international. */
function sourceAddressing(addr: string): { source_addr_ton: number; source_addr_npi: number } {
  if (/[^0-9+]/.test(addr)) return { source_addr_ton: 5, source_addr_npi: 0 };
  if (addr.replace('+', '').length <= 8) return { source_addr_ton: 3, source_addr_npi: 0 };
  return { source_addr_ton: 1, source_addr_npi: 1 };
}

export class SmppSmsProvider implements SmsProvider {
  readonly name = 'smpp';
  readonly link: SmppLink;
  private reference = Math.floor(Math.random() * 256);
  private handlers: SmppHandlers | undefined;
  /** Parts of long messages from phones, held unanswered until the whole text is stored. */
  private readonly reassembly: Reassembly;

  constructor(private readonly options: SmppProviderOptions) {
    this.link = new SmppLink(options);
    this.reassembly = new Reassembly(options.partsWaitMs ?? 30_000);
    this.link.onDeliver((pdu) => this.deliver(pdu));
  }

  /** Where receipts and phones' messages go. Until set, deliver_sm are answered with a temporary error. */
  handle(handlers: SmppHandlers): void {
    this.handlers = handlers;
  }

  /** Connects and binds (in processes that send); reconnects by itself until `stop`. */
  start(): void {
    this.link.start();
  }

  stop(): Promise<void> {
    return this.link.stop();
  }

  async send(sms: OutboundSms, signal?: AbortSignal): Promise<SendOutcome> {
    if (signal?.aborted) return { kind: 'rejected', reason: 'aborted', retryable: true };
    if (!(await this.link.waitBound(this.options.bindWaitMs, signal))) {
      return { kind: 'rejected', reason: signal?.aborted ? 'aborted' : 'smpp_not_bound', retryable: true };
    }
    const source = sms.from ?? this.options.sourceAddr;
    // One signal per call for every recipient's wait in the window (each adds a listener).
    const local = new AbortController();
    setMaxListeners(0, local.signal);
    const forward = (): void => local.abort();
    signal?.addEventListener('abort', forward, { once: true });
    try {
      const recipients = await Promise.all(sms.to.map((number) => this.sendOne(number, sms.message, source, local.signal)));
      return { kind: 'per_recipient', recipients };
    } finally {
      signal?.removeEventListener('abort', forward);
    }
  }

  private async sendOne(number: string, text: string, source: string | undefined, signal?: AbortSignal): Promise<RecipientOutcome> {
    const phone = normalisePhone(number);
    if (!phone.ok) return { number, result: 'failed_permanent', reason: 'InvalidPhoneNumber' };
    this.reference = (this.reference + 1) & 0xff;
    const message = smppMessage(text, this.reference);
    const base = {
      dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: phone.e164.slice(1),
      ...(source ? { source_addr: source, ...sourceAddressing(source) } : {}),
      data_coding: message.dataCoding, registered_delivery: this.options.receipts === false ? 0 : 1,
    };
    let firstId: string | undefined;
    for (const [position, part] of message.parts.entries()) {
      const registered = position === 0 ? base.registered_delivery : 0;
      const result: SubmitResult = await this.link.submit({ ...base, registered_delivery: registered, short_message: part.udh ? { udh: part.udh, message: part.text } : part.text }, signal);
      if (result.status === 'ok') {
        firstId ??= result.messageId;
        continue;
      }
      if (position > 0) return { number, result: 'uncertain', reason: `part ${position + 1}/${message.parts.length} ${describe(result)} after earlier parts went` };
      if (result.status === 'not_sent') return { number, result: 'failed_retryable', reason: `not_submitted: ${result.reason}` };
      if (result.status === 'lost') return { number, result: 'uncertain', reason: result.reason };
      const reason = SMPP_STATUS_NAMES[result.commandStatus] ?? `command_status 0x${result.commandStatus.toString(16)}`;
      return RETRYABLE_STATUS.has(result.commandStatus)
        ? { number, result: 'failed_retryable', reason, statusCode: result.commandStatus }
        : { number, result: 'failed_permanent', reason, statusCode: result.commandStatus };
    }
    return { number, result: 'accepted', providerMessageId: `${SMPP_ID_PREFIX}${firstId ?? ''}`, parts: message.parts.length, statusCode: 0 };
  }

  private async deliver(pdu: smpp.PDU): Promise<boolean> {
    const handlers = this.handlers;
    if (!handlers) return false;
    const read = readDeliver(pdu);
    if (read.kind === 'ignored') {
      this.options.logger.info({ reason: read.reason }, 'SMPP deliver_sm ignored');
      return true;
    }
    if (read.kind === 'receipt') {
      await handlers.deliveryReport(read.report);
      return true;
    }
    const part = partInfo(pdu);
    const { sms } = read;
    if (part) return this.reassembly.add(`${sms.from}|${sms.to}`, part, sms.text, async (text) => { await handlers.inbound({ ...sms, text }); return true; });
    await handlers.inbound(sms);
    return true;
  }
}

function describe(result: Exclude<SubmitResult, { status: 'ok' }>): string {
  if (result.status === 'error') return SMPP_STATUS_NAMES[result.commandStatus] ?? `command_status 0x${result.commandStatus.toString(16)}`;
  return result.reason;
}
