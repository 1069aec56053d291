/**
 * The node:http fast path answers exactly like the express route: same screens for the same
 * hops, the same refusals and bilingual ENDs for bad bodies, and the same key check.
 */
import request from 'supertest';
import { SYSTEM_SCREENS } from '../../src/ussd/system-messages';
import { form, ussdBody } from '../support/at-bodies';
import { startGatewayStack, type GatewayStack } from '../support/gateway-stack';

const PATH = '/webhooks/africastalking/ussd';
const KEY = 'fast-path-key-0123456789';

describe('USSD fast path', () => {
  let stack: GatewayStack;
  beforeAll(async () => { stack = await startGatewayStack({ env: { WEBHOOK_KEY: KEY }, workers: false }); });
  afterAll(async () => { await stack.close(); });

  it('gives the same screens as the express route for a whole session', async () => {
    const hops = ['', '1', '1*Asha Juma', '1*Asha Juma*eGA'];
    for (const [i, text] of hops.entries()) {
      const body = (id: string) => ussdBody({ sessionId: id, phoneNumber: '+255716000001', text });
      const fast = await request(stack.gateway.listener).post(`${PATH}?key=${KEY}`).type('form').send(body('ATUid_fast'));
      const slow = await request(stack.gateway.app).post(`${PATH}?key=${KEY}`).type('form').send(body(`ATUid_slow`));
      expect([i, fast.status, fast.headers['content-type']]).toEqual([i, 200, 'text/plain; charset=utf-8']);
      expect(fast.text).toBe(slow.text);
    }
  });

  it('refuses a wrong key and answers END to bodies it cannot use', async () => {
    const listener = stack.gateway.listener;
    expect((await request(listener).post(PATH).type('form').send(ussdBody({ sessionId: 'x', phoneNumber: '+255716000002', text: '' }))).status).toBe(403);
    // Wrong keys of the right length, one unit off, or the key with more after it.
    for (const wrong of [KEY.replace(/9$/, '8'), `${KEY}0`, KEY.slice(0, -1), `${KEY}%00`, 'x'.repeat(KEY.length)]) {
      const refused = await request(listener).post(`${PATH}?key=${wrong}`).type('form').send(ussdBody({ sessionId: 'x', phoneNumber: '+255716000002', text: '' }));
      expect([refused.status, refused.text]).toEqual([403, 'END Access denied.']);
    }
    for (const body of [form({ phoneNumber: '+255716000002', text: '' }), 'sessionId=a&sessionId=b&phoneNumber=%2B255716000002&text=', `sessionId=big&phoneNumber=%2B255716000002&text=${'9'.repeat(20000)}`]) {
      const response = await request(listener).post(`${PATH}?key=${KEY}`).type('form').send(body);
      expect(response.status).toBe(200);
      expect(response.text).toBe(SYSTEM_SCREENS.badRequest);
    }
  });

  it('hands every other route to express', async () => {
    expect((await request(stack.gateway.listener).get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await request(stack.gateway.listener).get(PATH)).status).toBe(404);
  });
});
