/** Who may call what: tokens, roles, the failed-attempt limit, and the OpenAPI document. */
import request from 'supertest';
import { buildOpenApi, openApiPath } from '../../../src/http/admin/openapi';
import { adminRoutes } from '../../../src/http/admin/admin-router';
import { ADMIN, VIEWER, createAdminStack, type AdminStack } from './support/admin-stack';
import { concretePath, servedRoutes } from './support/routes';

const call = (stack: AdminStack, method: string, path: string) =>
  (request(stack.app) as unknown as Record<string, (url: string) => request.Test>)[method]!(`/api/v1${concretePath(path)}`);

describe('admin API access', () => {
  let stack: AdminStack;
  beforeAll(async () => { stack = await createAdminStack(); });
  afterAll(async () => { await stack.close(); });

  it('answers 401 on every route without a token, except the OpenAPI document', async () => {
    const routes = servedRoutes(stack.router);
    expect(routes.length).toBeGreaterThan(20);
    for (const { method, path } of routes) {
      const response = await call(stack, method, path);
      if (path === '/openapi.json') expect(response.status).toBe(200);
      else {
        expect({ method, path, status: response.status }).toEqual({ method, path, status: 401 });
        expect(response.body.code).toBe('AUTH.UNAUTHENTICATED');
        expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    }
  });

  it('answers 403 to a viewer on every route that changes something', async () => {
    // POST /sign-in only records a sign-in in the audit trail: viewers sign in too.
    const writes = servedRoutes(stack.router).filter((r) => r.method !== 'get' && r.path !== '/sign-in');
    expect(writes.length).toBeGreaterThan(10);
    for (const { method, path } of writes) {
      const response = await call(stack, method, path).set('Authorization', `Bearer ${VIEWER}`).send({});
      expect({ method, path, status: response.status, code: response.body.code }).toEqual({ method, path, status: 403, code: 'AUTH.FORBIDDEN' });
    }
  });

  it('lets a viewer read and an admin write', async () => {
    await request(stack.app).get('/api/v1/agenda').set('Authorization', `Bearer ${VIEWER}`).expect(200);
    await request(stack.app).get('/api/v1/agenda').set('Authorization', `bearer ${ADMIN}`).expect(200);
  });

  it('documents exactly the routes it serves (OpenAPI 3.1 from the same schemas)', async () => {
    const response = await request(stack.app).get('/api/v1/openapi.json').expect(200);
    const doc = response.body as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const served = servedRoutes(stack.router).map((r) => `${r.method} ${openApiPath(r.path)}`).sort();
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)).sort();
    expect(documented).toEqual(served);
    const post = doc.paths['/broadcasts']?.post as { parameters: Array<{ name: string; required: boolean }>; requestBody: { content: Record<string, unknown> } };
    expect(post.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }));
    expect(Object.keys((doc.paths['/delegates/import']?.post as { requestBody: { content: object } }).requestBody.content)).toEqual(['application/json', 'text/csv']);
    expect(buildOpenApi(adminRoutes(stack.deps))).toEqual(doc);
  });
});

describe('admin API guards', () => {
  it('refuses everything with a how-to message when ADMIN_TOKENS is empty', async () => {
    const stack = await createAdminStack({ tokens: [] });
    try {
      const response = await request(stack.app).get('/api/v1/stats').set('Authorization', `Bearer ${ADMIN}`).expect(401);
      expect(response.body.message).toMatch(/ADMIN_TOKENS=admin:/);
      await request(stack.app).get('/api/v1/openapi.json').expect(200);
    } finally {
      await stack.close();
    }
  });

  it('answers wrong tokens 429 with Retry-After after the limit, and still lets the right token in', async () => {
    const stack = await createAdminStack();
    try {
      for (let i = 0; i < 10; i++) await request(stack.app).get('/api/v1/stats').set('Authorization', `Bearer wrong-${i}-0123456789abcdef`).expect(401);
      const blocked = await request(stack.app).get('/api/v1/stats').set('Authorization', 'Bearer wrong-again-0123456789').expect(429);
      expect(blocked.body.code).toBe('RATE_LIMITED');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      // Same address (behind a proxy: every client's), yet the organisers' tokens still pass.
      await request(stack.app).get('/api/v1/stats').set('Authorization', `Bearer ${ADMIN}`).expect(200);
      await request(stack.app).get('/api/v1/agenda').set('Authorization', `Bearer ${VIEWER}`).expect(200);
      await request(stack.app).get('/api/v1/stats').set('Authorization', 'Bearer wrong-later-0123456789').expect(429);
    } finally {
      await stack.close();
    }
  });
});
