/**
 * Errors carry a stable code; only the HTTP edge turns a code into a status. A stack trace never
 * leaves the process.
 */

export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

const STATUS_BY_CODE: Array<[RegExp, number]> = [
  [/^VALIDATION\./, 400],
  [/^HTTP\.BAD_REQUEST$/, 400],
  [/^AUTH\.UNAUTHENTICATED$/, 401],
  [/^AUTH\.FORBIDDEN$/, 403],
  [/\.NOT_FOUND$/, 404],
  [/\.CONFLICT$/, 409],
  [/^HTTP\.PAYLOAD_TOO_LARGE$/, 413],
  [/^HTTP\.UNSUPPORTED_MEDIA_TYPE$/, 415],
  [/\.UNPROCESSABLE$/, 422],
  [/^RATE_LIMITED$/, 429],
  [/\.UNAVAILABLE$/, 503],
];

/** Status for an error code; 500 for anything unknown. */
export function statusForCode(code: string): number {
  for (const [pattern, status] of STATUS_BY_CODE) if (pattern.test(code)) return status;
  return 500;
}
