/**
 * Failover between SMS routes through the real pipeline: Africa's Talking (the SDK, answered by
 * nock) first, SMPP (a real SMSC on loopback) second. AT fails mid-broadcast; SMPP takes over.
 * Nothing is lost, nothing goes out twice, uncertain recipients stay with their route, and every
 * ledger entry names the route that carried it.
 */
import nock from 'nock';
import { freePort } from '../../../src/infra/redis/private-redis';
import { createAfricasTalkingProvider } from '../../../src/providers/africastalking/at-sms-provider';
import { SmppSmsProvider } from '../../../src/providers/smpp/smpp-sms-provider';
import { createRouteChain, type RouteChain } from '../../../src/sms/outbound/route-chain';
import type { LedgerEntry } from '../../../src/sms/outbound/types';
import { startSmsc, type TestSmsc } from '../../support/smpp-server';
import { buildMessaging, eventually, phones, silentLogger, type TestMessaging } from './helpers';

const AT_HOST = 'https://api.africastalking.com';

let smsc: TestSmsc | undefined;
let smpp: SmppSmsProvider | undefined;
let built: TestMessaging | undefined;
let stop: (() => Promise<void>) | undefined;

afterEach(async () => {
  await stop?.();
  await built?.messaging.close();
  await smpp?.stop();
  await smsc?.close();
  nock.abortPendingRequests();
  nock.cleanAll();
  smsc = undefined; smpp = undefined; built = undefined; stop = undefined;
});

interface AtCall { to: string[]; at: number; ok: boolean }

/** AT answers the first `okCalls` calls (201, every recipient Success), then `fail` (HTTP 503 or a timeout). */
function fakeAt(okCalls: number, fail: 'http503' | 'timeout', calls: AtCall[]): void {
  nock(AT_HOST).persist().post('/version1/messaging').delay(fail === 'timeout' ? 5_000 : 0).reply(function reply(_uri, body) {
    const to = String(new URLSearchParams(String(body)).get('to') ?? '').split(',');
    const ok = calls.length < okCalls;
    calls.push({ to, at: Date.now(), ok });
    if (ok) {
      return [201, { SMSMessageData: { Message: 'Sent', Recipients: to.map((number, n) => ({ statusCode: 101, number, status: 'Success', cost: 'TZS 22.0000', messageId: `ATXid_${calls.length}_${n}` })) } }];
    }
    return [503, 'Service Unavailable'];
  });
}

async function chainOfAtAndSmpp(atTimeoutMs = 2_000): Promise<RouteChain> {
  smsc = await startSmsc({ autoReceipt: true });
  smpp = new SmppSmsProvider({
    url: smsc.url, systemId: 'kiungo', password: 'secret12', sourceAddr: 'KIUNGO', window: 20, ratePerSecond: 5000,
    enquireLinkMs: 60_000, responseTimeoutMs: 2_000, bindWaitMs: 3_000, reconnect: { initialMs: 50, maxMs: 200 }, logger: silentLogger,
  });
  smpp.start();
  const at = createAfricasTalkingProvider({ username: 'kiungo', apiKey: 'test-key', senderId: 'KIUNGO', timeoutMs: atTimeoutMs, batchSize: 100, enqueue: true });
  return createRouteChain([{ name: 'africastalking', provider: at }, { name: 'smpp', provider: smpp }], { failures: 2, openMs: 60_000, logger: silentLogger });
}

async function allEntries(messageId: string, total: number): Promise<LedgerEntry[]> {
  return (await built?.messaging.listByGroup(messageId, { limit: total })) ?? [];
}

test('AT answers 503 mid-broadcast: SMPP takes over, 0 lost, 0 sent twice, each entry names its route, SMPP receipts deliver', async () => {
  const atCalls: AtCall[] = [];
  fakeAt(3, 'http503', atCalls);
  const chain = await chainOfAtAndSmpp();
  built = buildMessaging(chain, { batchSize: 50, ratePerSecond: 2000, retryBaseMs: 100, maxAttempts: 5 });
  smpp?.handle({ deliveryReport: (report) => built!.messaging.applyDeliveryReport(report), inbound: async () => undefined });
  stop = await built.messaging.startWorkers();
  const to = phones(1000);
  const result = await built.messaging.outbound.enqueueMany({ idempotencyKey: 'failover-503', text: 'Kikao S101 kimeanza.', to });

  const counts = await eventually(async () => {
    const c = await built!.messaging.countsByGroup(result.messageId);
    return c && c.sent + c.delivered + c.failed + c.uncertain + c.skipped === 1000 && c.queued === 0 && c.sending === 0 ? c : undefined;
  }, 20_000, 'every recipient final');
  const entries = await allEntries(result.messageId, 1000);
  const viaAt = atCalls.filter((call) => call.ok).flatMap((call) => call.to);
  const viaSmpp = smsc!.submits.map((submit) => `+${submit.destination}`);
  // 0 lost: everyone went out by exactly one route; 0 twice: no phone in both, none twice in one.
  expect(counts.failed + counts.uncertain + counts.skipped).toBe(0);
  expect(new Set([...viaAt, ...viaSmpp]).size).toBe(1000);
  expect(viaAt.length + viaSmpp.length).toBe(1000);
  expect(viaAt.length).toBe(150);
  // The ledger says which route carried each one.
  const routeOf = new Map(entries.map((entry) => [entry.phone, entry.route]));
  expect(viaAt.every((phone) => routeOf.get(phone) === 'africastalking')).toBe(true);
  expect(viaSmpp.every((phone) => routeOf.get(phone) === 'smpp')).toBe(true);
  expect(chain.states()).toEqual([{ route: 'africastalking', state: 'down' }, { route: 'smpp', state: 'up' }]);
  // SMPP receipts (DELIVRD) reach the same ledger states as AT's reports.
  await eventually(async () => ((await built!.messaging.countsByGroup(result.messageId))?.delivered ?? 0) >= viaSmpp.length, 10_000, 'SMPP receipts applied');
  const firstFailure = atCalls.find((call) => !call.ok)?.at ?? 0;
  const failoverMs = (smsc!.submits[0]?.at ?? 0) - firstFailure;
  process.stdout.write(`route failover (AT 503 -> SMPP): first SMPP submit ${failoverMs} ms after AT's first 503; AT ${viaAt.length}, SMPP ${viaSmpp.length}, lost 0, twice 0\n`);
});

