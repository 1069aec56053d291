/**
 * Pacing at the provider: several workers (three modules on one Redis, two bulk workers each) and
 * a fake provider stamping every call. Whatever happens between a worker taking its slots and its
 * call (here: an opt-out look-up that sometimes stalls), no sliding second at the provider carries
 * more than the rate, the bulk lane stays within its share while replies ask, and a network with a
 * share stays within it. Counts in sliding windows only: nothing here depends on how fast the machine is.
 */
import { networkOfNumber as networkOf } from '../../../src/kernel/network-prefix';
import { bulkShare } from '../../../src/sms/outbound/rate-limiter.redis';
import type { MessagingConfig } from '../../../src/config/load';
import { busiestWindow, eventually, FakeProvider, ModulePool, phones, type ProviderCall, type TestMessaging } from './helpers';

/** A seeded stall of 0-400 ms on every third opt-out look-up: the gap a loaded Redis or event loop puts between a slot and its call. */
function stallOptOutLookups(built: TestMessaging, seed: number): void {
  const suppression = built.messaging.suppression;
  const original = suppression.suppressedAmong.bind(suppression);
  let state = seed;
  let call = 0;
  suppression.suppressedAmong = async (list, sender) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    call += 1;
    if (call % 3 === 0) await new Promise((resolve) => setTimeout(resolve, state % 400));
    return original(list, sender);
  };
}

const pool = new ModulePool();
afterEach(() => pool.stop());

/** Three modules (three processes' worth) on one Redis, each with two bulk workers. */
async function startWorkers(provider: FakeProvider, config: Partial<MessagingConfig>): Promise<TestMessaging> {
  const modules = pool.build(3, 'pace', provider, config);
  modules.forEach((built, n) => stallOptOutLookups(built, n + 1));
  await pool.start(modules);
  return modules[0]!;
}

test('no sliding second at the provider carries more than the rate, across six workers and both lanes', async () => {
  const rate = 20;
  const provider = new FakeProvider();
  const first = await startWorkers(provider, { ratePerSecond: rate, batchSize: 10 });
  const broadcast = await first.messaging.outbound.enqueueMany({ idempotencyKey: 'pace-1', text: 'Tangazo', to: phones(120) });
  await eventually(() => provider.recipients.length >= 30, 15_000, 'the broadcast under way');
  for (const [n, to] of phones(10, 719000000).entries()) await first.messaging.outbound.enqueue({ to, text: 'Jibu', purpose: 'reply', idempotencyKey: `pace-reply-${n}` });
  await eventually(async () => ((await first.messaging.countsByGroup(broadcast.messageId))?.sent ?? 0) === 120 && provider.recipients.length === 130 ? true : undefined, 40_000, 'all sent');

  expect(new Set(provider.recipients).size).toBe(130);
  const bulk = provider.calls.filter((call) => call.sms.bulk);
  const firstReply = provider.calls.find((call) => !call.sms.bulk)!;
  const lastReply = [...provider.calls].reverse().find((call) => !call.sms.bulk)!;
  expect(busiestWindow(provider.calls)).toBeLessThanOrEqual(rate);
  // Once replies ask, the broadcast keeps to its share while they go out.
  expect(busiestWindow(bulk.filter((call) => call.at > firstReply.at + 50 && call.at <= lastReply.at))).toBeLessThanOrEqual(bulkShare(rate));
  expect(Math.max(...bulk.map((call) => call.sms.to.length))).toBeLessThanOrEqual(bulkShare(rate));
}, 60_000);

test('a network with a share stays within it in every sliding second, and the broadcast within the rate', async () => {
  const rate = 20;
  const provider = new FakeProvider();
  // Vodacom 25% of 20/s: 5 a second; Airtel only the global rate.
  const first = await startWorkers(provider, { ratePerSecond: rate, batchSize: 10, networkShares: { vodacom: 25 } });
  const vodacom = Array.from({ length: 30 }, (_, n) => `+25575400${String(n).padStart(4, '0')}`);
  const airtel = Array.from({ length: 60 }, (_, n) => `+25568800${String(n).padStart(4, '0')}`);
  const mixed = vodacom.flatMap((phone, n) => [phone, airtel[2 * n]!, airtel[2 * n + 1]!]);
  const result = await first.messaging.outbound.enqueueMany({ idempotencyKey: 'pace-net', text: 'Habari', to: mixed });
  await eventually(async () => ((await first.messaging.countsByGroup(result.messageId))?.sent ?? 0) === 90 ? true : undefined, 40_000, 'all sent');

  const onVodacom = (call: ProviderCall): number => call.sms.to.filter((phone) => networkOf(phone) === 'vodacom').length;
  expect(provider.calls.every((call) => new Set(call.sms.to.map(networkOf)).size === 1)).toBe(true);
  expect(busiestWindow(provider.calls, 1000, onVodacom)).toBeLessThanOrEqual(5);
  // All of it is a broadcast, with no reply asking: it may use the whole rate, never more.
  expect(busiestWindow(provider.calls)).toBeLessThanOrEqual(rate);
  expect(provider.recipients.length).toBe(90);
}, 60_000);

test('personalised sends (one call per recipient) with many calls in flight use more than the bulk share and stay within the rate, each recipient called once', async () => {
  const rate = 100;
  let inFlight = 0;
  let maxInFlight = 0;
  // A provider that answers after 200 ms: speed then comes only from calls in flight.
  const provider = new FakeProvider(async (sms, call) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 200));
    inFlight -= 1;
    return { kind: 'per_recipient', recipients: sms.to.map((number) => ({ number, result: 'accepted', providerMessageId: `ATXid_${call}`, statusCode: 101 })) };
  });
  // Two processes' worth, each with SMS_WORKER_CONCURRENCY 2 and SMS_MAX_IN_FLIGHT 24.
  const modules = pool.build(2, 'pace-personal', provider, { ratePerSecond: rate, workerConcurrency: 2, maxInFlight: 24 }, { sweepIntervalMs: 60_000 });
  modules.forEach((built, n) => stallOptOutLookups(built, n + 7));
  const first = modules[0]!;
  const to = phones(160);
  for (const built of modules) await built.messaging.ready();
  for (const [n, phone] of to.entries()) await first.messaging.outbound.enqueue({ to: phone, text: `Habari Mjumbe ${n}`, purpose: 'broadcast', idempotencyKey: `pace-personal-${n}` });
  await pool.start(modules);
  await eventually(() => provider.recipients.length >= 160 && inFlight === 0, 40_000, 'all sent');

  expect(provider.recipients.length).toBe(160);
  expect(new Set(provider.recipients).size).toBe(160);
  expect(provider.calls.every((call) => call.sms.bulk && call.sms.to.length === 1)).toBe(true);
  // No reply asking: the broadcast may use the whole rate (its share alone would cap it at 80 a second).
  expect(busiestWindow(provider.calls)).toBeLessThanOrEqual(rate);
  expect(busiestWindow(provider.calls)).toBeGreaterThan(bulkShare(rate));
  // More calls in flight than the lanes' SMS_WORKER_CONCURRENCY allows, never more than SMS_MAX_IN_FLIGHT per process.
  expect(maxInFlight).toBeGreaterThan(2 * 2);
  expect(maxInFlight).toBeLessThanOrEqual(2 * 24);
}, 60_000);
