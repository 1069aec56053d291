/**
 * What a failed call to Africa's Talking tells us: an HTTP status other than 2xx, or a network
 * error before any answer (by its code).
 */

export type CallFailure =
  | { kind: 'rejected'; reason: string; retryable: boolean }
  | { kind: 'uncertain'; reason: string };

// Failures that happen before a byte of the request reaches AT: safe to send again.
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Classifies an HTTP status AT (or a proxy in front of it) answered with. */
export function classifyHttpStatus(status: number): CallFailure {
  if (status === 401 || status === 403) return { kind: 'rejected', reason: `Unauthorized (HTTP ${status})`, retryable: false };
  if (status === 408 || status === 429) return { kind: 'rejected', reason: `HTTP ${status}`, retryable: true };
  // A gateway timeout means AT's backend may have processed the request after the proxy gave up.
  if (status === 504) return { kind: 'uncertain', reason: 'HTTP 504' };
  if (status >= 500) return { kind: 'rejected', reason: `HTTP ${status}`, retryable: true };
  return { kind: 'rejected', reason: `HTTP ${status}`, retryable: false };
}

/** Maps the code of a network error (no answer came) to what it tells us about the call. */
export function classifyNetworkError(code: string): CallFailure {
  if (NOT_SENT_CODES.has(code)) return { kind: 'rejected', reason: `NetworkError ${code}`, retryable: true };
  // Reset, hang-up, mid-call timeout: the request may have been read by AT.
  return { kind: 'uncertain', reason: `NetworkError ${code}` };
}