test('AT becomes unreachable mid-broadcast (connection refused): SMPP takes over, 0 lost, 0 sent twice', async () => {
  const atCalls: AtCall[] = [];
  // The SDK's endpoint is module-level: after three answered calls it points at a port nothing listens on.
  const endpoints = jest.requireActual<{ SMS_URL: string }>('africastalking/lib/common');
  const live = endpoints.SMS_URL;
  const closed = `http://127.0.0.1:${await freePort()}/version1/messaging`;
  nock(AT_HOST).persist().post('/version1/messaging').reply(function reply(_uri, body) {
    const to = String(new URLSearchParams(String(body)).get('to') ?? '').split(',');
    atCalls.push({ to, at: Date.now(), ok: true });
    if (atCalls.length === 3) endpoints.SMS_URL = closed;
    return [201, { SMSMessageData: { Message: 'Sent', Recipients: to.map((number, n) => ({ statusCode: 101, number, status: 'Success', cost: 'TZS 22.0000', messageId: `ATXid_${atCalls.length}_${n}` })) } }];
  });
  try {
    const chain = await chainOfAtAndSmpp();
    built = buildMessaging(chain, { batchSize: 50, ratePerSecond: 2000, retryBaseMs: 100, maxAttempts: 5 });
    stop = await built.messaging.startWorkers();
    const result = await built.messaging.outbound.enqueueMany({ idempotencyKey: 'failover-refused', text: 'Kikao S102 kimeanza.', to: phones(500, 716000000) });
    const counts = await eventually(async () => {
      const c = await built!.messaging.countsByGroup(result.messageId);
      return c && c.queued === 0 && c.sending === 0 ? c : undefined;
    }, 20_000, 'every recipient final');
    const viaAt = atCalls.flatMap((call) => call.to);
    const viaSmpp = smsc!.submits.map((submit) => `+${submit.destination}`);
    expect(counts.failed + counts.uncertain + counts.skipped).toBe(0);
    expect(viaAt.length).toBeGreaterThanOrEqual(150); // a call already on its way when the endpoint moved still lands
    expect(viaAt.length + viaSmpp.length).toBe(500);
    expect(new Set([...viaAt, ...viaSmpp]).size).toBe(500);
    expect(chain.states()[0]).toEqual({ route: 'africastalking', state: 'down' });
  } finally {
    endpoints.SMS_URL = live;
  }
});

test('AT times out: those recipients end uncertain with route africastalking and SMPP never sends them; later sends go by SMPP', async () => {
  const atCalls: AtCall[] = [];
  fakeAt(0, 'timeout', atCalls);
  const chain = await chainOfAtAndSmpp(300);
  built = buildMessaging(chain, { batchSize: 10, ratePerSecond: 2000, retryBaseMs: 100, maxAttempts: 3 });
  stop = await built.messaging.startWorkers();
  const to = phones(60, 713000000);
  const result = await built.messaging.outbound.enqueueMany({ idempotencyKey: 'failover-timeout', text: 'Habari', to });
  const counts = await eventually(async () => {
    const c = await built!.messaging.countsByGroup(result.messageId);
    return c && c.queued === 0 && c.sending === 0 ? c : undefined;
  }, 20_000, 'every recipient final');
  const entries = await allEntries(result.messageId, 60);
  const uncertain = entries.filter((entry) => entry.state === 'uncertain');
  const viaSmpp = new Set(smsc!.submits.map((submit) => `+${submit.destination}`));
  expect(uncertain.length).toBeGreaterThanOrEqual(20); // two timed-out calls of 10 open the breaker
  expect(uncertain.every((entry) => entry.route === 'africastalking' && !viaSmpp.has(entry.phone))).toBe(true);
  expect(counts.sent + counts.delivered).toBe(60 - uncertain.length);
  expect(viaSmpp.size).toBe(60 - uncertain.length);
});
