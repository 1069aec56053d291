/**
 * The SMS provider port on Africa's Talking, through the official `africastalking` SDK.
 *
 * - Every number is validated (and normalised to E.164) with our own rules before the call; the
 *   SDK's check lets short numbers such as `+25571234567` through.
 * - The SDK sets no timeout and offers no way to pass one; its requests go through the default
 *   axios instance, shared with the rest of the process, so changing axios defaults is out. Each
 *   call races a timer instead: when the timer (or the caller's signal) wins, the call is
 *   abandoned and reported `uncertain`, since the request may already be at AT. The abandoned
 *   promise keeps a no-op rejection handler, and its late answer is ignored.
 * - Recipients go in batches of `batchSize`, one call each, one after the other. After a call fails
 *   as a whole, later batches are not sent (their recipients come back `failed_retryable`,
 *   reason `NotAttempted`), because the same fault would hit them.
 */
import { normalisePhone } from '../../kernel/phone';
import type { OutboundSms, RecipientOutcome, SendOutcome, SmsProvider } from '../../sms/outbound/sms-provider';
import { AtConfigurationError, createSdkClient, modeOf, sdkPointsAt } from './at-sdk';
import { classifySdkRejection } from './call-errors';
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
}

type Settled<T> =
  | { status: 'fulfilled'; value: T }
  | { status: 'rejected'; error: unknown }
  | { status: 'timeout' }
  | { status: 'aborted' };

/** Settles with the promise's result, or with `timeout`/`aborted` first; never rejects. */
function raceWithDeadline<T>(work: Promise<T>, timeoutMs: number, signal?: AbortSignal): Promise<Settled<T>> {
  return new Promise((resolve) => {
    const finish = (settled: Settled<T>): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(settled);
    };
    const onAbort = (): void => finish({ status: 'aborted' });
    const timer = setTimeout(() => finish({ status: 'timeout' }), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => finish({ status: 'fulfilled', value }),
      (error: unknown) => finish({ status: 'rejected', error }),
    );
  });
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
  if (problems.length > 0) throw new AtConfigurationError(`Africa's Talking provider: ${problems.join('; ')}`);
}

/**
 * Creates the Africa's Talking provider. Throws `AtConfigurationError` for bad options or when this
 * process already runs the other mode (sandbox vs live). `send` never rejects for provider or
 * network failures: it resolves with a `SendOutcome`.
 */
export function createAfricasTalkingProvider(options: AfricasTalkingProviderOptions): SmsProvider {
  checkOptions(options);
  const client = createSdkClient({ username: options.username, apiKey: options.apiKey });
  const mode = modeOf(options.username);
  const batchSize = options.batchSize ?? 100;
  const defaultCountry = options.defaultCountry ?? 'TZ';

  async function callOnce(batch: RequestedNumber[], sms: OutboundSms, signal?: AbortSignal): Promise<BatchOutcome> {
    const from = sms.from ?? options.senderId;
    const request = client.SMS.send({
      to: batch.map(({ e164 }) => e164),
      message: sms.message,
      ...(from !== undefined ? { from } : {}),
      ...(sms.bulk ? { enqueue: options.enqueue } : {}),
    });
    const settled = await raceWithDeadline(request, options.timeoutMs, signal);
    switch (settled.status) {
      case 'fulfilled':
        return interpretSendResponse(settled.value, batch, defaultCountry);
      case 'timeout':
        return { kind: 'uncertain', reason: `Timeout after ${options.timeoutMs} ms` };
      case 'aborted':
        return { kind: 'uncertain', reason: 'Aborted during the call' };
      case 'rejected': {
        const failure = classifySdkRejection(settled.error);
        // The SDK rejects any 2xx other than 201 with the body; read it like a 201.
        return failure.kind === 'body' ? interpretSendResponse(failure.body, batch, defaultCountry) : failure;
      }
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
