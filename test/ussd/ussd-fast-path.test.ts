/**
 * The node:http fast path answers exactly like the express route: same screens for the same
 * hops, the same refusals and bilingual ENDs for bad bodies, and the same key check; its reader of
 * plain bodies reads them as the form reader does.
 */
import fc from 'fast-check';
import request from 'supertest';
import { readPlainForm } from '../../src/http/webhooks/ussd-fast-path';
import { readAtForm } from '../../src/http/webhooks/at-form-parser';
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

describe('the plain-body reader', () => {
  const piece = fc.constantFrom('?', 'sessionId', 'text', '=', '&', '+', '%2A', '%2a', '%23', '%2B', '%25', '%7E', '%7F', '%80', '%C3%A9', '%E2%82%AC', '%', '%2', '%G1', '%%', '1', '*', 'Asha', ' ', 'é', '😀', '__proto__', 'a=b=c', '&&');
  const bodies = fc.oneof(
    fc.array(piece, { maxLength: 30 }).map((parts) => parts.join('')),
    fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
    fc.array(fc.constantFrom('a=1', 'b=2', 'a=3'), { maxLength: 60 }).map((parts) => parts.join('&')),
  );
  test('reads any body it takes exactly as the form reader does', () => {
    fc.assert(fc.property(bodies, (body) => {
      const plain = readPlainForm(body);
      if (plain !== undefined) expect(plain).toEqual(readAtForm(body));
    }), { numRuns: 5000 });
  });
  test('takes what AT sends', () => {
    const body = 'sessionId=ATUid_1&serviceCode=%2A384%2A2015%23&phoneNumber=%2B255754000001&networkCode=63902&text=1%2AAsha+Juma%2ATANESCO';
    expect(readPlainForm(body)).toEqual({ sessionId: 'ATUid_1', serviceCode: '*384*2015#', phoneNumber: '+255754000001', networkCode: '63902', text: '1*Asha Juma*TANESCO' });
    expect(readPlainForm(body)).toEqual(readAtForm(body));
    expect(readPlainForm('text=Caf%C3%A9')).toBeUndefined();
    expect(readPlainForm(Array.from({ length: 51 }, (_, i) => `f${i}=1`).join('&'))).toBeNull();
  });
});
