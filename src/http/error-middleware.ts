/** The one error middleware: turns coded errors (and body-parser's own) into `{ code, message, details }`. */
import type { ErrorRequestHandler } from 'express';
import { AppError, statusForCode } from '../kernel/errors';
import type { Logger } from '../kernel/logger';

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
