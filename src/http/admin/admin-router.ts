/**
 * The organisers' REST API under /api/v1: every route declared as data (see route.ts), guarded by
 * bearer tokens, validated with zod and documented at /openapi.json from the same declarations.
 */
import { maskPhonesDeep } from './viewer-mask';
import express, { type RequestHandler, type Router } from 'express';
import { AppError } from '../../kernel/errors';
import type { AdminDeps } from './admin-deps';
import { agendaRoutes } from './agenda-routes';
import { inviteeRoutes } from './invitee-routes';
import { createAuthenticator } from './auth';
import { broadcastRoutes } from './broadcast-routes';
import { delegateRoutes } from './delegate-routes';
import { engageRoutes } from './engage-routes';
import { miscRoutes } from './misc-routes';
import { organiserRoutes } from './organiser-routes';
import { packRoutes, resolvePack } from './packs';
import { releaseRoutes } from './release-routes';
import { buildOpenApi } from './openapi';
import { parseOrThrow, route, type RouteDef } from './route';

export type { AdminDeps, BroadcastsByPack, OutboxItem, OutboxReader } from './admin-deps';
export type { PackSummary } from './packs';

const jsonBody = express.json({ limit: '2mb' });
const csvBody = express.text({ type: ['text/csv', 'text/plain'], limit: '5mb' });

/** Every route of the API, the OpenAPI document's own included. */
export function adminRoutes(deps: AdminDeps): RouteDef[] {
  const routes: RouteDef[] = [...packRoutes(deps), ...delegateRoutes(deps), ...agendaRoutes(deps), ...inviteeRoutes(deps), ...broadcastRoutes(deps), ...miscRoutes(deps), ...releaseRoutes(deps), ...engageRoutes(deps), ...organiserRoutes(deps)];
  const all: RouteDef[] = [];
  let document: unknown;
  all.push(
    route({
      method: 'get', path: '/openapi.json', tag: 'meta', access: 'public', summary: 'This document (OpenAPI 3.1)',
      handle: async (): Promise<unknown> => (document ??= buildOpenApi(all)),
    }),
    ...routes,
  );
  return all;
}

/** Routes that change nothing, though posted: not audited. */
const UNAUDITED = new Set(['/broadcasts/preview']);

/**
 * Adds a done admin action to the audit trail: every write but a preview, and what a handler
 * names in `res.locals.auditAction` (a sign-in). Best effort: a failed write is logged, the
 * action stands.
 */
async function audited(def: RouteDef, req: express.Request, res: express.Response, pack: string, deps: AdminDeps): Promise<void> {
  const named = res.locals.auditAction as string | undefined;
  if (!deps.audit || (!named && (def.access !== 'write' || def.method === 'get' || UNAUDITED.has(def.path)))) return;
  const params = req.params as Record<string, string | undefined>;
  await deps.audit.record({
    at: deps.clock.now().toISOString(), role: String(res.locals.role ?? ''), fingerprint: String(res.locals.fingerprint ?? ''),
    action: named ?? `${def.method.toUpperCase()} ${def.path}`, target: params.id ?? params.phone ?? params.code ?? '', pack,
    detail: (res.locals.auditDetail as string | undefined) ?? '',
  }).catch((error: unknown) => deps.logger.warn({ err: (error as Error).message }, 'audit entry not recorded'));
}

/** The request body as the route's schema sees it: CSV text becomes `{ csv }`. */
function bodyOf(def: RouteDef, req: express.Request): unknown {
  if (def.csvBody && typeof req.body === 'string') return { csv: req.body };
  if (req.body === undefined && (req.get('content-length') ?? '0') !== '0') {
    throw new AppError('HTTP.UNSUPPORTED_MEDIA_TYPE', `Send the body as application/json${def.csvBody ? ' or text/csv' : ''}.`);
  }
  return req.body;
}

function handlerFor(def: RouteDef, auth: ReturnType<typeof createAuthenticator>, deps: AdminDeps): RequestHandler[] {
  const guard: RequestHandler = async (req, res, next) => {
    try {
      const caller = await auth.authorise(req, def.access);
      res.locals.role = caller?.role;
      res.locals.label = caller?.label;
      res.locals.packs = caller?.packs;
      res.locals.fingerprint = caller?.fingerprint;
      next();
    } catch (error) {
      if (error instanceof AppError && error.code === 'AUTH.UNAUTHENTICATED') res.setHeader('WWW-Authenticate', 'Bearer realm="kiungo"');
      const retry = (error as AppError).details as { retryAfterSeconds?: number } | undefined;
      if (error instanceof AppError && error.code === 'RATE_LIMITED' && retry?.retryAfterSeconds) res.setHeader('Retry-After', String(retry.retryAfterSeconds));
      throw error;
    }
  };
  const run: RequestHandler = async (req, res) => {
    // `pack` is read here for every route, so each route's own query schema stays as it is.
    const { pack: asked, ...rest } = req.query as Record<string, unknown>;
    if (asked !== undefined && (typeof asked !== 'string' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(asked)))
      throw new AppError('VALIDATION.FAILED', 'The query string is not valid; see details.', [{ path: 'pack', message: 'use a pack id from GET /packs' }]);
    const packs = res.locals.packs as readonly string[] | undefined;
    const pack = def.perPack ? resolvePack(deps, packs, asked) : '';
    const query = def.query ? parseOrThrow(def.query, rest, 'query string') : {};
    const body = def.body ? parseOrThrow(def.body, bodyOf(def, req), 'request body', def.invalidBodyCode) : undefined;
    res.setHeader('Cache-Control', 'no-store');
    const result = await def.handle({ req, res, query, body, params: req.params as Record<string, string>, role: res.locals.role, label: res.locals.label, pack, packs });
    await audited(def, req, res, pack, deps);
    // A viewer sees every number masked, whichever route answers.
    if (!res.headersSent) res.json(res.locals.role === 'viewer' ? maskPhonesDeep(result) : result);
  };
  return def.body ? [guard, jsonBody, ...(def.csvBody ? [csvBody] : []), run] : [guard, run];
}

/**
 * The router to mount at `/api/v1`. Tokens come from ADMIN_TOKENS; with none, every route but
 * openapi.json answers 401 with a message saying how to set them.
 */
export function createAdminRouter(deps: AdminDeps): Router {
  const router = express.Router();
  const auth = createAuthenticator(deps.tokens, deps.auth);
  for (const def of adminRoutes(deps)) router[def.method](def.path, ...handlerFor(def, auth, deps));
  return router;
}
