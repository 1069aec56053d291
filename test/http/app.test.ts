import request from 'supertest';
import express from 'express';
import { createApp } from '../../src/http/app';
import { ALL_ERROR_CODES, AppError, ERROR_CODES, errorWithCode, type ErrorCode } from '../../src/kernel/errors';
import { STATUS_BY_CODE, statusForCode } from '../../src/http/error-status';
import { requestIdFrom } from '../../src/http/request-id';
import { sendError } from '../../src/http/error-middleware';
import { createMetrics } from '../../src/kernel/metrics';
import { createLogger } from '../../src/kernel/logger';
import { closeRedis, createRedis, redisReachable, type RedisClient } from '../../src/infra/redis/client';
import { connectTestRedis } from '../support/redis';

const logger = createLogger('silent');

function appWith(redis: RedisClient, extra?: express.Router) {
  const router = extra ?? express.Router();
  return createApp({ logger, metrics: createMetrics({ defaultMetrics: false }), ready: () => redisReachable(redis), trustProxy: false, mounts: [{ path: '/x', router }] });
}

describe('HTTP skeleton', () => {
  let redis: RedisClient;
  beforeAll(async () => { redis = await connectTestRedis('app-test'); });
  afterAll(async () => { await closeRedis(redis); });

  it('answers /healthz and /readyz when Redis is up', async () => {
    const app = appWith(redis);
    await request(app).get('/healthz').expect(200, { status: 'ok' });
    await request(app).get('/readyz').expect(200);
  });

  it('turns /readyz to 503 when Redis is unreachable', async () => {
    const dead = createRedis({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 200, name: 'dead' });
    try {
      const response = await request(appWith(dead)).get('/readyz');
      expect(response.status).toBe(503);
      expect(response.body.redis).toBe('unreachable');
    } finally {
      await closeRedis(dead);
    }
  });

  it('exposes request durations by route template, never by raw URL', async () => {
    const router = express.Router();
    router.get('/items/:id', (_req, res) => { res.json({ ok: true }); });
    const app = appWith(redis, router);
    await request(app).get('/x/items/12345').expect(200);
    const metrics = await request(app).get('/metrics').expect(200);
    expect(metrics.text).toContain('route="/x/items/:id"');
    expect(metrics.text).not.toContain('12345');
  });

  it('maps error codes to statuses and never leaks a stack trace', async () => {
    const router = express.Router();
    router.get('/missing', () => { throw new AppError('DELEGATE.NOT_FOUND', 'No delegate with that code.'); });
    router.get('/boom', () => { throw new Error('secret internals at /srv/app.js:12'); });
    router.post('/json', express.json({ limit: '1kb' }), (_req, res) => { res.json({ ok: true }); });
    const app = appWith(redis, router);
    await request(app).get('/x/missing').expect(404, { code: 'DELEGATE.NOT_FOUND', message: 'No delegate with that code.' });
    const boom = await request(app).get('/x/boom').expect(500);
    expect(boom.body.code).toBe('INTERNAL');
    expect(JSON.stringify(boom.body)).not.toMatch(/secret|srv|at /);
    await request(app).post('/x/json').set('content-type', 'application/json').send('{"a":').expect(400);
    const big = await request(app).post('/x/json').set('content-type', 'application/json').send(JSON.stringify({ a: 'x'.repeat(5000) }));
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('HTTP.PAYLOAD_TOO_LARGE');
  });

  it('gives every code exactly one error status, and no status to anything else', () => {
    expect(Object.keys(STATUS_BY_CODE).sort()).toEqual([...ALL_ERROR_CODES].sort());
    for (const code of ALL_ERROR_CODES) {
      expect({ code, status: statusForCode(code) }).toEqual({ code, status: expect.any(Number) });
      expect(statusForCode(code)).toBeGreaterThanOrEqual(400);
      expect(statusForCode(code)).toBeLessThan(600);
    }
    expect(statusForCode('VALIDATION.FAILED')).toBe(400);
    expect(statusForCode('AUTH.UNAUTHENTICATED')).toBe(401);
    expect(statusForCode('BROADCAST.UNAVAILABLE')).toBe(503);
  });

  it('answers a thrown AppError of every status with that status and its code', async () => {
    const byStatus = new Map<number, ErrorCode>();
    for (const code of ALL_ERROR_CODES) if (!byStatus.has(statusForCode(code))) byStatus.set(statusForCode(code), code);
    expect([...byStatus.keys()].sort()).toEqual([400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 503]);
    const router = express.Router();
    router.get('/throw/:code', (req) => { throw new AppError(req.params.code as ErrorCode, `thrown ${req.params.code}`, { at: '/srv/app.js' }); });
    router.get('/async/:code', async (req) => { await Promise.resolve(); throw new AppError(req.params.code as ErrorCode, `thrown ${req.params.code}`); });
    const app = appWith(redis, router);
    for (const [status, code] of byStatus) {
      const sync = await request(app).get(`/x/throw/${code}`);
      expect({ code, status: sync.status, body: sync.body.code }).toEqual({ code, status, body: code });
      if (status === 500) expect(sync.body).toEqual({ code, message: ERROR_CODES[code] });
      else expect(sync.body).toEqual({ code, message: `thrown ${code}`, details: { at: '/srv/app.js' } });
      const later = await request(app).get(`/x/async/${code}`);
      expect(later.status).toBe(status);
    }
  });

  it('answers a named error class with the status of its code', async () => {
    class Gone extends errorWithCode('EVENT.NOT_FOUND') {}
    const router = express.Router();
    router.get('/gone', () => { throw new Gone('No event is loaded for pack x.'); });
    await request(appWith(redis, router)).get('/x/gone').expect(404, { code: 'EVENT.NOT_FOUND', message: 'No event is loaded for pack x.' });
  });

  it('answers errors a route sends itself with the same body and the status of the code', async () => {
    const router = express.Router();
    router.post('/store', (_req, res) => { sendError(res, 'SMS.UNAVAILABLE', 'Temporarily unable to store the message; please retry.'); });
    router.post('/refuse', (_req, res) => { sendError(res, 'AUTH.FORBIDDEN'); });
    const app = appWith(redis, router);
    await request(app).post('/x/store').expect(503, { code: 'SMS.UNAVAILABLE', message: 'Temporarily unable to store the message; please retry.' });
    await request(app).post('/x/refuse').expect(403, { code: 'AUTH.FORBIDDEN', message: ERROR_CODES['AUTH.FORBIDDEN'] });
  });

  it('gives every response a request id, reusing a sane incoming one', async () => {
    const app = appWith(redis);
    const fresh = await request(app).get('/healthz');
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await request(app).get('/healthz').set('x-request-id', 'abc-123');
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await request(app).get('/healthz').set('x-request-id', 'bad id <script>');
    expect(replaced.headers['x-request-id']).not.toBe('bad id <script>');
  });
});

