/**
 * One admin route as data: method, path, access, the zod schemas of its query and body, and its
 * handler. The router registers these and the OpenAPI builder documents the very same list, so
 * the document cannot drift from what is served.
 */
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { AppError, type ErrorCode } from '../../kernel/errors';

/** `public`: no token; `read`: viewer or admin; `write`: admin only. */
export type Access = 'public' | 'read' | 'write';
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type Role = 'admin' | 'viewer';

export interface RouteContext<Q, B> {
  req: Request;
  res: Response;
  query: Q;
  body: B;
  params: Record<string, string>;
  /** The caller's role; undefined on public routes. */
  role: Role | undefined;
  /** The caller's token label ("admin token 1", never the token); undefined on public routes. */
  label: string | undefined;
  /** The pack the request is about (`?pack=`), on routes declared `perPack`; '' elsewhere. */
  pack: string;
  /** The packs the caller's token is limited to; undefined: every pack (or a public route). */
  packs: readonly string[] | undefined;
}

export interface HeaderDoc {
  name: string;
  required: boolean;
  description: string;
}

/** What a route declares besides its schemas and handler: the same for a spec and a def. */
interface RouteMeta {
  method: Method;
  /** Express path relative to /api/v1, e.g. `/delegates/:phone`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  /** The route works on one pack, chosen by `?pack=` (see packs.ts). */
  perPack?: boolean;
  /** The body may also be `text/csv`; the handler then gets `{ csv: <text> }`. */
  csvBody?: boolean;
  /** Error code when the body does not match (default VALIDATION.FAILED, a 400). */
  invalidBodyCode?: ErrorCode;
  /**
   * Codes the handler may answer with. Those of authentication, validation and body parsing are
   * added from `access`, `query` and `body`; the OpenAPI document lists both, by status.
   */
  errors?: readonly ErrorCode[];
  headers?: HeaderDoc[];
  /** Media type of a successful answer (JSON unless stated). */
  produces?: 'application/json' | 'text/csv';
  /** Success statuses with a description; `200` unless stated. */
  responses?: Record<string, string>;
}

interface RouteSpec<Q extends z.ZodType, B extends z.ZodType> extends RouteMeta {
  query?: Q;
  body?: B;
  /** Returns the JSON answer, or sends its own (CSV, custom status) and returns undefined. */
  handle(ctx: RouteContext<z.output<Q>, z.output<B>>): Promise<unknown>;
}

/** A declared route with its types erased, as the router and the OpenAPI builder read it. */
export interface RouteDef extends RouteMeta {
  query?: z.ZodType;
  body?: z.ZodType;
  handle(ctx: RouteContext<unknown, unknown>): Promise<unknown>;
}

/** Declares a route; the handler's query and body types follow from the schemas. */
export function route<Q extends z.ZodType = z.ZodObject<Record<string, never>>, B extends z.ZodType = z.ZodUnknown>(spec: RouteSpec<Q, B>): RouteDef {
  return spec as unknown as RouteDef;
}

/** Zod issues as `{ path, message }` pairs for the `details` of a 4xx answer. */
export function issueDetails(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/** Parses `value` with `schema` or throws a coded AppError carrying the issues. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string, code: ErrorCode = 'VALIDATION.FAILED'): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError(code, `The ${what} is not valid; see details.`, issueDetails(parsed.error));
  return parsed.data;
}

/** Sends `text` as a CSV download named `filename`. */
export function sendCsv(res: Response, filename: string, text: string): void {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  res.send(text);
}
