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
      answer(200, await ussdScreen(deps, body === null ? null : readAtForm(body), deps.logger, { reqId }));
    });
  };
}
