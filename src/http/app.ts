/**
 * The HTTP application factory. It wires middleware, health and metrics endpoints and the
 * feature routers it is given; it never listens (the caller does, tests on port 0).
 */
import express, { type Express, type RequestHandler, type Router } from 'express';
import type { Logger } from '../kernel/logger';
import { AppError } from '../kernel/errors';
import { errorMiddleware } from './error-middleware';
import { createAssetsRouter } from './assets/assets-router';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';
import { httpMetricsMiddleware, type Metrics } from '../kernel/metrics';
import { secretMatcher } from '../kernel/secrets';
import { sendError } from './error-middleware';
import type { WorkerStatus } from '../infra/process/worker-supervisor';

export interface Mount {
  path: string;
  router: Router | RequestHandler;
}

export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  /** Probed by /readyz: resolves true when the gateway's storage answers (within about a second). */
  ready: () => Promise<boolean>;
  /**
   * express's `trust proxy`: false, a hop count, or the proxies' addresses/CIDRs/range names.
   * `req.ip`, which the webhook allow-list and the sign-in limit read, follows it.
   */
  trustProxy: false | number | readonly string[];
  /** Feature routers (webhooks, admin API, console, simulator), mounted in order. */
  mounts: Mount[];
  /** True once shutdown has begun: /readyz answers 503 so load balancers drain us. */
  isShuttingDown?: () => boolean;
  /** When set, /metrics answers only to `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
  /**
   * The supervised queue worker child (SERVICE_MODE=all, WORKER_LAYOUT=process): /healthz and
   * /readyz show it, with a `warning` while it is starting, down or restarting in a loop. Readiness
   * stays Redis's alone: USSD and webhooks are served by this process whatever the child does, so a
   * dead child must not take the gateway out of rotation.
   */
  workers?: () => WorkerStatus;
}

/** /metrics, behind a bearer token when one is configured (compared in constant time). */
function metricsHandler(deps: AppDeps): RequestHandler {
  const tokenMatches = deps.metricsToken === undefined ? undefined : secretMatcher(deps.metricsToken);
  return async (req, res) => {
    if (tokenMatches && !tokenMatches(/^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1])) {
      sendError(res, 'AUTH.UNAUTHENTICATED', 'Send the metrics token (METRICS_TOKEN) as "Authorization: Bearer <token>".');
      return;
    }
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  };
}

declare module 'express-serve-static-core' {
  interface Request {
    id: string;
    log: Logger;
  }
}

function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    req.id = requestIdFrom(req.get(REQUEST_ID_HEADER));
    req.log = logger.child({ reqId: req.id });
    res.setHeader(REQUEST_ID_HEADER, req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      req.log.debug({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  };
}

/** Builds the express app; no listen(), no timers. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.set('query parser', 'simple');
  app.use(requestContext(deps.logger));
  // No answer is ever read as another type than it says (a JSON error as HTML, a CSV as script).
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  app.use(httpMetricsMiddleware(deps.metrics));

  // Liveness: 200 while this process answers, whatever the worker child does (it is restarted here).
  app.get('/healthz', (_req, res) => {
    const workers = deps.workers?.();
    res.json({ status: 'ok', ...(workers ? { workers } : {}), ...(workers?.reason ? { warning: workers.reason } : {}) });
  });
  app.get('/readyz', async (_req, res) => {
    if (deps.isShuttingDown?.()) {
      res.status(503).json({ status: 'shutting_down' });
      return;
    }
    const redisOk = await deps.ready().catch(() => false);
    const workers = deps.workers?.();
    res.status(redisOk ? 200 : 503).json({
      status: redisOk ? 'ready' : 'unavailable', redis: redisOk ? 'ok' : 'unreachable',
      ...(redisOk ? {} : { reason: 'Redis does not answer' }),
      ...(workers ? { workers } : {}), ...(workers?.reason ? { warning: workers.reason } : {}),
    });
  });
  app.get('/metrics', metricsHandler(deps));

  // The browser modules the console and the simulator pages share.
  app.use('/assets', createAssetsRouter());
  for (const mount of deps.mounts) app.use(mount.path, mount.router);

  app.use((req, _res, next) => {
    next(new AppError('HTTP.NOT_FOUND', `No route for ${req.method} ${req.path}.`));
  });
  app.use(errorMiddleware(deps.logger));
  return app;
}
