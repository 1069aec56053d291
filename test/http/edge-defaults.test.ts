/**
 * What every answer of the edge carries and who may read /metrics: nosniff on every answer, the
 * metrics token when one is set, and metric labels that callers cannot grow without bound.
 */
import request from 'supertest';
import express from 'express';
import { createApp } from '../../src/http/app';
import { createMetrics } from '../../src/kernel/metrics';
import { createLogger } from '../../src/kernel/logger';
import { endStatusLabel } from '../../src/ussd/ussd-stats.redis';

const logger = createLogger('silent');
const TOKEN = '9c2e71b4a0d85f36e1c4b7a2';

function appWith(metricsToken?: string) {
  const router = express.Router();
  router.get('/json', (_req, res) => { res.json({ ok: true }); });
  return createApp({ logger, metrics: createMetrics({ defaultMetrics: false }), ready: () => Promise.resolve(true), trustProxy: false, mounts: [{ path: '/x', router }], ...(metricsToken ? { metricsToken } : {}) });
}

describe('edge defaults', () => {
  it('sends X-Content-Type-Options: nosniff on answers, errors and metrics', async () => {
    const app = appWith();
    for (const path of ['/x/json', '/healthz', '/metrics', '/nowhere']) {
      const answer = await request(app).get(path);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('keeps /metrics open without METRICS_TOKEN and behind it when set', async () => {
    await request(appWith()).get('/metrics').expect(200);
    const app = appWith(TOKEN);
    expect((await request(app).get('/metrics').expect(401)).body.code).toBe('AUTH.UNAUTHENTICATED');
    await request(app).get('/metrics').set('Authorization', 'Bearer wrong-token-value-000000').expect(401);
    const open = await request(app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(open.text).toContain('kiungo_http_request_duration_seconds');
  });

  it('reads AT end statuses as a closed set: anything else is "other"', () => {
    expect(['Success', 'INCOMPLETE', 'failed', '', 'x'.repeat(500), 'Success2'].map(endStatusLabel)).toEqual(['Success', 'Incomplete', 'Failed', 'unknown', 'other', 'other']);
  });
});
