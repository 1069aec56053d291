/**
 * The outbound SMS port. Adapters (Africa's Talking, the local outbox) implement it; services and
 * workers see only this. One call sends the same text to every number in `to`.
 */

export interface OutboundSms {
  /** Recipients, ideally E.164. Adapters validate each one and never send to an invalid number. */
  to: string[];
  message: string;
  /** Sender id or short code; the adapter's configured default when absent. */
  from?: string;
  /** True for broadcasts (the provider may queue on its side), false for replies. */
  bulk: boolean;
}

export interface SmsCost {
  currency: string;
  amount: number;
}

/**
 * What happened to one recipient. `number` is exactly the string the caller passed in `to`.
 * - `accepted`: the provider took it (not yet delivered: delivery reports say that).
 * - `failed_permanent`: sending it again will fail the same way (invalid, blacklisted, no balance).
 * - `failed_retryable`: the provider said it failed and nothing went out; safe to send again.
 * - `uncertain`: the provider may or may not have it (it was in a call whose answer did not
 *   mention it, or the call timed out). Never re-send automatically.
 */
export type RecipientOutcome =
  | { number: string; result: 'accepted'; providerMessageId: string; cost?: SmsCost; parts?: number; statusCode: number }
  | { number: string; result: 'failed_permanent'; reason: string; statusCode?: number; blacklisted?: boolean }
  | { number: string; result: 'failed_retryable'; reason: string; statusCode?: number }
  | { number: string; result: 'uncertain'; reason: string };

/**
 * The result of one `send`.
 * - `per_recipient`: one outcome per entry of `to`, in the same order.
 * - `rejected`: nothing was accepted for anyone (bad credentials, bad sender id, provider 5xx,
 *   network failure before the request left). `retryable` says whether the same call may work later.
 * - `uncertain`: the request may have reached the provider (timeout, connection lost mid-call).
 */
export type SendOutcome = (
  | { kind: 'per_recipient'; recipients: RecipientOutcome[] }
  | { kind: 'rejected'; reason: string; retryable: boolean }
  | { kind: 'uncertain'; reason: string }
) & {
  /** The route that carried (or refused) the call; set by the route chain (route-chain.ts). */
  route?: string;
};

export interface SmsProvider {
  readonly name: string;
  /**
   * Sends one text to every number of `sms.to`. Resolves with an outcome for every case the
   * provider can produce (it never rejects for a provider or network failure). An aborted
   * `signal` before the call gives `rejected` (retryable); during the call, `uncertain`.
   */
  send(sms: OutboundSms, signal?: AbortSignal): Promise<SendOutcome>;
}
