/** The OpenAPI document lists, per route and status, the error codes the route really answers with. */
import request from 'supertest';
import { adminRoutes } from '../../../src/http/admin/admin-router';
import { buildOpenApi, openApiPath, routeErrorCodes } from '../../../src/http/admin/openapi';
import type { RouteDef } from '../../../src/http/admin/route';
import { statusForCode } from '../../../src/http/error-status';
import { ALL_ERROR_CODES, isErrorCode, type ErrorCode } from '../../../src/kernel/errors';
import { ADMIN, VIEWER, createAdminStack, type AdminStack } from './support/admin-stack';

type Json = Record<string, unknown>;
interface ErrorResponse { description: string; content: { 'application/json': { schema: { allOf: [Json, { properties: { code: { enum: ErrorCode[] } } }] } } } }

function documented(doc: Json, method: string, path: string): Record<string, ErrorResponse> {
  const paths = doc.paths as Record<string, Record<string, { responses: Record<string, ErrorResponse> }>>;
  const operation = paths[openApiPath(path)]?.[method];
  if (!operation) throw new Error(`${method} ${path} is not documented`);
  return Object.fromEntries(Object.entries(operation.responses).filter(([status]) => Number(status) >= 400));
}

const codesAt = (responses: Record<string, ErrorResponse>, status: number): ErrorCode[] =>
  responses[String(status)]?.content['application/json'].schema.allOf[1].properties.code.enum ?? [];

