/**
 * The one table from error code to HTTP status. It lives at the edge because only the edge speaks
 * HTTP; typed `Record<ErrorCode, …>`, so a code added to the kernel does not compile until it has
 * a status here.
 */
import type { ErrorCode } from '../kernel/errors';

/** The statuses an error answer may have. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

/** The status of every code; the OpenAPI document groups a route's codes by it. */
export const STATUS_BY_CODE: Readonly<Record<ErrorCode, ErrorStatus>> = {
  'VALIDATION.FAILED': 400,
  'VALIDATION.PHONE': 400,
  'VALIDATION.CSV': 400,
  'VALIDATION.IDEMPOTENCY_KEY': 400,
  'VALIDATION.SINCE': 400,
  'HTTP.BAD_REQUEST': 400,
  'HTTP.NOT_FOUND': 404,
  'HTTP.PAYLOAD_TOO_LARGE': 413,
  'HTTP.UNSUPPORTED_MEDIA_TYPE': 415,
  'AUTH.UNAUTHENTICATED': 401,
  'AUTH.FORBIDDEN': 403,
  RATE_LIMITED: 429,
  'DELEGATE.NOT_FOUND': 404,
  'EVENT.NOT_FOUND': 404,
  'PACK.NOT_FOUND': 404,
  'SESSION.NOT_FOUND': 404,
  'BROADCAST.NOT_FOUND': 404,
  'OUTBOX.NOT_FOUND': 404,
  'INBOX.NOT_FOUND': 404,
  'SESSION.CONFLICT': 409,
  'BROADCAST.CONFLICT': 409,
  'AGENDA.UNPROCESSABLE': 422,
  'BROADCAST.UNPROCESSABLE': 422,
  'SMS.TOO_MANY_RECIPIENTS': 422,
  'BROADCAST.UNAVAILABLE': 503,
  'SMS.UNAVAILABLE': 503,
  'REDIS.UNAVAILABLE': 503,
  'USSD.SESSION_BUSY': 503,
  'SMS.SEND_RETRY': 503,
  'CONFIG.INVALID': 500,
  'CONFIG.PUBLIC_MISSING': 500,
  'FLOW.INVALID': 500,
  'FLOW.NO_PACK': 500,
  'FLOW.UNKNOWN_ACTION': 500,
  'SMS.PROVIDER_MISCONFIGURED': 500,
  'REDIS.URL_UNSUPPORTED': 500,
  'REDIS.START_FAILED': 500,
  'REDIS.SCRIPT_FAILED': 500,
  'DELEGATE.CODES_EXHAUSTED': 500,
  INTERNAL: 500,
  'RELEASE.NOT_FOUND': 404,
  'RELEASE.UNPROCESSABLE': 422,
  'RELEASE.CONFLICT': 409,
  'RELEASE.UNAVAILABLE': 503,
  'QUESTION.NOT_FOUND': 404,
  'FEEDBACK.UNAVAILABLE': 503,
};

/** The HTTP status of an answer carrying `code`. */
export function statusForCode(code: ErrorCode): ErrorStatus {
  return STATUS_BY_CODE[code];
}
