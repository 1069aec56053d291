/**
 * TRUST_PROXY decides which X-Forwarded-For entries count: the webhook allow-list and the sign-in
 * limit read `req.ip` as express computes it, so a client cannot name its own address.
 */
import express from 'express';
import request from 'supertest';
import { createApp, type AppDeps } from '../../src/http/app';
import { createAuthenticator } from '../../src/http/admin/auth';
import { refuseJson, webhookAuth } from '../../src/http/webhooks/webhook-auth';
import { createMetrics } from '../../src/kernel/metrics';
import { createLogger } from '../../src/kernel/logger';

const ADMIN = 'admin-token-0123456789abcdef';

/** An app whose webhook only 41.0.0.0/8 may call, echoing the address it saw. */
function appTrusting(trustProxy: AppDeps['trustProxy']) {
  const hooks = express.Router();
  hooks.use(webhookAuth({ key: undefined, ipAllowList: ['41.0.0.0/8'], onRefused: refuseJson }));
  hooks.get('/', (req, res) => { res.json({ ip: req.ip }); });
  const auth = createAuthenticator([{ role: 'admin', token: ADMIN }], { maxFailures: 3, failureWindowS: 60 });
  const admin = express.Router();
  admin.get('/', async (req, res) => { res.json({ role: (await auth.authorise(req, 'read'))?.role }); });
  return createApp({ logger: createLogger('silent'), metrics: createMetrics({ defaultMetrics: false }), ready: () => Promise.resolve(true), trustProxy, mounts: [{ path: '/hook', router: hooks }, { path: '/admin', router: admin }] });
}

describe('TRUST_PROXY and the client address', () => {
  it('with one trusted hop, a forged extra X-Forwarded-For entry cannot pass the allow-list', async () => {
    const app = appTrusting(1);
    // The client wrote 41.1.2.3; the proxy appended the address it really came from.
    await request(app).get('/hook').set('X-Forwarded-For', '41.1.2.3, 203.0.113.9').expect(403);
    const allowed = await request(app).get('/hook').set('X-Forwarded-For', '41.1.2.3').expect(200);
    expect(allowed.body.ip).toBe('41.1.2.3');
  });

  it('with loopback trusted, a request from 127.0.0.1 is read as its forwarded address', async () => {
    const app = appTrusting(['loopback']);
    const response = await request(app).get('/hook').set('X-Forwarded-For', '41.1.2.3').expect(200);
    expect(response.body.ip).toBe('41.1.2.3');
    await request(app).get('/hook').set('X-Forwarded-For', '41.1.2.3, 203.0.113.9').expect(403);
  });

  it('ignores X-Forwarded-For from an address that is not a named proxy, and by default', async () => {
    await request(appTrusting(['10.0.0.1'])).get('/hook').set('X-Forwarded-For', '41.1.2.3').expect(403);
    await request(appTrusting(false)).get('/hook').set('X-Forwarded-For', '41.1.2.3').expect(403);
  });

  it('counts failed sign-ins against the address the proxy saw, not the one a client forges', async () => {
    const app = appTrusting(1);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await request(app).get('/admin').set('X-Forwarded-For', `198.51.100.${i}, 203.0.113.9`).set('Authorization', `Bearer ${i}${i}${i}-wrong-token-0123456789`);
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    await request(app).get('/admin').set('X-Forwarded-For', '203.0.113.50').set('Authorization', 'Bearer zzz-wrong-token-0123456789').expect(401);
    await request(app).get('/admin').set('X-Forwarded-For', '203.0.113.9').set('Authorization', `Bearer ${ADMIN}`).expect(200, { role: 'admin' });
  });
});