describe('OpenAPI error codes', () => {
  let stack: AdminStack;
  let doc: Json;
  let routes: RouteDef[];
  beforeAll(async () => {
    stack = await createAdminStack();
    routes = adminRoutes(stack.deps);
    doc = (await request(stack.app).get('/api/v1/openapi.json').expect(200)).body as Json;
  });
  afterAll(async () => { await stack.close(); });

  it('gives the error body a closed list of codes', () => {
    const schema = (doc.components as { schemas: { Error: { properties: { code: { enum: string[] } }; required: string[] } } }).schemas.Error;
    expect(schema.properties.code.enum).toEqual(ALL_ERROR_CODES);
    expect(schema.required).toEqual(['code', 'message']);
  });

  it('files every code of every route under its status, and nothing else', () => {
    for (const def of routes) {
      const responses = documented(doc, def.method, def.path);
      const listed = Object.entries(responses).flatMap(([status, response]) => codesAt(responses, Number(status)).map((code) => {
        expect({ code, status: Number(status) }).toEqual({ code, status: statusForCode(code) });
        expect(response.description).toContain(`${code}: `);
        return code;
      }));
      expect({ route: `${def.method} ${def.path}`, codes: listed.sort() }).toEqual({ route: `${def.method} ${def.path}`, codes: routeErrorCodes(def) });
    }
  });

  it('adds the codes of access, query and body to the declared ones', () => {
    const get = (method: string, path: string) => routes.find((r) => r.method === method && r.path === path) as RouteDef;
    expect(routeErrorCodes(get('get', '/openapi.json'))).toEqual(['INTERNAL']);
    // A per-pack route also answers for its `?pack=`: malformed (400), unknown (404), not the token's (403).
    expect(routeErrorCodes(get('get', '/delegates/:phone'))).toEqual(['AUTH.FORBIDDEN', 'AUTH.UNAUTHENTICATED', 'DELEGATE.NOT_FOUND', 'INTERNAL', 'PACK.NOT_FOUND', 'RATE_LIMITED', 'VALIDATION.FAILED', 'VALIDATION.PHONE']);
    const put = routeErrorCodes(get('put', '/agenda'));
    expect(put).toEqual(expect.arrayContaining(['AGENDA.UNPROCESSABLE', 'AUTH.FORBIDDEN', 'HTTP.BAD_REQUEST', 'HTTP.PAYLOAD_TOO_LARGE', 'HTTP.UNSUPPORTED_MEDIA_TYPE']));
    expect(put).toContain('PACK.NOT_FOUND');
    expect(routeErrorCodes(get('get', '/outbox'))).not.toContain('PACK.NOT_FOUND');
    expect(codesAt(documented(doc, 'delete', '/delegates/:phone'), 403)).toEqual(['AUTH.FORBIDDEN']);
    expect(codesAt(documented(doc, 'get', '/broadcasts/:id'), 503)).toEqual(['BROADCAST.UNAVAILABLE']);
  });

  it('documents the code of every error answer the routes give', async () => {
    const session = ((await request(stack.app).get('/api/v1/agenda').set('Authorization', `Bearer ${ADMIN}`)).body as { sessions: Json[] }).sessions[0];
    const draft = { audience: { all: true }, messages: { sw: 'Habari' } };
    const calls: Array<{ method: 'get' | 'post' | 'put' | 'patch' | 'delete'; path: string; url: string; token?: string; body?: unknown; type?: string }> = [
      { method: 'get', path: '/delegates/:phone', url: '/delegates/12' },
      { method: 'get', path: '/delegates/:phone', url: '/delegates/0712345678' },
      { method: 'delete', path: '/delegates/:phone', url: '/delegates/0712345678' },
      { method: 'delete', path: '/delegates/:phone', url: '/delegates/0712345678', token: VIEWER },
      { method: 'post', path: '/delegates/import', url: '/delegates/import', body: 'name\nAsha', type: 'text/csv' },
      { method: 'get', path: '/delegates', url: '/delegates?limit=nope' },
      { method: 'put', path: '/agenda', url: '/agenda', body: { days: 'none' } },
      { method: 'put', path: '/agenda', url: '/agenda', body: '{"days":', type: 'application/json' },
      { method: 'post', path: '/agenda/import', url: '/agenda/import', body: 'code,day\nX,never', type: 'text/csv' },
      { method: 'post', path: '/agenda/sessions', url: '/agenda/sessions', body: session },
      { method: 'patch', path: '/agenda/sessions/:code', url: '/agenda/sessions/NOPE', body: { room: 'B' } },
      { method: 'delete', path: '/agenda/sessions/:code', url: '/agenda/sessions/NOPE' },
      { method: 'get', path: '/outbox', url: '/outbox' },
      { method: 'get', path: '/broadcasts/:id', url: '/broadcasts/b-none' },
      { method: 'post', path: '/broadcasts/:id/pause', url: '/broadcasts/b-none/pause' },
      { method: 'post', path: '/broadcasts', url: '/broadcasts', body: draft },
      { method: 'post', path: '/broadcasts/test-send', url: '/broadcasts/test-send', body: { draft, phone: 'x' } },
      { method: 'get', path: '/stats', url: '/stats', token: 'wrong-token-0123456789' },
    ];
    const seen = new Set<ErrorCode>();
    for (const call of calls) {
      let test = request(stack.app)[call.method](`/api/v1${call.url}`).set('Authorization', `Bearer ${call.token ?? ADMIN}`);
      if (call.type) test = test.set('Content-Type', call.type);
      const response = await (call.body === undefined ? test : test.send(call.body as object));
      const code: unknown = response.body.code;
      expect({ url: call.url, code: isErrorCode(code) }).toEqual({ url: call.url, code: true });
      expect({ url: call.url, documented: codesAt(documented(doc, call.method, call.path), response.status) }).toEqual({ url: call.url, documented: expect.arrayContaining([code]) });
      seen.add(code as ErrorCode);
    }
    expect([...seen].sort()).toEqual(expect.arrayContaining([
      'AGENDA.UNPROCESSABLE', 'AUTH.FORBIDDEN', 'AUTH.UNAUTHENTICATED', 'BROADCAST.NOT_FOUND', 'DELEGATE.NOT_FOUND', 'HTTP.BAD_REQUEST',
      'OUTBOX.NOT_FOUND', 'SESSION.CONFLICT', 'SESSION.NOT_FOUND', 'VALIDATION.CSV', 'VALIDATION.FAILED', 'VALIDATION.IDEMPOTENCY_KEY', 'VALIDATION.PHONE',
    ]));
  });

  it('documents BROADCAST.UNAVAILABLE where a gateway without broadcasts answers it', async () => {
    const bare = await createAdminStack({ broadcasts: undefined });
    try {
      const response = await request(bare.app).get('/api/v1/broadcasts').set('Authorization', `Bearer ${ADMIN}`).expect(503);
      expect(response.body.code).toBe('BROADCAST.UNAVAILABLE');
      expect(codesAt(documented(buildOpenApi(adminRoutes(bare.deps)), 'get', '/broadcasts'), 503)).toEqual(['BROADCAST.UNAVAILABLE']);
    } finally {
      await bare.close();
    }
  });
});
