/**
 * The SMS provider port on Africa's Talking: the SDK's bulk SMS endpoint and form, sent by us.
 *
 * - Every number is validated (and normalised to E.164) with our own rules before the call; the
 *   SDK's check lets short numbers such as `+25571234567` through.
 * - The SDK client is still created (its sandbox/live guard, at-sdk.ts) and its SMS URL is read
 *   before every call, but the request is ours (at-http.ts): the same form and headers as the
 *   SDK's `SMS.send`, on a keep-alive agent with at most `maxSockets` sockets, without the SDK's
 *   per-call schema compile, second number check and deep clone, and with a real deadline: when
 *   the timer (or the caller's signal) wins, the request is destroyed and reported `uncertain`,
 *   since it may already be at AT.
 * - Recipients go in batches of `batchSize`, one call each, one after the other. After a call fails
 *   as a whole, later batches are not sent (their recipients come back `failed_retryable`,
 *   reason `NotAttempted`), because the same fault would hit them.
 */
import { normalisePhone } from '../../kernel/phone';
import type { OutboundSms, RecipientOutcome, SendOutcome, SmsProvider } from '../../sms/outbound/sms-provider';
import { createFormPoster } from './at-http';
import { AtConfigurationError, createSdkClient, modeOf, sdkPointsAt, sdkSmsUrl } from './at-sdk';
import { classifyHttpStatus, classifyNetworkError } from './call-errors';
import { interpretSendResponse, type BatchOutcome, type RequestedNumber } from './send-response';

export interface AfricasTalkingProviderOptions {
  username: string;
  apiKey: string;
  /** Default sender id / short code when a message names none; AT's default when absent. */
  senderId?: string;
  /** Hard limit for one HTTP call to AT. */
  timeoutMs: number;
  /** Recipients per call (AT documents no maximum). Default 100. */
  batchSize?: number;
  /** Ask AT to queue bulk sends and answer at once (`enqueue=1`); replies never send the field. */
  enqueue: boolean;
  /** Country assumed for numbers written without a country code. Default `TZ`. */
  defaultCountry?: string;
  /** Most sockets open to AT at once (calls beyond wait for one). Default 64. */
  maxSockets?: number;
}

function foldIntoRecipients(outcome: Exclude<BatchOutcome, { kind: 'per_recipient' }>, batch: RequestedNumber[]): RecipientOutcome[] {
  return batch.map(({ input }): RecipientOutcome => {
    if (outcome.kind === 'uncertain') return { number: input, result: 'uncertain', reason: outcome.reason };
    return outcome.retryable
      ? { number: input, result: 'failed_retryable', reason: outcome.reason }
      : { number: input, result: 'failed_permanent', reason: outcome.reason };
  });
}

function checkOptions(options: AfricasTalkingProviderOptions): void {
  const problems: string[] = [];
  if (options.username.trim() === '') problems.push('username is empty');
  if (options.apiKey.trim() === '') problems.push('apiKey is empty');
  if (!(options.timeoutMs > 0)) problems.push('timeoutMs must be > 0');
  if (options.batchSize !== undefined && !(Number.isInteger(options.batchSize) && options.batchSize > 0)) {
    problems.push('batchSize must be a positive integer');
  }
  if (options.maxSockets !== undefined && !(Number.isInteger(options.maxSockets) && options.maxSockets > 0)) {
    problems.push('maxSockets must be a positive integer');
  }
  if (problems.length > 0) throw new AtConfigurationError(`Africa's Talking provider: ${problems.join('; ')}`);
}

/**
 * Creates the Africa's Talking provider. Throws `AtConfigurationError` for bad options or when this
 * process already runs the other mode (sandbox vs live). `send` never rejects for provider or
 * network failures: it resolves with a `SendOutcome`.
 */
