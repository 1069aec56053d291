/**
 * Turns whatever the SDK's `SMS.send` rejected with into a call-level outcome. The SDK rejects
 * with an AxiosError (HTTP error or network failure), a plain Error (its own validation, before
 * any request), or the response body itself (a 2xx other than 201).
 */

export type CallFailure =
  | { kind: 'rejected'; reason: string; retryable: boolean }
  | { kind: 'uncertain'; reason: string }
  | { kind: 'body'; body: unknown };

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

interface AxiosLike {
  isAxiosError: true;
  code?: string;
  response?: { status: number };
  cause?: { code?: string };
}

function isAxiosLike(error: unknown): error is AxiosLike {
  return typeof error === 'object' && error !== null && (error as { isAxiosError?: unknown }).isAxiosError === true;
}

/** Classifies an HTTP status AT (or a proxy in front of it) answered with. */
export function classifyHttpStatus(status: number): CallFailure {
  if (status === 401 || status === 403) return { kind: 'rejected', reason: `Unauthorized (HTTP ${status})`, retryable: false };
  if (status === 408 || status === 429) return { kind: 'rejected', reason: `HTTP ${status}`, retryable: true };
  // A gateway timeout means AT's backend may have processed the request after the proxy gave up.
  if (status === 504) return { kind: 'uncertain', reason: 'HTTP 504' };
  if (status >= 500) return { kind: 'rejected', reason: `HTTP ${status}`, retryable: true };
  return { kind: 'rejected', reason: `HTTP ${status}`, retryable: false };
}

/** Maps a rejection of `SMS.send` to what it tells us about the call. */
export function classifySdkRejection(error: unknown): CallFailure {
  if (isAxiosLike(error)) {
    if (error.response) return classifyHttpStatus(error.response.status);
    const code = error.code ?? error.cause?.code ?? 'UnknownNetworkError';
    const causeCode = error.cause?.code;
    if (NOT_SENT_CODES.has(code) || (causeCode !== undefined && NOT_SENT_CODES.has(causeCode))) {
      return { kind: 'rejected', reason: `NetworkError ${causeCode ?? code}`, retryable: true };
    }
    // Reset, hang-up, mid-call timeout: the request may have been read by AT.
    return { kind: 'uncertain', reason: `NetworkError ${code}` };
  }
  // The SDK validates before sending and rejects with an Error; nothing left the process.
  if (error instanceof Error) return { kind: 'rejected', reason: `ProviderValidation: ${error.message.trim()}`, retryable: false };
  return { kind: 'body', body: error };
}
