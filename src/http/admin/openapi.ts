/**
 * The OpenAPI 3.1 document of the admin API, generated from the route list and its zod schemas
 * (z.toJSONSchema, JSON Schema 2020-12 as OpenAPI 3.1 expects). Nothing here is written by hand
 * per route, so a new route is documented by being declared.
 */
import { z } from 'zod';
import { ALL_ERROR_CODES, ERROR_CODES, type ErrorCode } from '../../kernel/errors';
import { statusForCode } from '../error-status';
import type { RouteDef } from './route';

/** The body of every error answer; `code` is one of the kernel's codes. */
const ErrorBody = z.object({
  code: z.enum(ALL_ERROR_CODES as [ErrorCode, ...ErrorCode[]]).describe('Stable error code; the status follows from it.'),
  message: z.string().describe('What went wrong and what to do, in English.'),
  details: z.unknown().optional().describe('Per-code detail, e.g. `{ path, message }` pairs for validation codes.'),
});

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType): Json {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
}

/** `/delegates/:phone` -> `/delegates/{phone}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

function parameters(def: RouteDef): Json[] {
  const path = [...def.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  const query: Json[] = [];
  if (def.query) {
    const schema = jsonSchema(def.query) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      const { description, ...rest } = property;
      query.push({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: rest, ...(description ? { description } : {}) });
    }
  }
  if (def.perPack) query.unshift({ name: 'pack', in: 'query', required: false, schema: { type: 'string' }, description: "Pack id (GET /packs); default: the token's only pack, else DEFAULT_PACK" });
  const headers = (def.headers ?? []).map((h) => ({ name: h.name, in: 'header', required: h.required, description: h.description, schema: { type: 'string' } }));
  return [...path, ...query, ...headers];
}

/**
 * Every code `def` may answer with: its declared `errors` plus those its access, query and body
 * imply (authentication, validation, body parsing) and INTERNAL. Sorted, no repeats.
 */
export function routeErrorCodes(def: RouteDef): ErrorCode[] {
  const codes = new Set<ErrorCode>(def.errors ?? []);
  if (def.query) codes.add('VALIDATION.FAILED');
  if (def.body) for (const code of [def.invalidBodyCode ?? 'VALIDATION.FAILED', 'HTTP.BAD_REQUEST', 'HTTP.PAYLOAD_TOO_LARGE', 'HTTP.UNSUPPORTED_MEDIA_TYPE'] as const) codes.add(code);
  if (def.access !== 'public') for (const code of ['AUTH.UNAUTHENTICATED', 'RATE_LIMITED'] as const) codes.add(code);
  if (def.access === 'write') codes.add('AUTH.FORBIDDEN');
  if (def.perPack) for (const code of ['AUTH.FORBIDDEN', 'PACK.NOT_FOUND', 'VALIDATION.FAILED'] as const) codes.add(code);
  codes.add('INTERNAL');
  return [...codes].sort();
}

/** One response per status, its body schema narrowed to the codes it may carry. */
function errorResponses(def: RouteDef): Json {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of routeErrorCodes(def)) {
    const status = statusForCode(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Json = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const schema = { allOf: [{ $ref: '#/components/schemas/Error' }, { type: 'object', properties: { code: { enum: codes } } }] };
    responses[String(status)] = {
      description: codes.map((code) => `${code}: ${ERROR_CODES[code]}`).join(' '),
      content: { 'application/json': { schema } },
    };
  }
  return responses;
}

function operation(def: RouteDef): Json {
  const success = def.responses ?? { '200': 'OK' };
  const content = def.produces === 'text/csv' ? { 'text/csv': { schema: { type: 'string' } } } : { 'application/json': { schema: {} } };
  const responses: Json = {
    ...Object.fromEntries(Object.entries(success).map(([status, description]) => [status, { description, content }])),
    ...errorResponses(def),
  };
  const op: Json = { operationId: `${def.method}${def.path.replace(/[^A-Za-z0-9]+(\w?)/g, (_m, c: string) => c.toUpperCase())}`, summary: def.summary, tags: [def.tag], responses };
  const params = parameters(def);
  if (params.length > 0) op.parameters = params;
  if (def.access === 'public') op.security = [];
  if (def.body) {
    const bodyContent: Json = { 'application/json': { schema: jsonSchema(def.body) } };
    if (def.csvBody) bodyContent['text/csv'] = { schema: { type: 'string' } };
    op.requestBody = { required: true, content: bodyContent };
  }
  return op;
}

/** The whole document for `routes` as served under `basePath`. */
export function buildOpenApi(routes: readonly RouteDef[], basePath = '/api/v1'): Json {
  const paths: Record<string, Json> = {};
  for (const def of routes) {
    const key = openApiPath(def.path);
    paths[key] = { ...(paths[key] ?? {}), [def.method]: operation(def) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Kiungo admin API',
      version: '1',
      description: 'Organiser API of the Kiungo USSD + SMS gateway: delegates, agenda, broadcasts, statistics. Send `Authorization: Bearer <token>` (ADMIN_TOKENS); viewer tokens may only read.',
    },
    servers: [{ url: basePath }],
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: jsonSchema(ErrorBody) },
    },
    paths,
  };
}
