/**
 * SMS cost is bounded for replies too: a gateway-wide hourly and daily cap (counted by an alert
 * metric, with a warning the console shows), a cap per network on replies to unregistered numbers,
 * one notice to a phone that reaches its own cap, every skipped reply in the ledger with its
 * reason, and a registrant's confirmation served before a flood of replies to others.
 */
import { SKIP_REASON_TEXT } from '../../../src/sms/outbound/outbound-port';
import { closeRedis, connectTestRedis, deletePrefix } from '../../support/redis';
import type { RedisClient } from '../../../src/infra/redis/client';
import { buildMessaging, eventually, FakeProvider, type TestMessaging } from './helpers';

describe('reply caps', () => {
  let redis: RedisClient;
  const started: TestMessaging[] = [];
  beforeAll(async () => { redis = await connectTestRedis('reply-caps'); });
  afterEach(async () => {
    for (const built of started.splice(0)) {
      await built.messaging.close();
      await deletePrefix(redis, built.prefix);
    }
  });
  afterAll(async () => { await closeRedis(redis); });

  async function build(...args: Parameters<typeof buildMessaging>): Promise<TestMessaging> {
    const built = buildMessaging(...args);
    started.push(built);
    await built.messaging.ready(5000);
    return built;
  }
  const reply = (n: number, extra: object = {}) => ({ to: `+2557130${String(n).padStart(5, '0')}`, text: 'Karibu', purpose: 'reply' as const, idempotencyKey: `r-${n}`, inboundTriggered: true, ...extra });

  it('caps replies per hour across the gateway, counts each refusal and warns the console', async () => {
    const { messaging, metrics } = await build(new FakeProvider(), { replyHourlyCap: 3, replyDailyCap: 10 });
    const results = [];
    for (let n = 1; n <= 5; n += 1) results.push(await messaging.outbound.enqueue(reply(n)));
    expect(results.map((r) => r.state)).toEqual(['queued', 'queued', 'queued', 'skipped', 'skipped']);
    expect(results[3]).toMatchObject({ reason: 'reply_cap' });
    const [entry] = await messaging.listByGroup(results[3]!.messageId);
    expect(entry).toMatchObject({ state: 'skipped', reason: 'reply_cap' });
    expect(SKIP_REASON_TEXT.reply_cap).toMatch(/cap on replies was reached \(SMS_REPLY_HOURLY_CAP/);
    expect(await metrics.registry.getSingleMetricAsString('kiungo_sms_replies_capped_total')).toContain('kiungo_sms_replies_capped_total{cap="reply_cap"} 2');
    const caps = await messaging.replyCaps();
    expect(caps).toMatchObject({ hour: { used: 3, cap: 3 }, day: { used: 3, cap: 10 } });
    expect(caps.warning).toMatch(/This hour's cap of 3 replies is reached/);
    // Broadcasts and reminders are not replies: the cap leaves them alone.
    expect(await messaging.outbound.enqueue({ to: '+255713999999', text: 'x', purpose: 'reminder', idempotencyKey: 'rem' })).toMatchObject({ state: 'queued' });
  });

  it('caps replies per day too', async () => {
    const { messaging } = await build(new FakeProvider(), { replyHourlyCap: 0, replyDailyCap: 2 });
    const states = [];
    for (let n = 1; n <= 3; n += 1) states.push((await messaging.outbound.enqueue(reply(n))).state);
    expect(states).toEqual(['queued', 'queued', 'skipped']);
    expect((await messaging.replyCaps()).warning).toMatch(/Today's cap of 2 replies is reached/);
  });

  it('caps replies to unregistered numbers per network and country, never registered people', async () => {
    const { messaging } = await build(new FakeProvider(), { unknownHourlyCap: 2 });
    const vodacom = { unknownSender: { network: '64004' } };
    const states = [];
    for (let n = 1; n <= 3; n += 1) states.push(await messaging.outbound.enqueue(reply(n, vodacom)));
    expect(states.map((r) => r.state)).toEqual(['queued', 'queued', 'skipped']);
    expect(states[2]).toMatchObject({ reason: 'unknown_cap' });
    expect(await messaging.outbound.enqueue(reply(4, { unknownSender: { network: '64002' } }))).toMatchObject({ state: 'queued' });
    expect(await messaging.outbound.enqueue(reply(5))).toMatchObject({ state: 'queued' });
  });

  it('tells a phone once, in its own words, that its cap is reached; every skipped reply stays in the ledger', async () => {
    const provider = new FakeProvider();
    const { messaging } = await build(provider, { perPhoneHourlyCap: 2 });
    const phone = '+255713000042';
    const results = [];
    for (let n = 1; n <= 5; n += 1) results.push(await messaging.outbound.enqueue({ ...reply(n), to: phone, capNotice: 'Umefikia kikomo cha ujumbe kwa saa hii.' }));
    expect(results.map((r) => r.state)).toEqual(['queued', 'queued', 'skipped', 'skipped', 'skipped']);
    for (const skipped of results.slice(2)) expect(await messaging.listByGroup(skipped.messageId)).toEqual([expect.objectContaining({ state: 'skipped', reason: 'rate_capped' })]);
    await messaging.startWorkers();
    await eventually(() => provider.calls.length === 3, 8000, 'two replies and one notice');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(provider.calls.map((call) => call.sms.message)).toEqual(['Karibu', 'Karibu', 'Umefikia kikomo cha ujumbe kwa saa hii.']);
  });

  it('a batch (enqueueEach) answers as the same requests one by one: caps counted in order, opt-out, bad number, a repeated key', async () => {
    const requests = [
      reply(1), reply(2), reply(1, { idempotencyKey: 'r-1b' }), reply(3, { to: '12' }), reply(4), reply(2),
      { to: '+255713000005', text: 'Ratiba', purpose: 'reminder' as const, idempotencyKey: 'rem-5' },
      reply(6, { unknownSender: { network: '63902' } }), reply(7, { unknownSender: { network: '63902' } }),
    ];
    const answers = async (batched: boolean): Promise<unknown[]> => {
      const { messaging } = await build(new FakeProvider(), { replyHourlyCap: 5, perPhoneHourlyCap: 1, unknownHourlyCap: 1 });
      await messaging.suppression.suppress('+255713000004', 'keyword');
      const results = batched ? await messaging.outbound.enqueueEach(requests) : [];
      if (!batched) for (const request of requests) results.push(await messaging.outbound.enqueue(request));
      return results.map((result) => ({ state: result.state, ...(result.state === 'skipped' ? { reason: result.reason } : {}) }));
    };
    const oneByOne = await answers(false);
    expect(oneByOne).toEqual([
      { state: 'queued' }, { state: 'queued' }, { state: 'skipped', reason: 'rate_capped' }, { state: 'skipped', reason: 'invalid_number' },
      { state: 'skipped', reason: 'opted_out' }, { state: 'queued' }, { state: 'queued' }, { state: 'queued' }, { state: 'skipped', reason: 'unknown_cap' },
    ]);
    expect(await answers(true)).toEqual(oneByOne);
  });

  it('serves a registrant\'s confirmation before a flood of replies already waiting', async () => {
    const provider = new FakeProvider();
    const { messaging } = await build(provider, { workerConcurrency: 1, ratePerSecond: 1000, replyHourlyCap: 0, replyDailyCap: 0 });
    for (let n = 1; n <= 40; n += 1) await messaging.outbound.enqueue(reply(n));
    await messaging.outbound.enqueue({ to: '+255713777777', text: 'Umesajiliwa', purpose: 'confirmation', idempotencyKey: 'confirm', inboundTriggered: true });
    await messaging.startWorkers();
    await eventually(() => provider.calls.length === 41, 15000, 'every message');
    const position = provider.calls.findIndex((call) => call.sms.message === 'Umesajiliwa');
    // Before: it went out 41st, after every reply queued ahead of it.
    expect(position).toBeLessThanOrEqual(1);
  });
});
