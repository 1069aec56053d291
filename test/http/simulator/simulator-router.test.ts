import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../../src/http/app';
import { createMetrics } from '../../../src/kernel/metrics';
import { createLogger } from '../../../src/kernel/logger';
import { createSimulatorRouter, simulatorPublicDir, type InboxReader, type SimulatorDeps } from '../../../src/http/simulator/simulator-router';

// The app only probes Redis on /readyz, which these tests never call.

function appWith(overrides: Partial<SimulatorDeps> = {}) {
  const deps: SimulatorDeps = { serviceCodes: ['*384*2015#', '*384*99#'], shortCode: '15001', maxScreenChars: 160, webhookKeyRequired: false, ...overrides };
  const router = createSimulatorRouter(deps);
  return createApp({ logger: createLogger('silent'), metrics: createMetrics({ defaultMetrics: false }), ready: () => Promise.resolve(true), trustProxy: false, mounts: [{ path: '/simulator', router }] });
}

describe('simulator router', () => {
  it('serves the page under a trailing slash with a strict CSP and no inline script', async () => {
    const app = appWith();
    await request(app).get('/simulator?x=1').expect(301).expect('location', '/simulator/?x=1');
    const page = await request(app).get('/simulator/').expect(200).expect('content-type', /text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.text).toContain('<script type="module" src="app.js"></script>');
    expect(page.text).not.toMatch(/<script>|<script type="module">|\son\w+=/);
    await request(app).get('/simulator/app.js').expect(200).expect('content-type', /javascript/);
    // The shared modules the page imports are served beside it, under the same headers.
    const shared = await request(app).get('/assets/at-protocol.js').expect(200).expect('content-type', /javascript/);
    expect(shared.headers['x-content-type-options']).toBe('nosniff');
    await request(app).get('/simulator/../package.json').expect(404);
    await request(app).get('/simulator/%2e%2e/package.json').expect(404);
  });

  it('describes the gateway in config.json', async () => {
    const withInbox = appWith({ webhookKeyRequired: true, inbox: async () => [] });
    await request(withInbox).get('/simulator/config.json').expect(200, {
      webhookKeyRequired: true, serviceCodes: ['*384*2015#', '*384*99#'], shortCode: '15001', maxScreenChars: 160, outbox: true,
      // Without named services, one nameless service holds every code.
      services: [{ serviceCodes: ['*384*2015#', '*384*99#'], shortCodes: ['15001'] }],
    });
    const body = (await request(appWith()).get('/simulator/config.json').expect(200)).body as { outbox: boolean };
    expect(body.outbox).toBe(false);
  });

  it('lists named services with their own codes when it is given them', async () => {
    const services = [
      { id: 'egov2015', name: { sw: 'Mkutano 2015', en: 'Conference 2015' }, serviceCodes: ['*384*2015#'], shortCodes: ['15001'], keyword: 'EGOV2015' },
      { id: 'egov2016', name: { sw: 'Mkutano 2016', en: 'Conference 2016' }, serviceCodes: ['*384*2016#'], shortCodes: ['15001'], keyword: 'EGOV2016' },
    ];
    const body = (await request(appWith({ serviceCodes: ['*384*2015#', '*384*2016#'], services })).get('/simulator/config.json').expect(200)).body as { services: unknown };
    expect(body.services).toEqual(services);
  });

  it('reads a phone inbox after a given message, and answers 404 without an outbox', async () => {
    const calls: Array<[string, string | undefined, number | undefined]> = [];
    const inbox: InboxReader = async (phone, since, limit) => {
      calls.push([phone, since, limit]);
      return [{ id: 'm2', to: phone, text: 'Karibu', at: '2015-08-17T05:00:00.000Z', state: 'sent', extra: 'hidden' } as never];
    };
    const app = appWith({ inbox });
    const answer = await request(app).get('/simulator/api/inbox').query({ phone: '+255712345678', since: 'm1' }).expect(200);
    expect(answer.body).toEqual({ items: [{ id: 'm2', to: '+255712345678', text: 'Karibu', at: '2015-08-17T05:00:00.000Z', state: 'sent' }] });
    expect(calls).toEqual([['+255712345678', 'm1', 50]]);
    // The number as typed on the page, in local form, reads the same inbox as its E.164 form.
    for (const typed of ['0712345678', '712345678', '+255 712 345 678']) await request(app).get('/simulator/api/inbox').query({ phone: typed }).expect(200);
    expect(calls.slice(1).map(([phone]) => phone)).toEqual(['+255712345678', '+255712345678', '+255712345678']);
    await request(app).get('/simulator/api/inbox').query({ phone: '0712' }).expect(400).expect((res) => expect(res.body.code).toBe('VALIDATION.PHONE'));
    await request(app).get('/simulator/api/inbox?phone=%2B255712345678&since=a&since=b').expect(400);
    const off = await request(appWith()).get('/simulator/api/inbox').query({ phone: '+255712345678' }).expect(404);
    expect(off.body).toEqual({ code: 'INBOX.NOT_FOUND', message: expect.stringContaining('SMS_PROVIDER=outbox') });
  });

  it('demands the webhook key on the inbox when one is given', async () => {
    const app = appWith({ inbox: async () => [], webhookKeyRequired: true, webhookKey: 'k'.repeat(20) });
    await request(app).get('/simulator/api/inbox').query({ phone: '+255712345678' }).expect(401);
    await request(app).get('/simulator/api/inbox').query({ phone: '+255712345678', key: 'nope' }).expect(401);
    await request(app).get('/simulator/api/inbox').query({ phone: '+255712345678', key: 'k'.repeat(20) }).expect(200, { items: [] });
  });

  it('finds public/simulator from both the source and the compiled layout', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kiungo-sim-'));
    writeFileSync(path.join(root, 'package.json'), '{}');
    const compiled = path.join(root, 'dist', 'src', 'http', 'simulator');
    const source = path.join(root, 'src', 'http', 'simulator');
    mkdirSync(compiled, { recursive: true });
    mkdirSync(source, { recursive: true });
    expect(simulatorPublicDir(compiled)).toBe(path.join(root, 'public', 'simulator'));
    expect(simulatorPublicDir(source)).toBe(path.join(root, 'public', 'simulator'));
    expect(simulatorPublicDir()).toBe(path.resolve(__dirname, '../../../public/simulator'));
  });
});
