/**
 * The USSD webhook served straight from node:http, ahead of express: the hop is the hottest path
 * of the gateway and express's router, body parser and middleware cost more than the hop's own
 * work. It answers exactly like the express route (same parser, auth, deadline, screens); the
 * express route stays for tests and for deployments with an IP allow-list or a proxy in front.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Metrics } from '../../kernel/metrics';
import type { Logger } from '../../kernel/logger';
import type { UssdService } from '../../ussd/ussd-service';
import type { UssdStats } from '../../ussd/ussd-stats.redis';
import { REQUEST_ID_HEADER, requestIdFrom } from '../request-id';
import { ussdScreen } from './ussd';
import { webhookKeyCheck, type KeyFailures } from './webhook-auth';
import { AT_FORM_LIMITS, fastPathReads, queryKey, readAtForm } from './at-form-parser';
import type { FormFields } from '../../providers/africastalking/at-form';
import type { NetworkDeadlines } from '../../ussd/network-deadlines';

export const USSD_PATH = '/webhooks/africastalking/ussd';
const MAX_BODY_BYTES = AT_FORM_LIMITS.bytes;

export interface UssdFastPathDeps {
  service: UssdService;
  stats: UssdStats;
  logger: Logger;
  metrics: Metrics;
  deadlineMs: number;
  deadlines?: NetworkDeadlines;
  webhookKey: string | undefined;
  /** Counts wrong keys per address; over the limit a caller gets 429 (a right key always passes). */
  keyFailures?: KeyFailures;
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        if (!done) resolve(null);
        done = true;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => { if (!done) resolve(Buffer.concat(chunks).toString('utf8')); done = true; });
    req.on('error', () => { if (!done) resolve(null); done = true; });
  });
}

const hexValue = (code: number): number => (code >= 0x30 && code <= 0x39 ? code - 0x30 : code >= 0x41 && code <= 0x46 ? code - 0x37 : code >= 0x61 && code <= 0x66 ? code - 0x57 : -1);

/** One name or value of a plain body: `+` is a space, `%XX` (below 0x80) its character; undefined for anything else. */
function decodePlain(text: string, from: number, to: number): string | undefined {
  let out = '';
  let run = from;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x2b) {
      out += `${text.slice(run, i)} `;
      run = i + 1;
    } else if (code === 0x25) {
      const high = i + 2 < to ? hexValue(text.charCodeAt(i + 1)) : -1;
      const low = i + 2 < to ? hexValue(text.charCodeAt(i + 2)) : -1;
      if (high < 0 || high > 7 || low < 0) return undefined;
      out += text.slice(run, i) + String.fromCharCode(high * 16 + low);
      i += 2;
      run = i + 1;
    } else if (code >= 0x80) return undefined;
  }
  return run === from ? text.slice(from, to) : out + text.slice(run, to);
}

/**
 * The form as {@link readAtForm} reads it, for the bodies AT sends (ASCII, each `%` escaping an
 * ASCII character), without a URLSearchParams; undefined for any other body (read the usual way).
 */
export function readPlainForm(body: string): FormFields | null | undefined {
  const fields: FormFields = {};
  let count = 0;
  // As URLSearchParams, a leading `?` is not part of the form.
  for (let start = body.startsWith('?') ? 1 : 0; start <= body.length; ) {
    let end = body.indexOf('&', start);
    if (end < 0) end = body.length;
    if (end > start) {
      const equals = body.indexOf('=', start);
      const split = equals >= 0 && equals < end ? equals : end;
      const name = decodePlain(body, start, split);
      const value = split < end ? decodePlain(body, split + 1, end) : '';
      if (name === undefined || value === undefined) return undefined;
      const seen = fields[name];
      fields[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
      count += 1;
    }
    start = end + 1;
  }
  return count > AT_FORM_LIMITS.fields ? null : fields;
}

/** Returns a listener that handles the USSD webhook and hands everything else to `next`. */
export function withUssdFastPath(deps: UssdFastPathDeps, next: RequestListener): RequestListener {
  const keyMatches = webhookKeyCheck(deps.webhookKey);
  const route = `${USSD_PATH}`;
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    const queryAt = url.indexOf('?');
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    if (req.method !== 'POST' || path !== USSD_PATH || !fastPathReads(req.headers)) {
      next(req, res);
      return;
    }
    const stop = deps.metrics.httpDuration.startTimer();
    const reqId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    const answer = (status: number, body: string): void => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), 'x-content-type-options': 'nosniff', [REQUEST_ID_HEADER]: reqId });
      res.end(body);
      stop({ method: 'POST', route, status: String(status) });
    };
    // The query string is read only when a key is set: most hops of an open gateway skip it.
    if (deps.webhookKey !== undefined && !keyMatches(queryAt < 0 ? undefined : queryKey(url.slice(queryAt + 1)))) {
      deps.logger.warn({ reqId }, 'webhook refused: wrong or missing key');
      void (deps.keyFailures?.(req.socket.remoteAddress ?? 'unknown') ?? Promise.resolve(0)).then((waitMs) => {
        if (waitMs > 0) res.setHeader('retry-after', String(Math.ceil(waitMs / 1000)));
        answer(waitMs > 0 ? 429 : 403, 'END Access denied.');
      });
      return;
    }
    void readBody(req).then(async (body) => {
      const fields = body === null ? null : (readPlainForm(body) ?? readAtForm(body));
      answer(200, await ussdScreen(deps, fields, deps.logger, { reqId }));
    });
  };
}
