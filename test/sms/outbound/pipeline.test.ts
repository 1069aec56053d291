import { OutboxSmsProvider } from '../../../src/providers/outbox/outbox-sms-provider';
import { createOutboxStore, listOutbox } from '../../../src/providers/outbox/outbox.redis';
import { createKeys } from '../../../src/infra/redis/keys';
import { RECIPIENT_STATES, type StateCounts } from '../../../src/sms/outbound/types';
import type { SendOutcome } from '../../../src/sms/outbound/sms-provider';
import { closeRedis, connectTestRedis, deletePrefix, uniquePrefix } from '../../support/redis';
import type { RedisClient } from '../../../src/infra/redis/client';
import { accepted, buildMessaging, eventually, FakeProvider, phones, type TestMessaging } from './helpers';

function addsUp(counts: StateCounts | undefined): boolean {
  return counts !== undefined && RECIPIENT_STATES.reduce((sum, state) => sum + counts[state], 0) === counts.total;
}

describe('outbound pipeline', () => {
  let redis: RedisClient;
  const started: TestMessaging[] = [];

  beforeAll(async () => { redis = await connectTestRedis('pipeline-test'); });
  afterEach(async () => {
    for (const built of started.splice(0)) {
      await built.messaging.close();
      await deletePrefix(redis, built.prefix);
    }
  });
  afterAll(async () => { await closeRedis(redis); });

  async function start(...args: Parameters<typeof buildMessaging>): Promise<TestMessaging> {
    const built = buildMessaging(...args);
    started.push(built);
    await built.messaging.startWorkers();
    return built;
  }

  it('sends a reply through the outbox and records its simulated delivery', async () => {
    const prefix = uniquePrefix('outbox');
    const keys = createKeys(prefix);
    const outbox = new OutboxSmsProvider({ store: createOutboxStore(redis, keys), deliveryReportDelayMs: 50 });
    const built = await start(outbox);
    try {
      const result = await built.messaging.outbound.enqueue({ to: '0712 345 678', text: 'Karibu!', purpose: 'reply', idempotencyKey: 'reply-1', inboundTriggered: true });
      expect(result).toEqual({ messageId: expect.any(String), state: 'queued' });
      const entry = await eventually(async () => {
        const [first] = await built.messaging.listByGroup(result.messageId);
        return first?.state === 'delivered' ? first : undefined;
      }, 8000, 'delivered');
      expect(entry).toMatchObject({ phone: '+255712345678', providerMessageId: expect.stringMatching(/^OUTBOX_/), parts: 1, lastReport: 'Success' });
      const inbox = await listOutbox(redis, keys, { phone: '+255712345678', limit: 10 });
      expect(inbox).toEqual([expect.objectContaining({ id: entry.providerMessageId, message: 'Karibu!', bulk: false })]);
      // The job payload held no phone number, and the completed job is gone.
      const queueKeys = await redis.keys(`${built.keys.queuePrefix}*`);
      for (const key of queueKeys) if ((await redis.type(key)) === 'hash') expect(JSON.stringify(await redis.hgetall(key))).not.toContain('712345678');
    } finally {
      outbox.close();
      await deletePrefix(redis, prefix);
    }
  });

  it('is idempotent per key and skips invalid, opted-out and over-cap recipients with a reason', async () => {
    const provider = new FakeProvider();
    const { messaging } = await start(provider, { perPhoneHourlyCap: 2 });
    const first = await messaging.outbound.enqueue({ to: '+255712000001', text: 'a', purpose: 'reply', idempotencyKey: 'k1' });
    expect(await messaging.outbound.enqueue({ to: '+255712000001', text: 'a', purpose: 'reply', idempotencyKey: 'k1' })).toEqual(first);
    expect(await messaging.outbound.enqueue({ to: '12', text: 'a', purpose: 'reply', idempotencyKey: 'k2' })).toMatchObject({ state: 'skipped', reason: 'invalid_number' });
    await messaging.suppression.suppress('+255712000003', 'keyword');
    expect(await messaging.outbound.enqueue({ to: '+255712000003', text: 'a', purpose: 'reminder', idempotencyKey: 'k3' })).toMatchObject({ state: 'skipped', reason: 'opted_out' });
    const capped = [];
    for (const n of [1, 2, 3]) capped.push(await messaging.outbound.enqueue({ to: '+255712000004', text: 'HELP', purpose: 'reply', idempotencyKey: `cap-${n}`, inboundTriggered: true }));
    expect(capped.map((result) => result.state)).toEqual(['queued', 'queued', 'skipped']);
    expect(capped[2]).toMatchObject({ reason: 'rate_capped' });
    await eventually(() => provider.recipients.length === 3, 8000, 'three sends');
    expect(provider.recipients.sort()).toEqual(['+255712000001', '+255712000004', '+255712000004']);
  });

  it('queues many single messages at once like one by one: same skips, and a repeated call queues nobody twice', async () => {
    const provider = new FakeProvider();
    const { messaging } = await start(provider, { contentRepeatCap: 1 });
    await messaging.suppression.suppress('+255712000003', 'keyword');
    // An earlier send of the same text to ...04 puts it at the content cap.
    await messaging.outbound.enqueue({ to: '+255712000004', text: 'Habari 4', purpose: 'broadcast', idempotencyKey: 'earlier-4' });
    const requests = ['+255712000001', '+255712000002', '+255712000003', '+255712000004', 'bad', '+255712000001'].map((to, n) => (
      { to, text: `Habari ${n === 5 ? 1 : n + 1}`, purpose: 'broadcast' as const, idempotencyKey: n === 5 ? 'p-0' : `p-${n}`, ...(n === 1 ? { validForMs: 0 } : {}) }));
    const first = await messaging.outbound.enqueueEach(requests);
    expect(first.map((result) => (result.state === 'skipped' ? result.reason : result.state))).toEqual(['queued', 'expired', 'opted_out', 'repeated_content', 'invalid_number', 'queued']);
    expect(first[5]).toEqual(first[0]);
    const again = await messaging.outbound.enqueueEach(requests);
    expect(again).toEqual(first);
    await eventually(() => provider.recipients.length === 2, 8000, 'two sends');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(provider.recipients.sort()).toEqual(['+255712000001', '+255712000004']);
    expect(provider.calls.map((call) => call.sms.message).sort()).toEqual(['Habari 1', 'Habari 4']);
  });

  it('sends a broadcast in batches and maps every per-recipient outcome into the ledger', async () => {
    const provider = new FakeProvider((sms, call): SendOutcome => ({
      kind: 'per_recipient',
      recipients: sms.to.map((number, n) => {
        if (number.endsWith('01')) return { number, result: 'failed_permanent', reason: 'InvalidPhoneNumber', statusCode: 403 };
        if (number.endsWith('02')) return { number, result: 'failed_permanent', reason: 'UserInBlacklist', statusCode: 406, blacklisted: true };
        if (number.endsWith('03')) return { number, result: 'uncertain', reason: 'not in answer' };
        return accepted(number, `ATXid_${call}_${n}`);
      }),
    }));
    const { messaging, metrics } = await start(provider, { batchSize: 4 });
    const to = [...phones(10, 712000000), '+255712000005', 'not-a-phone'];
    const result = await messaging.outbound.enqueueMany({ idempotencyKey: 'b1', text: 'Mkutano unaanza saa 3', to });
    expect(result).toMatchObject({ state: 'queued', counts: { total: 12, queued: 10, skipped: 2 } });
    const counts = await eventually(async () => {
      const now = await messaging.countsByGroup(result.messageId);
      return now && now.queued === 0 && now.sending === 0 ? now : undefined;
    }, 8000, 'broadcast done');
    expect(counts).toMatchObject({ total: 12, sent: 7, failed: 2, uncertain: 1, skipped: 2 });
    expect(addsUp(counts)).toBe(true);
    expect(provider.calls.map((call) => call.sms.to.length).sort()).toEqual([2, 4, 4]);
    expect(provider.calls.every((call) => call.sms.bulk)).toBe(true);
    const skipped = await messaging.listByGroup(result.messageId, { state: 'skipped' });
    expect(skipped.map((entry) => entry.reason).sort()).toEqual(['duplicate', 'invalid_number']);
    const sent = await messaging.listByGroup(result.messageId, { state: 'sent' });
    expect(sent[0]).toMatchObject({ cost: { currency: 'TZS', amount: 22 }, parts: 1, statusCode: 101, providerMessageId: expect.stringMatching(/^ATXid_/) });
    expect(await messaging.suppression.get('+255712000002')).toMatchObject({ global: { source: 'provider_blacklist' } });
    const exposition = await metrics.registry.metrics();
    expect(exposition).toContain('kiungo_sms_recipients_total{state="sent"} 7');
    expect(exposition).toContain('kiungo_sms_recipients_total{state="uncertain"} 1');
    expect(exposition).toMatch(/kiungo_sms_queue_depth\{lane="bulk"\} \d+/);
    expect(await messaging.listMessages()).toEqual([result.messageId]);
  });

  it('retries a temporary failure with backoff, then fails it for good', async () => {
    const provider = new FakeProvider((sms, call): SendOutcome => (call === 1
      ? { kind: 'rejected', reason: 'InternalServerError', retryable: true }
      : { kind: 'per_recipient', recipients: sms.to.map((number) => (number.endsWith('1')
        ? accepted(number, `ATXid_${call}`)
        : { number, result: 'failed_retryable', reason: 'GatewayError', statusCode: 501 })) }));
    const { messaging } = await start(provider, { maxAttempts: 3, retryBaseMs: 50 });
    const result = await messaging.outbound.enqueueMany({ idempotencyKey: 'r1', text: 'x', to: ['+255712000001', '+255712000002'] });
    const counts = await eventually(async () => {
      const now = await messaging.countsByGroup(result.messageId);
      return now && now.queued === 0 && now.sending === 0 ? now : undefined;
    }, 8000, 'retries done');
    expect(counts).toMatchObject({ sent: 1, failed: 1 });
    expect(provider.calls.map((call) => call.sms.to.length)).toEqual([2, 2, 1]);
    const [failed] = await messaging.listByGroup(result.messageId, { state: 'failed' });
    expect(failed).toMatchObject({ phone: '+255712000002', reason: 'GatewayError', attempts: 3 });
  });

  it('refuses bulk sends past the daily budget but still sends replies', async () => {
    const provider = new FakeProvider();
    const { messaging } = await start(provider, { dailyBudgetSegments: 3 });
    expect(await messaging.outbound.enqueueMany({ idempotencyKey: 'bb1', text: 'x', to: phones(2) })).toMatchObject({ state: 'queued' });
    const over = await messaging.outbound.enqueueMany({ idempotencyKey: 'bb2', text: 'x', to: phones(2, 713000000) });
    expect(over).toMatchObject({ state: 'skipped', reason: 'budget_exhausted', counts: { total: 2, skipped: 2 } });
    expect(await messaging.outbound.enqueue({ to: '+255714000000', text: 'y', purpose: 'reminder', idempotencyKey: 'rm' })).toMatchObject({ state: 'queued' });
    expect(await messaging.outbound.enqueue({ to: '+255714000001', text: 'y', purpose: 'reminder', idempotencyKey: 'rm2' })).toMatchObject({ state: 'skipped', reason: 'budget_exhausted' });
    expect(await messaging.outbound.enqueue({ to: '+255714000002', text: 'y', purpose: 'reply', idempotencyKey: 'rp' })).toMatchObject({ state: 'queued' });
    expect(await messaging.budget()).toMatchObject({ usedSegments: 4, budgetSegments: 3, exhausted: true });
    await eventually(() => provider.recipients.length === 4, 8000, 'four sends');
  });
});
