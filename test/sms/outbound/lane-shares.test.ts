/**
 * Work-conserving lane shares: a broadcast alone may use the whole rate, a reply arriving during it
 * still gets a slot within about a second's worth of the broadcast's recipients, and a network with
 * a share keeps to it while the broadcast uses more than the bulk share. Several workers (three
 * modules on one Redis, two per lane each) and a fake provider stamping every call. Counts in
 * sliding windows of stamped calls and counts of calls between events only: nothing here depends
 * on how fast the machine is.
 */
import { networkOfNumber as networkOf } from '../../../src/kernel/network-prefix';
import { bulkShare } from '../../../src/sms/outbound/rate-limiter.redis';
import type { MessagingConfig } from '../../../src/config/load';
import { busiestWindow, eventually, FakeProvider, ModulePool, phones, type ProviderCall, type TestMessaging } from './helpers';

const recipientsOf = (calls: ProviderCall[]): number => calls.reduce((sum, call) => sum + call.sms.to.length, 0);

const pool = new ModulePool();
afterEach(() => pool.stop());

/** Three modules (three processes' worth) on one Redis, each with two workers per lane. */
async function startWorkers(provider: FakeProvider, config: Partial<MessagingConfig>): Promise<TestMessaging> {
  const modules = pool.build(3, 'lanes', provider, config);
  await pool.start(modules);
  return modules[0]!;
}

test('a broadcast alone uses more than 0.9 of the rate over two seconds, and no sliding second carries more than the rate', async () => {
  const rate = 20;
  const provider = new FakeProvider();
  const first = await startWorkers(provider, { ratePerSecond: rate, batchSize: 10 });
  const broadcast = await first.messaging.outbound.enqueueMany({ idempotencyKey: 'lanes-alone', text: 'Tangazo', to: phones(120) });
  await eventually(async () => ((await first.messaging.countsByGroup(broadcast.messageId))?.sent ?? 0) === 120 ? true : undefined, 40_000, 'all sent');

  expect(provider.recipients.length).toBe(120);
  expect(new Set(provider.recipients).size).toBe(120);
  expect(busiestWindow(provider.calls)).toBeLessThanOrEqual(rate);
  // The bulk share alone (16 a second, each window a second plus the guard) could carry at most 32 in two seconds.
  expect(busiestWindow(provider.calls, 2000)).toBeGreaterThan(0.9 * 2 * rate);
  expect(Math.max(...provider.calls.map((call) => call.sms.to.length))).toBeLessThanOrEqual(bulkShare(rate));
}, 60_000);

test('replies arriving during a full-rate broadcast get slots within about a second of its recipients, and keep a fifth of the rate after', async () => {
  const rate = 20;
  const provider = new FakeProvider();
  const first = await startWorkers(provider, { ratePerSecond: rate, batchSize: 10 });
  const broadcast = await first.messaging.outbound.enqueueMany({ idempotencyKey: 'lanes-mid', text: 'Tangazo', to: phones(240) });
  await eventually(() => provider.recipients.length >= 60, 20_000, 'the broadcast under way at full rate');
  // Bulk recipients already at the provider when each reply was queued.
  const replies = phones(8, 719000000);
  const bulkBefore = new Map<string, number>();
  for (const [n, to] of replies.entries()) {
    bulkBefore.set(to, recipientsOf(provider.calls.filter((call) => call.sms.bulk)));
    await first.messaging.outbound.enqueue({ to, text: 'Jibu', purpose: 'reply', idempotencyKey: `lanes-reply-${n}` });
    // Spread out: the later replies come while the bulk lane is held to its share.
    await eventually(() => provider.recipients.includes(to), 20_000, `reply ${n} sent`);
  }
  await eventually(async () => ((await first.messaging.countsByGroup(broadcast.messageId))?.sent ?? 0) === 240 ? true : undefined, 40_000, 'all sent');

  const bulk = provider.calls.filter((call) => call.sms.bulk);
  const before = provider.calls.filter((call) => !call.sms.bulk && call.sms.to.includes(replies[0]!))[0]!;
  // The broadcast ran at more than its share before the first reply.
  expect(busiestWindow(bulk.filter((call) => call.at < before.at))).toBeGreaterThan(bulkShare(rate));
  for (const to of replies) {
    const index = provider.calls.findIndex((call) => call.sms.to.includes(to));
    const bulkUntil = recipientsOf(provider.calls.slice(0, index).filter((call) => call.sms.bulk));
    // At most a second's worth of the broadcast went out between a reply being queued and its call.
    expect(bulkUntil - bulkBefore.get(to)!).toBeLessThanOrEqual(rate);
  }
  // While replies keep coming the broadcast is held to its share (slots it took before the first reply have left by its call).
  const last = provider.calls.find((call) => call.sms.to.includes(replies[replies.length - 1]!))!;
  expect(busiestWindow(bulk.filter((call) => call.at > before.at + 50 && call.at <= last.at))).toBeLessThanOrEqual(bulkShare(rate));
  expect(busiestWindow(provider.calls)).toBeLessThanOrEqual(rate);
  expect(new Set(provider.recipients).size).toBe(248);
}, 90_000);

test('a network with a share keeps to it in every sliding second while a broadcast uses more than the bulk share', async () => {
  const rate = 20;
  const provider = new FakeProvider();
  // Vodacom 25% of 20/s: 5 a second; Airtel only the global rate.
  const first = await startWorkers(provider, { ratePerSecond: rate, batchSize: 10, networkShares: { vodacom: 25 } });
  const vodacom = Array.from({ length: 30 }, (_, n) => `+25575400${String(n).padStart(4, '0')}`);
  const airtel = Array.from({ length: 120 }, (_, n) => `+25568800${String(n).padStart(4, '0')}`);
  const mixed = vodacom.flatMap((phone, n) => [phone, ...airtel.slice(4 * n, 4 * n + 4)]);
  const result = await first.messaging.outbound.enqueueMany({ idempotencyKey: 'lanes-net', text: 'Habari', to: mixed });
  await eventually(async () => ((await first.messaging.countsByGroup(result.messageId))?.sent ?? 0) === 150 ? true : undefined, 40_000, 'all sent');

  const onVodacom = (call: ProviderCall): number => call.sms.to.filter((phone) => networkOf(phone) === 'vodacom').length;
  expect(provider.calls.every((call) => new Set(call.sms.to.map(networkOf)).size === 1)).toBe(true);
  expect(busiestWindow(provider.calls, 1000, onVodacom)).toBeLessThanOrEqual(5);
  expect(busiestWindow(provider.calls)).toBeLessThanOrEqual(rate);
  expect(busiestWindow(provider.calls)).toBeGreaterThan(bulkShare(rate));
  expect(provider.recipients.length).toBe(150);
}, 60_000);
