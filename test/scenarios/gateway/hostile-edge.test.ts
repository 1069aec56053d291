/**
 * The edge of a production gateway against hostile callers: wrong webhook keys are throttled per
 * address (a right key always passes), a repeated key never matches on the fast path or the
 * express routes, both read the same bodies the same way, the DLR and opt-out callbacks answer 200
 * to bodies they cannot read (and count them), the admin API answers 4xx to unreadable bodies and
 * odd phone parameters, and the webhook key does not open the simulator inbox.
 */
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { SYSTEM_SCREENS } from '../../../src/ussd/system-messages';
import { WEBHOOK_KEY_FAILURES } from '../../../src/http/webhooks/key-failures.redis';
import { dlrBody, smsBody, ussdBody } from '../../support/at-bodies';
import { startGatewayStack, type GatewayStack } from '../../support/gateway-stack';

const KEY = 'hostile-edge-key-7c41a9e2d05b';
const ADMIN = 'hostile-edge-admin-token-88f1d3';
const USSD = '/webhooks/africastalking/ussd';
const hop = (sessionId: string) => ussdBody({ sessionId, phoneNumber: '+255716000041', text: '' });

describe('hostile callers at a production edge', () => {
  let stack: GatewayStack;
  beforeAll(async () => {
    stack = await startGatewayStack({ env: { NODE_ENV: 'production', WEBHOOK_KEY: KEY, ALLOW_OUTBOX_IN_PRODUCTION: 'true', ADMIN_TOKENS: `admin:${ADMIN}`, REDIS_POLICY_CHECK: 'off' }, workers: false });
  });
  afterAll(async () => { await stack.close(); });

  it('throttles wrong webhook keys per address and still lets the right key through', async () => {
    const listener = stack.gateway.listener;
    const statuses: number[] = [];
    for (let i = 0; i < WEBHOOK_KEY_FAILURES + 2; i += 1) {
      const path = i % 2 === 0 ? `${USSD}?key=guess-${i}` : `/webhooks/africastalking/sms?key=guess-${i}`;
      statuses.push((await request(listener).post(path).type('form').send(i % 2 === 0 ? hop(`w${i}`) : smsBody({ from: '+255716000041', text: 'MSAADA', id: `w${i}` }))).status);
    }
    expect(statuses.slice(0, WEBHOOK_KEY_FAILURES)).toEqual(Array(WEBHOOK_KEY_FAILURES).fill(403));
    expect(statuses.slice(WEBHOOK_KEY_FAILURES)).toEqual([429, 429]);
    const throttled = await request(listener).post(`${USSD}?key=nope`).type('form').send(hop('w-last'));
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    const right = await request(listener).post(`${USSD}?key=${KEY}`).type('form').send(hop('right'));
    expect([right.status, right.text.startsWith('CON')]).toEqual([200, true]);
  });

  it('never matches a repeated key, on the fast path and the express route alike', async () => {
    for (const target of [stack.gateway.listener, stack.gateway.app]) {
      const twice = await request(target).post(`${USSD}?key=${KEY}&key=${KEY}`).type('form').send(hop('twice'));
      expect(twice.status).not.toBe(200);
      expect(twice.text).toBe('END Access denied.');
    }
  });

  it('reads bodies the same way on the fast path and the express route', async () => {
    const cases: Array<[string, string, Record<string, string>]> = [
      ['text/plain', hop('ct-1'), {}],
      ['application/json', JSON.stringify({ sessionId: 'ct-2', phoneNumber: '+255716000041', text: '' }), {}],
      ['application/x-www-form-urlencoded', `${hop('ct-3')}${'&x=1'.repeat(60)}`, {}],
      ['application/x-www-form-urlencoded; charset=utf-16', hop('ct-4'), {}],
      ['application/x-www-form-urlencoded', 'not gzip', { 'Content-Encoding': 'gzip' }],
    ];
    for (const [type, body, headers] of cases) {
      const fast = await request(stack.gateway.listener).post(`${USSD}?key=${KEY}`).set({ 'Content-Type': type, ...headers }).send(body);
      const slow = await request(stack.gateway.app).post(`${USSD}?key=${KEY}`).set({ 'Content-Type': type, ...headers }).send(body);
      expect([type, fast.status, fast.text]).toEqual([type, 200, SYSTEM_SCREENS.badRequest]);
      expect([type, slow.status, slow.text]).toEqual([type, 200, SYSTEM_SCREENS.badRequest]);
      expect(fast.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('answers 200 to delivery reports and opt-outs it cannot read, and counts them', async () => {
    const app = stack.gateway.app;
    for (const route of ['delivery-reports', 'opt-outs']) {
      const path = `/webhooks/africastalking/${route}?key=${KEY}`;
      const odd = [
        request(app).post(path).type('form').send(`${dlrBody({ id: 'ATXid_1', status: 'Success' })}&pad=${'x'.repeat(40_000)}`),
        request(app).post(path).set('Content-Type', 'application/x-www-form-urlencoded; charset=utf-16').send('id=1'),
        request(app).post(path).set({ 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Encoding': 'gzip' }).send('garbage'),
        request(app).post(path).type('form').send(Array.from({ length: 80 }, (_, i) => `f${i}=1`).join('&')),
        request(app).post(path).set('Content-Type', 'application/json').send('{"id":"1"}'),
      ];
      for (const answer of await Promise.all(odd)) expect([route, answer.status]).toEqual([route, 200]);
    }
    const text = (await request(app).get('/metrics')).text;
    for (const problem of ['too_large', 'charset', 'unreadable', 'too_many_fields', 'not_a_form'])
      expect(text).toMatch(new RegExp(`kiungo_webhook_odd_bodies_total\\{route="delivery-reports",problem="${problem}"\\} 1`));
  });

  it('answers 4xx, never 500, to unreadable admin bodies and a doubly encoded phone', async () => {
    const auth = { Authorization: `Bearer ${ADMIN}` };
    const app = stack.gateway.app;
    const broken = await request(app).put('/api/v1/agenda').set({ ...auth, 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }).send('not gzip at all');
    expect([broken.status, broken.body.code]).toEqual([400, 'HTTP.BAD_REQUEST']);
    const truncated = gzipSync(Buffer.from('{"a":1}')).subarray(0, 12);
    expect((await request(app).put('/api/v1/agenda').set({ ...auth, 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }).send(truncated)).status).toBe(400);
    for (const phone of ['%25E0%25A4%25A', '%25', '%25ZZ'])
      expect([phone, (await request(app).get(`/api/v1/delegates/${phone}`).set(auth)).status]).toEqual([phone, 400]);
    expect(broken.headers['x-content-type-options']).toBe('nosniff');
  });

  it('does not open the simulator inbox with the webhook key in production', async () => {
    const inbox = await request(stack.gateway.app).get(`/simulator/api/inbox?key=${KEY}&phone=%2B255716000041`);
    expect(inbox.status).toBe(404);
    expect(inbox.body.code).toBe('INBOX.NOT_FOUND');
    expect((await request(stack.gateway.app).get('/simulator/config.json')).body.outbox).toBe(false);
  });
});