export function createAfricasTalkingProvider(options: AfricasTalkingProviderOptions): SmsProvider {
  checkOptions(options);
  const { apiKey, username } = options;
  createSdkClient({ username, apiKey });
  const mode = modeOf(username);
  const batchSize = options.batchSize ?? 100;
  const defaultCountry = options.defaultCountry ?? 'TZ';
  const poster = createFormPoster(options.maxSockets ?? 64);
  const headers = { apikey: apiKey, accept: 'application/json' };

  /** The SDK's bulk SMS form (`SMS.send`): the same fields, in the same order. */
  function formFor(batch: RequestedNumber[], sms: OutboundSms): string {
    const from = sms.from ?? options.senderId;
    const form = new URLSearchParams({ username, to: batch.map(({ e164 }) => e164).join(','), message: sms.message });
    if (from) form.set('from', from);
    form.set('bulkSMSMode', '1');
    if (sms.bulk) form.set('enqueue', options.enqueue ? '1' : '0');
    return form.toString();
  }

  async function callOnce(batch: RequestedNumber[], sms: OutboundSms, signal?: AbortSignal): Promise<BatchOutcome> {
    const result = await poster.post(sdkSmsUrl(), headers, formFor(batch, sms), options.timeoutMs, signal);
    switch (result.kind) {
      case 'answered':
        // Any 2xx carries the answer (AT's is 201; the SDK rejected other 2xx with the body, read the same way).
        return result.status >= 200 && result.status < 300 ? interpretSendResponse(result.body, batch, defaultCountry) : classifyHttpStatus(result.status);
      case 'timeout':
        return { kind: 'uncertain', reason: `Timeout after ${options.timeoutMs} ms` };
      case 'aborted':
        return { kind: 'uncertain', reason: 'Aborted during the call' };
      case 'failed':
        return classifyNetworkError(result.code);
    }
  }

  async function send(sms: OutboundSms, signal?: AbortSignal): Promise<SendOutcome> {
    if (sms.message.trim() === '') return { kind: 'rejected', reason: 'EmptyMessage', retryable: false };
    if (signal?.aborted) return { kind: 'rejected', reason: 'Aborted before the call', retryable: true };
    if (!sdkPointsAt(mode)) return { kind: 'rejected', reason: 'SdkEndpointsSwitchedToOtherMode', retryable: false };

    const { outcomes, pending } = screenRecipients(sms.to, defaultCountry);

    // One call per batch; stop at the first whole-call failure or abort.
    let wholeCallFailure: Exclude<BatchOutcome, { kind: 'per_recipient' }> | undefined;
    for (let start = 0; start < pending.length; start += batchSize) {
      const batch = pending.slice(start, start + batchSize);
      if (wholeCallFailure || signal?.aborted) break; // the rest stay unset: reported NotAttempted below
      const outcome = await callOnce(batch, sms, signal);
      const recipients = outcome.kind === 'per_recipient' ? outcome.recipients : foldIntoRecipients(outcome, batch);
      batch.forEach(({ index }, position) => {
        const recipient = recipients[position];
        if (recipient) outcomes.set(index, recipient);
      });
      if (outcome.kind !== 'per_recipient') wholeCallFailure = outcome;
    }

    // A single call that failed as a whole, covering every recipient, is reported as such.
    if (wholeCallFailure && pending.length === sms.to.length && pending.length <= batchSize) return wholeCallFailure;
    return { kind: 'per_recipient', recipients: sms.to.map((input, index) => outcomes.get(index) ?? missing(input)) };
  }

  return { name: 'africastalking', send };
}

function missing(input: string): RecipientOutcome {
  return { number: input, result: 'failed_retryable', reason: 'NotAttempted' };
}

/** Validates and de-duplicates locally, so an invalid number never reaches AT. */
function screenRecipients(to: string[], defaultCountry: string): { outcomes: Map<number, RecipientOutcome>; pending: Array<RequestedNumber & { index: number }> } {
  const outcomes = new Map<number, RecipientOutcome>();
  const pending: Array<RequestedNumber & { index: number }> = [];
  const seen = new Set<string>();
  to.forEach((input, index) => {
    const phone = normalisePhone(input, defaultCountry);
    if (!phone.ok) outcomes.set(index, { number: input, result: 'failed_permanent', reason: 'InvalidPhoneNumber' });
    else if (seen.has(phone.e164)) outcomes.set(index, { number: input, result: 'failed_permanent', reason: 'DuplicateRecipient' });
    else {
      seen.add(phone.e164);
      pending.push({ input, e164: phone.e164, index });
    }
  });
  return { outcomes, pending };
}
