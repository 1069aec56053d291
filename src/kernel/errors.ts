/**
 * Errors carry a stable code from one closed vocabulary; only the HTTP edge turns a code into a
 * status (src/http/error-status.ts), and a stack trace never leaves the process. A new code is
 * added here with what it means; the compiler then asks for its status at the edge.
 *
 * Engine failures and flow-pack problems have codes of their own (`FLOW.LOOP`, `FLOW.SCHEMA`):
 * they are results a host or `flows:check` reports, never thrown, so they are not listed here.
 */

/** Every code a thrown error may carry, with what it tells the caller (shown in the OpenAPI document). */
export const ERROR_CODES = {
  // The request itself is wrong: fix it and send it again.
  'VALIDATION.FAILED': 'The request does not match its schema; details list each problem.',
  'VALIDATION.PHONE': 'Not a mobile number; use e.g. +255712345678 or 0712345678.',
  'VALIDATION.CSV': 'The CSV cannot be read; details name the line.',
  'VALIDATION.IDEMPOTENCY_KEY': 'The Idempotency-Key header is missing or malformed.',
  'VALIDATION.SINCE': 'The `since` cursor is not valid.',
  'HTTP.BAD_REQUEST': 'The body is not valid JSON.',
  'HTTP.NOT_FOUND': 'No such route.',
  'HTTP.PAYLOAD_TOO_LARGE': 'The body (or its number of form fields) is over the limit.',
  'HTTP.UNSUPPORTED_MEDIA_TYPE': 'The body has a media type or encoding this route does not read.',
  // Who is calling.
  'AUTH.UNAUTHENTICATED': 'Missing or wrong token, or no tokens are configured.',
  'AUTH.FORBIDDEN': 'The credentials may not do this (a viewer token, a wrong webhook key).',
  RATE_LIMITED: 'Too many failed sign-in attempts (from this address or with this token); wait for Retry-After. A right token is never refused.',
  // What the request names does not exist.
  'DELEGATE.NOT_FOUND': 'No delegate is registered with that phone number.',
  'EVENT.NOT_FOUND': 'No event is loaded for that pack.',
  'PACK.NOT_FOUND': 'No flow pack with that id on this gateway.',
  'SESSION.NOT_FOUND': 'No agenda session with that code.',
  'BROADCAST.NOT_FOUND': 'No broadcast with that id.',
  'OUTBOX.NOT_FOUND': 'No local outbox: this gateway sends through a real provider.',
  'INBOX.NOT_FOUND': 'No simulated inbox on this gateway.',
  // The request clashes with the current state.
  'SESSION.CONFLICT': 'An agenda session with that code already exists.',
  'BROADCAST.CONFLICT': 'The broadcast is not in a state that allows this.',
  // The request is well formed but the result would not hold together.
  'AGENDA.UNPROCESSABLE': 'The event would not be valid; details list each problem.',
  'BROADCAST.UNPROCESSABLE': 'The broadcast cannot be sent as drafted; details say why.',
  'SMS.TOO_MANY_RECIPIENTS': 'More recipients than one message may have; split it.',
  // A part of the gateway is not there or not answering: try again later.
  'BROADCAST.UNAVAILABLE': 'No broadcast service runs on this gateway.',
  'SMS.UNAVAILABLE': 'The message could not be stored; send it again.',
  'REDIS.UNAVAILABLE': 'No Redis answers and none can be started.',
  'USSD.SESSION_BUSY': 'Another hop of the same USSD session held it too long.',
  'SMS.SEND_RETRY': 'Some recipients failed temporarily; the batch is retried later.',
  // The gateway is set up wrong or broke: an operator has to look.
  'CONFIG.INVALID': 'The environment is not a valid configuration; the message lists every problem.',
  'CONFIG.PUBLIC_MISSING': 'The console and simulator files are not where the gateway expects them.',
  'FLOW.INVALID': 'The flow packs cannot be used; run npm run flows:check.',
  'FLOW.NO_PACK': 'No flow pack is loaded.',
  'FLOW.UNKNOWN_ACTION': 'A flow names an action this host does not implement.',
  'SMS.PROVIDER_MISCONFIGURED': "The SMS provider's settings cannot work.",
  'REDIS.URL_UNSUPPORTED': 'REDIS_URL is not a redis:// or rediss:// URL.',
  'REDIS.START_FAILED': 'The private redis-server did not start.',
  'REDIS.SCRIPT_FAILED': 'Redis refused or failed a Lua script.',
  'DELEGATE.CODES_EXHAUSTED': 'No free registration code was found.',
  INTERNAL: 'Something went wrong on our side; the error has been logged.',
  'RELEASE.NOT_FOUND': 'No stored version of that pack with that id.',
  'RELEASE.UNPROCESSABLE': 'The pack version does not pass flows:check; details list each problem with file, path and fix.',
  'RELEASE.CONFLICT': 'The release state does not allow this (nothing staged, already live, or changed meanwhile); read GET /releases and try again.',
  'RELEASE.UNAVAILABLE': 'Flow releases are not wired on this gateway.',
  'QUESTION.NOT_FOUND': 'No question with that id in that session.',
  'FEEDBACK.UNAVAILABLE': 'Feedback, questions and check-in are not running on this gateway.',
} as const satisfies Record<string, string>;

/** The closed union of error codes. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Every code, in the order of ERROR_CODES. */
export const ALL_ERROR_CODES = Object.keys(ERROR_CODES) as ErrorCode[];

/** True when `value` is one of the codes (for codes read back from JSON or logs). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** The one base of every error this code base throws: a code, a message that says what to do, details. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A base class for an error of one fixed code, so a named error is one line:
 * `export class FlowPackError extends errorWithCode('FLOW.INVALID') {}`. Its constructor takes
 * `(message, details?, options?)`; `instanceof AppError` holds for it.
 */
export function errorWithCode<C extends ErrorCode>(code: C) {
  return class extends AppError {
    declare readonly code: C;

    constructor(message: string, details?: unknown, options?: ErrorOptions) {
      super(code, message, details, options);
    }
  };
}
