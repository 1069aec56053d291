/**
 * The gateway with SMS_ROUTES=smpp against a real SMSC on loopback: a phone's message arriving by
 * deliver_sm runs through the same inbound pipeline as AT's SMS webhook and its reply goes out by
 * submit_sm; the SMSC's receipt moves the reply's ledger entry to delivered.
 */
import { startSmsc, type TestSmsc } from '../../support/smpp-server';
import { eventually, startGatewayStack, type GatewayStack } from '../../support/gateway-stack';

let smsc: TestSmsc;
let stack: GatewayStack;

beforeAll(async () => {
  smsc = await startSmsc({ autoReceipt: true });
  stack = await startGatewayStack({
    env: { SMS_ROUTES: 'smpp', SMPP_URL: smsc.url, SMPP_SYSTEM_ID: 'kiungo', SMPP_PASSWORD: 'secret12', SMPP_SOURCE_ADDR: '15001', SMPP_WINDOW: '5' },
  });
});
afterAll(async () => {
  await stack.close();
  await smsc.close();
});

test('an MO by deliver_sm is answered by submit_sm, and the receipt marks the reply delivered', async () => {
  await eventually(async () => (smsc.sessions().length > 0 ? true : undefined), 5000, 'the gateway to bind');
  expect(smsc.binds.at(-1)).toMatchObject({ systemId: 'kiungo' });
  expect(await smsc.deliver({ source_addr: '255712345601', source_addr_ton: 1, destination_addr: '15001', short_message: 'MSAADA' })).toBe(0);
  const reply = await eventually(async () => smsc.submits.find((submit) => submit.destination === '255712345601'), 10_000, 'the reply by submit_sm');
  expect(reply).toMatchObject({ source: '15001', dataCoding: 0, registeredDelivery: 1 });
  expect(reply.text).toMatch(/RATIBA/);
  const messaging = stack.gateway.services.messaging;
  const entry = await eventually(async () => {
    for (const id of await messaging.listMessages({ limit: 20 })) {
      const [first] = await messaging.listByGroup(id, { limit: 1 });
      if (first?.phone === '+255712345601' && first.state === 'delivered') return first;
    }
    return undefined;
  }, 10_000, 'the reply delivered by receipt');
  expect(entry).toMatchObject({ route: 'smpp', providerMessageId: `smpp:${reply.messageId}`, lastReport: 'Success' });
  expect(await stack.gateway.metrics.registry.metrics()).toMatch(/^kiungo_sms_route_up\{route="smpp"\} 1$/m);
});
