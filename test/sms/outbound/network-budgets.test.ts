/** Per-network send budgets inside the global rate (SMS_NETWORK_SHARES), through the real worker. */
import { networkOfNumber as networkOf } from '../../../src/kernel/network-prefix';
import { buildMessaging, eventually, FakeProvider, type TestMessaging } from './helpers';

let built: TestMessaging | undefined;
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  await built?.messaging.close();
  built = undefined;
  stop = undefined;
});

test('numbers map to their network by prefix', () => {
  expect(['+255754000001', '+255688000001', '+255714000001', '+255621000001', '+255735000001', '+255777000001', '+255663000001', '+254712000001'].map(networkOf))
    .toEqual(['vodacom', 'airtel', 'yas', 'halotel', 'ttcl', 'zantel', 'other', 'other']);
});

test('a network with a share gets at most its share per second, in calls of its own; the others only share the global rate', async () => {
  const provider = new FakeProvider();
  // 100/s overall; Vodacom 10% of it: 10 a second.
  built = buildMessaging(provider, { ratePerSecond: 100, batchSize: 100, networkShares: { vodacom: 10 } });
  stop = await built.messaging.startWorkers();
  const vodacom = Array.from({ length: 30 }, (_, n) => `+25575400${String(n).padStart(4, '0')}`);
  const airtel = Array.from({ length: 30 }, (_, n) => `+25568800${String(n).padStart(4, '0')}`);
  const started = Date.now();
  const result = await built.messaging.outbound.enqueueMany({ idempotencyKey: 'net-1', text: 'Habari', to: [...vodacom, ...airtel] });
  await eventually(async () => ((await built!.messaging.countsByGroup(result.messageId))?.sent ?? 0) === 60 ? true : undefined, 15_000, 'all sent');
  const calls = provider.calls.map((call) => ({ networks: new Set(call.sms.to.map(networkOf)), size: call.sms.to.length, at: call.at }));
  expect(calls.every((call) => call.networks.size === 1)).toBe(true);
  const vodacomCalls = calls.filter((call) => call.networks.has('vodacom'));
  expect(vodacomCalls.every((call) => call.size <= 10)).toBe(true);
  expect(vodacomCalls.reduce((sum, call) => sum + call.size, 0)).toBe(30);
  // 30 at 10 a second cannot all go in under two seconds (a lower bound: a slow machine only adds to it).
  expect(Math.max(...vodacomCalls.map((call) => call.at)) - started).toBeGreaterThanOrEqual(1900);
  expect(calls.filter((call) => call.networks.has('airtel')).reduce((sum, call) => sum + call.size, 0)).toBe(30);
});