describe('requestIdFrom', () => {
  it('keeps a sane incoming id and replaces anything else with a fresh UUID', () => {
    expect(requestIdFrom('proxy-7f3a.01_b')).toBe('proxy-7f3a.01_b');
    for (const bad of [undefined, '', 'a b', 'x'.repeat(65), ['one', 'two'], '<script>']) expect(requestIdFrom(bad)).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });
});

describe('/readyz follows Redis', () => {
  it('turns 503 within 2 s of Redis going away and 200 again when it returns, with no restart', async () => {
    const { startPrivateRedis } = await import('../../src/infra/redis/private-redis');
    const first = await startPrivateRedis({ appendOnly: false, label: 'readyz' });
    const client = createRedis({ url: first.url, commandTimeoutMs: 300, name: 'readyz' });
    const app = appWith(client);
    let second: Awaited<ReturnType<typeof startPrivateRedis>> | undefined;
    try {
      for (let i = 0; i < 50 && (await request(app).get('/readyz')).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
      await request(app).get('/readyz').expect(200);
      await first.kill();
      const wentAway = Date.now();
      let status = 200;
      while (status !== 503 && Date.now() - wentAway < 5000) status = (await request(app).get('/readyz')).status;
      expect(status).toBe(503);
      expect(Date.now() - wentAway).toBeLessThan(2000);
      second = await startPrivateRedis({ appendOnly: false, label: 'readyz2', port: first.port });
      const back = Date.now();
      while (status !== 200 && Date.now() - back < 10000) {
        status = (await request(app).get('/readyz')).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
    } finally {
      await closeRedis(client);
      await second?.stop();
      await first.stop();
    }
  }, 30000);
});
