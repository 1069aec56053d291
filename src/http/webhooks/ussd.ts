/**
 * `POST /webhooks/africastalking/ussd` and `/ussd-events`. Whatever arrives, AT gets `200
 * text/plain` starting with CON or END within the deadline: bad bodies get a bilingual END, a slow
 * or dead Redis gets the bilingual "service busy" END. Never a 5xx.
 */
import express, { type ErrorRequestHandler, type Router } from 'express';
import type { Logger } from '../../kernel/logger';
import type { SessionStore } from '../../ussd/session-store.redis';
import { formRecord, readForm } from '../../providers/africastalking/at-form';
import { parseUssdRequest } from '../../providers/africastalking/ussd-request';
import { SYSTEM_SCREENS } from '../../ussd/system-messages';
import type { UssdService } from '../../ussd/ussd-service';
import type { UssdStats } from '../../ussd/ussd-stats.redis';
import type { SessionRecovery } from '../../ussd/session-recovery';
import type { NetworkDeadlines } from '../../ussd/network-deadlines';
import { webhookAuth, type KeyFailures } from './webhook-auth';
import { atFormParser } from './at-form-parser';

export interface UssdRouterDeps {
  service: UssdService;
  sessions: SessionStore;
  stats: UssdStats;
  /** Sends the recovery dial string after a cut session; absent: end-of-session notifications are only counted. */
  recovery?: SessionRecovery;
  /** Adaptive hop deadlines per network; absent: every hop gets `deadlineMs`. */
  deadlines?: NetworkDeadlines;
  logger: Logger;
  deadlineMs: number;
  webhookKey: string | undefined;
  ipAllowList: readonly string[];
  keyFailures?: KeyFailures;
}

function answer(res: express.Response, body: string): void {
  res.status(200).type('text/plain; charset=utf-8').send(body);
}

/** Resolves `work` or, after `ms`, `fallback`; a rejection of `work` also yields `fallback`. */
export function withDeadline<T>(work: Promise<T>, ms: number, fallback: T, onLate: (reason: unknown) => void): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      onLate('deadline');
      resolve(fallback);
    }, ms);
    work.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (error: unknown) => { clearTimeout(timer); onLate(error); resolve(fallback); },
    );
  });
}

/** What answering one hop needs. */
export type HopDeps = Pick<UssdRouterDeps, 'service' | 'stats' | 'deadlineMs' | 'deadlines'>;

/**
 * The screen for one USSD callback: the service's reply, or the bilingual bad-request END for a
 * body it cannot use (`null`: too large to read), or the bilingual busy END when the service
 * fails or misses the deadline. Never rejects; both USSD routes answer with it.
 */
export function ussdScreen(deps: HopDeps, fields: unknown, log: Logger, logContext: Record<string, unknown> = {}): Promise<string> {
  const parsed = fields === null ? ({ ok: false, problem: 'body_too_large' } as const) : parseUssdRequest(fields);
  if (!parsed.ok) {
    log.warn({ ...logContext, problem: parsed.problem }, 'bad USSD request');
    deps.stats.recordHop('', [], 'bad_request');
    return Promise.resolve(SYSTEM_SCREENS.badRequest);
  }
  const { request } = parsed;
  const started = performance.now();
  let busy = false;
  const deadlineMs = deps.deadlines?.deadlineFor(request.networkCode) ?? deps.deadlineMs;
  const answered = withDeadline(deps.service.handle(request), deadlineMs, SYSTEM_SCREENS.busy, (reason) => {
    busy = true;
    deps.stats.recordHop('', [], 'busy');
    log.error({ ...logContext, err: reason instanceof Error ? reason.message : reason, sessionId: request.sessionId }, 'USSD hop answered busy');
  });
  return answered.then((screen) => {
    deps.stats.recordNetworkHop(deps.service.packOf(request.serviceCode) ?? '', request.networkCode, performance.now() - started, busy);
    deps.deadlines?.onHop(request.networkCode, busy);
    return screen;
  });
}

export function createUssdRouter(deps: UssdRouterDeps): Router {
  const router = express.Router();
  const parseForm = atFormParser();
  const ussdAuth = webhookAuth({
    key: deps.webhookKey,
    ipAllowList: deps.ipAllowList,
    onRefused: (res, reason) => { res.status(reason === 'throttled' ? 429 : 403).type('text/plain').send('END Access denied.'); },
    ...(deps.keyFailures ? { keyFailures: deps.keyFailures } : {}),
  });
  // Any body-parser failure (too large, bad charset, too many fields) still answers END.
  const bodyErrors: ErrorRequestHandler = (error, req, res, _next) => {
    req.log.warn({ err: (error as Error).message }, 'unreadable USSD body');
    answer(res, SYSTEM_SCREENS.badRequest);
  };

  router.post('/ussd', ussdAuth, parseForm, async (req: express.Request, res: express.Response) => {
    answer(res, await ussdScreen(deps, req.body, req.log));
  });

  router.post('/ussd-events', ussdAuth, parseForm, async (req: express.Request, res: express.Response) => {
    // Every field present is text: readForm leaves out the rest.
    const fields = readForm(req.body, Object.keys(formRecord(req.body))) as Record<string, string>;
    const sessionId = fields.sessionId ?? '';
    try {
      const record = sessionId ? await deps.sessions.load(sessionId) : null;
      await deps.stats.recordSessionEnd({
        packId: record?.packId ?? null,
        sessionId,
        status: fields.status ?? '',
        lastNode: record && !record.snapshot.ended ? record.snapshot.node : null,
        raw: fields,
        networkCode: fields.networkCode ?? '',
      });
      deps.deadlines?.onSessionEnd(fields.networkCode, fields.status ?? '');
      if (deps.recovery && sessionId) {
        const decision = await deps.recovery.onSessionEnd({ sessionId, status: fields.status ?? '', serviceCode: fields.serviceCode ?? '' }, record);
        req.log.info({ sessionId, decision }, 'USSD session ended');
      }
    } catch (error) {
      req.log.warn({ err: (error as Error).message }, 'USSD end-of-session not recorded');
    }
    res.status(200).type('text/plain').send('OK');
  });

  router.use(bodyErrors);
  return router;
}
