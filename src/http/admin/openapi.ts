/**
 * The OpenAPI 3.1 document of the admin API, generated from the route list and its zod schemas
 * (z.toJSONSchema, JSON Schema 2020-12 as OpenAPI 3.1 expects). Nothing here is written by hand
 * per route, so a new route is documented by being declared.
 */
import { z } from 'zod';
import type { RouteDef } from './route';
import { ErrorBody } from './schemas';

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

function operation(def: RouteDef): Json {
  const success = def.responses ?? { '200': 'OK' };
  const content = def.produces === 'text/csv' ? { 'text/csv': { schema: { type: 'string' } } } : { 'application/json': { schema: {} } };
  const responses: Json = Object.fromEntries(Object.entries(success).map(([status, description]) => [status, { description, content }]));
  const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
  if (def.body || def.query) responses['400'] = error('Invalid request (details list each problem)');
  if (def.access !== 'public') {
    responses['401'] = error('Missing or wrong token, or ADMIN_TOKENS not configured');
    if (def.access === 'write') responses['403'] = error('A viewer token cannot change anything');
    responses['429'] = error('Too many failed attempts from this address (see Retry-After)');
  }
  if (def.perPack) responses['403'] = error(def.access === 'write' ? 'A viewer token cannot change anything, or the token may not use this pack' : 'The token may not use this pack');
  if (def.path.includes(':') || def.perPack) responses['404'] = error(def.perPack ? 'Not found (PACK.NOT_FOUND: no such pack)' : 'Not found');
  if (def.invalidBodyCode?.endsWith('UNPROCESSABLE') || def.tag === 'agenda') responses['422'] = error('The result would not be a valid event');
  if (def.tag === 'broadcasts') responses['503'] = error('Broadcast service not available');
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
