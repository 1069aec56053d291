/** The one error middleware: turns coded errors (and body-parser's own) into `{ code, message, details }`. */
import type { ErrorRequestHandler, Response } from 'express';
import { AppError, ERROR_CODES, type ErrorCode } from '../kernel/errors';
import type { Logger } from '../kernel/logger';
import { statusForCode } from './error-status';

interface BodyParserError { type?: string; status?: number; expose?: boolean }

/** Maps body-parser's own errors (too large, bad JSON, bad charset) to coded AppErrors. */
function fromBodyParser(error: BodyParserError): AppError | undefined {
  switch (error.type) {
    case 'entity.too.large': return new AppError('HTTP.PAYLOAD_TOO_LARGE', 'The request body is too large.');
    case 'entity.parse.failed': return new AppError('HTTP.BAD_REQUEST', 'The request body is not valid JSON.');
    case 'charset.unsupported':
    case 'encoding.unsupported': return new AppError('HTTP.UNSUPPORTED_MEDIA_TYPE', 'Unsupported body encoding.');
    case 'parameters.too.many': return new AppError('HTTP.PAYLOAD_TOO_LARGE', 'Too many form fields.');
    default: break;
  }
  // Any other refusal the body reader marks as the client's (a broken gzip body, a charset it
  // cannot decode, an aborted upload) is the client's too: 4xx, never 500.
  if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
    if (error.status === 413) return new AppError('HTTP.PAYLOAD_TOO_LARGE', 'The request body is too large.');
    if (error.status === 415) return new AppError('HTTP.UNSUPPORTED_MEDIA_TYPE', 'Unsupported body encoding.');
    return new AppError('HTTP.BAD_REQUEST', 'The request body cannot be read (check its Content-Encoding and charset).');
  }
  return undefined;
}

/**
 * Answers `{ code, message }` with the status of `code`, for routes that must answer an error
 * themselves instead of throwing (webhooks that keep their own answer format for success).
 */
export function sendError(res: Response, code: ErrorCode, message: string = ERROR_CODES[code]): void {
  res.status(statusForCode(code)).json({ code, message });
}

/**
 * The one error middleware: `{ code, message, details }` with the status STATUS_BY_CODE gives the
 * code. A 500 answers with the code's fixed meaning only, since its own message may name files,
 * scripts or hosts; the whole error goes to the log.
 */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const appError = error instanceof AppError ? error : fromBodyParser(error as BodyParserError);
    const code = appError?.code ?? 'INTERNAL';
    const status = statusForCode(code);
    const log = (req as { log?: Logger }).log ?? logger;
    if (status >= 500) log.error({ err: error, code }, 'request failed');
    else log.info({ code, status }, 'request rejected');
    if (res.headersSent) return;
    const shown = appError && status !== 500 ? appError : undefined;
    res.status(status).json({
      code,
      message: shown?.message ?? ERROR_CODES[code],
      ...(shown?.details !== undefined ? { details: shown.details } : {}),
    });
  };
}
