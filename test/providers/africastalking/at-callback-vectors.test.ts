/**
 * Every Africa's Talking callback vector in the fixture, posted to the whole gateway's webhooks
 * (what the HTTP server runs, fast path included): never a 5xx, since AT retries those, and a 2xx
 * wherever the vector says the body must be acknowledged. Subscription notifications have no
 * route in the gateway (it sells no premium products), so they are not posted.
 */
import request from 'supertest';
import { form, ussdBody } from '../../support/at-bodies';
import { atVectors, type AtVector, type VectorKind } from '../../support/at-vectors';
import { startGatewayStack, type GatewayStack } from '../../support/gateway-stack';

const ROUTES: Partial<Record<VectorKind, string>> = {
  'incoming-sms': '/webhooks/africastalking/sms',
  'ussd-end-of-session': '/webhooks/africastalking/ussd-events',
  'delivery-report': '/webhooks/africastalking/delivery-reports',
  'bulk-sms-opt-out': '/webhooks/africastalking/opt-outs',
};

function expectAnswered(vector: AtVector, status: number): void {
  expect(status).toBeGreaterThanOrEqual(200);
  expect(status).toBeLessThan(vector.http === '2xx' ? 300 : 500);
}

describe("Africa's Talking callback vectors through the gateway's webhooks", () => {
  let stack: GatewayStack;
  beforeAll(async () => { stack = await startGatewayStack({ workers: false }); });
  afterAll(async () => { await stack.close(); });

  const cases = (Object.keys(ROUTES) as VectorKind[]).flatMap((kind) => atVectors(kind).map((vector) => [kind, vector.id, vector] as const));

  test.each(cases)('%s %s is answered, never with a 5xx', async (kind, _id, vector) => {
    const path = ROUTES[kind] ?? '';
    const body = form(vector.form);
    const first = await request(stack.gateway.listener).post(path).type('form').send(body);
    expectAnswered(vector, first.status);
    // AT retries what it thinks was lost: the same body again must be answered the same way.
    const again = await request(stack.gateway.listener).post(path).type('form').send(body);
    expect(again.status).toBe(first.status);
  });

  // The end-of-session vectors name real sessions: their fields as a USSD hop must get a screen.
  test.each(atVectors('ussd-end-of-session').map((vector) => [vector.id, vector] as const))('%s as a USSD hop answers CON or END', async (_id, vector) => {
    const { sessionId = '', phoneNumber = '', serviceCode, networkCode, input = '' } = vector.form;
    const response = await request(stack.gateway.listener).post('/webhooks/africastalking/ussd').type('form')
      .send(ussdBody({ sessionId, phoneNumber, text: input, ...(serviceCode ? { serviceCode } : {}), ...(networkCode ? { networkCode } : {}) }));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toMatch(/^(CON|END) \S/);
  });
});
