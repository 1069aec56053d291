/**
 * The one reader of Africa's Talking's form bodies, with the same limits on every webhook and on
 * the USSD fast path: the same size and field limits, the same rule on the content type, and the
 * same reading of a repeated `key` in the query (a repeated key never matches).
 */
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import { parseFormBody, type FormFields } from '../../providers/africastalking/at-form';

/** Largest body and most fields a callback may carry. */
export const AT_FORM_LIMITS = { bytes: 16 * 1024, fields: 50 } as const;

/** True when the request says it carries an urlencoded form (any parameters, such as a charset, aside). */
export function isFormContentType(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/** express's reader of the form, bound to the shared limits and content-type rule. */
export function atFormParser(): RequestHandler {
  return express.urlencoded({
    extended: false,
    limit: AT_FORM_LIMITS.bytes,
    parameterLimit: AT_FORM_LIMITS.fields,
    type: (req) => isFormContentType((req.headers as IncomingHttpHeaders)['content-type']),
  });
}

/**
 * Whether the fast path reads this body exactly as express would: a plain UTF-8 form. Anything
 * else (another content type, charset or encoding) is left to the express route, whose reader
 * then gives the one answer for it.
 */
export function fastPathReads(headers: IncomingHttpHeaders): boolean {
  const contentType = headers['content-type'];
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  const encoding = headers['content-encoding'];
  return isFormContentType(contentType) && (charset === undefined || charset === 'utf-8') && (encoding === undefined || encoding === 'identity');
}

/** The fast path's reading of a UTF-8 form body: its fields, or null over the field limit (as express). */
export function readAtForm(body: string): FormFields | null {
  const fields = parseFormBody(body);
  let count = 0;
  for (const value of Object.values(fields)) count += Array.isArray(value) ? value.length : 1;
  return count > AT_FORM_LIMITS.fields ? null : fields;
}

/** The webhook key given in a query string: the one `key` value, or undefined when absent or repeated. */
export function queryKey(query: string): string | undefined {
  // A query with nothing to decode (no `%`, no `+`) is read by splitting, as URLSearchParams
  // would read it; anything else goes to URLSearchParams itself.
  if (query.includes('%') || query.includes('+')) {
    const all = new URLSearchParams(query).getAll('key');
    return all.length === 1 ? all[0] : undefined;
  }
  let found: string | undefined;
  let count = 0;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    if ((equals < 0 ? pair : pair.slice(0, equals)) !== 'key') continue;
    found = equals < 0 ? '' : pair.slice(equals + 1);
    count += 1;
  }
  return count === 1 ? found : undefined;
}

/** Why a body could not be read, as a closed label (for logs and the odd-body counter). */
export function bodyProblem(error: unknown): 'too_large' | 'too_many_fields' | 'charset' | 'encoding' | 'unreadable' {
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large') return 'too_large';
  if (type === 'parameters.too.many') return 'too_many_fields';
  if (type === 'charset.unsupported') return 'charset';
  if (type === 'encoding.unsupported') return 'encoding';
  return 'unreadable';
}

/**
 * For callbacks AT retries unless they get 200 (delivery reports, opt-outs): a body that cannot
 * be read is logged, counted by `onOdd` and answered 200, since a retry would bring the same body.
 */
export function acknowledgeOddBodies(onOdd: (problem: string) => void): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const problem = bodyProblem(error);
    onOdd(problem);
    req.log.warn({ problem, err: (error as Error).message }, 'webhook body not readable; acknowledged so AT does not retry it');
    res.status(200).type('text/plain').send('OK');
  };
}
