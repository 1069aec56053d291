/**
 * Errors carry a stable code; only the HTTP edge turns a code into a status. A stack trace never
 * leaves the process.
 */
import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../infra/logger';

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

interface BodyParserError { type?: string; status?: number; expose?: boolean }

/** Maps body-parser's own errors (too large, bad JSON, bad charset) to coded AppErrors. */
function fromBodyParser(error: BodyParserError): AppError | undefined {
  switch (error.type) {
    case 'entity.too.large': return new AppError('HTTP.PAYLOAD_TOO_LARGE', 'The request body is too large.');
    case 'entity.parse.failed': return new AppError('HTTP.BAD_REQUEST', 'The request body is not valid JSON.');
    case 'charset.unsupported':
    case 'encoding.unsupported': return new AppError('HTTP.UNSUPPORTED_MEDIA_TYPE', 'Unsupported body encoding.');
    case 'parameters.too.many': return new AppError('HTTP.PAYLOAD_TOO_LARGE', 'Too many form fields.');
    default: return undefined;
  }
}

/** The one error middleware: `{ code, message, details }` with a status chosen by code. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const appError = error instanceof AppError ? error : fromBodyParser(error as BodyParserError);
    const status = appError ? statusForCode(appError.code) : 500;
    const log = (req as { log?: Logger }).log ?? logger;
    if (status >= 500) log.error({ err: error }, 'request failed');
    else log.info({ code: appError?.code, status }, 'request rejected');
    if (res.headersSent) return;
    res.status(status).json({
      code: appError?.code ?? 'INTERNAL',
      message: appError?.message ?? 'Something went wrong on our side; the error has been logged.',
      ...(appError?.details !== undefined ? { details: appError.details } : {}),
    });
  };
}
