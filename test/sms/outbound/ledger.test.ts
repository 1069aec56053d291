import { createKeys } from '../../../src/infra/redis/keys';
import { Ledger } from '../../../src/sms/outbound/ledger.redis';
import { RECIPIENT_STATES, type MessageMeta, type RecipientState } from '../../../src/sms/outbound/types';
import { closeRedis, connectTestRedis, deletePrefix, uniquePrefix } from '../../support/redis';
import type { RedisClient } from '../../../src/infra/redis/client';

describe('ledger', () => {
  let redis: RedisClient;
  let ledger: Ledger;
  let prefix: string;

  beforeAll(async () => { redis = await connectTestRedis('ledger-test'); });
  beforeEach(() => {
    prefix = uniquePrefix('ledger');
    ledger = new Ledger(redis, createKeys(prefix));
  });
  afterEach(async () => { await deletePrefix(redis, prefix); });
  afterAll(async () => { await closeRedis(redis); });

  const meta = (messageId: string, total: number): MessageMeta => ({ messageId, kind: 'broadcast', purpose: 'broadcast', text: 'Habari', total, segments: 1, batchSize: 100, createdAt: 1 });

  async function expectCountsAddUp(messageId: string): Promise<void> {
    const counts = await ledger.counts(messageId);
    expect(counts).toBeDefined();
    const sum = RECIPIENT_STATES.reduce((total, state) => total + (counts?.[state] ?? 0), 0);
    expect(sum).toBe(counts?.total);
  }

  it('creates a message once; a second create changes nothing', async () => {
    expect(await ledger.create(meta('m1', 2), [{ phone: '+255712000001', state: 'queued' }, { phone: 'junk', state: 'skipped', reason: 'invalid_number' }])).toBe(true);
    expect(await ledger.create(meta('m1', 1), [{ phone: '+255712000009', state: 'queued' }])).toBe(false);
    expect(await ledger.counts('m1')).toMatchObject({ total: 2, queued: 1, skipped: 1 });
    expect((await ledger.entry('m1', 1))?.reason).toBe('invalid_number');
  });

  it('only moves entries forward, atomically with the counts', async () => {
    await ledger.create(meta('m2', 1), [{ phone: '+255712000001', state: 'queued' }]);
    const step = async (to: RecipientState) => (await ledger.transition('m2', [{ index: 0, to }]))[0]?.code;
    expect(await step('sent')).toBe('refused'); // queued cannot skip sending
    expect(await step('sending')).toBe('moved');
    expect(await step('sent')).toBe('moved');
    expect(await step('sent')).toBe('repeated'); // a non-final state may repeat (Sent, then Buffered)
    expect(await step('queued')).toBe('refused');
    expect(await step('sending')).toBe('refused');
    expect(await step('delivered')).toBe('moved');
    for (const to of ['failed', 'sent', 'uncertain', 'queued', 'skipped', 'delivered'] as const) expect(await step(to)).toBe('refused');
    expect(await ledger.counts('m2')).toMatchObject({ total: 1, delivered: 1, queued: 0, sending: 0, sent: 0 });
  });

  it('lets a Success report turn failed into delivered only for an accepted message', async () => {
    await ledger.create(meta('m3', 2), [{ phone: '+255712000001', state: 'queued' }, { phone: '+255712000002', state: 'queued' }]);
    await ledger.transition('m3', [{ index: 0, to: 'sending' }, { index: 1, to: 'sending' }]);
    await ledger.transition('m3', [{ index: 0, to: 'sent', patch: { providerMessageId: 'ATXid_1' } }, { index: 1, to: 'failed', patch: { reason: 'InvalidPhoneNumber' } }]);
    await ledger.transition('m3', [{ index: 0, to: 'failed', patch: { reason: 'DeliveryFailure' } }]);
    const results = await ledger.transition('m3', [{ index: 0, to: 'delivered' }, { index: 1, to: 'delivered' }]);
    expect(results.map((result) => result.code)).toEqual(['moved', 'refused']);
    await expectCountsAddUp('m3');
  });

  it('merges the send result into an entry a report already finished', async () => {
    await ledger.create(meta('m4', 1), [{ phone: '+255712000001', state: 'queued' }]);
    await ledger.transition('m4', [{ index: 0, to: 'sending' }]);
    await ledger.transition('m4', [{ index: 0, to: 'delivered', patch: { lastReport: 'Success' } }]);
    const [result] = await ledger.transition('m4', [{ index: 0, to: 'sent', merge: true, patch: { providerMessageId: 'ATXid_9', parts: 2 } }]);
    expect(result?.code).toBe('refused');
    expect(await ledger.entry('m4', 0)).toMatchObject({ state: 'delivered', providerMessageId: 'ATXid_9', parts: 2, lastReport: 'Success' });
  });

  it('keeps the counts adding up under concurrent moves of the same entries', async () => {
    const total = 50;
    await ledger.create(meta('m5', total), Array.from({ length: total }, (_, n) => ({ phone: `+25571200${String(n).padStart(4, '0')}`, state: 'queued' as const })));
    const targets: RecipientState[] = ['sending', 'skipped', 'failed', 'sent', 'uncertain', 'delivered'];
    await Promise.all(Array.from({ length: 200 }, (_, n) => ledger.transition('m5', [{ index: n % total, to: targets[n % targets.length] ?? 'sending' }])));
    await expectCountsAddUp('m5');
    expect((await ledger.transition('m5', [{ index: 999, to: 'sent' }]))[0]?.code).toBe('missing');
  });

  it('stores an entry compactly (one-letter fields, state as one character, base-36 time) and reads it back whole', async () => {
    await ledger.create({ ...meta('m6', 1), createdAt: Date.UTC(2026, 5, 1) }, [{ phone: '+255712000001', state: 'queued' }]);
    await ledger.transition('m6', [{ index: 0, to: 'sending', patch: { attempts: 1 } }], Date.UTC(2026, 5, 1, 0, 0, 1));
    await ledger.transition('m6', [{ index: 0, to: 'sent', patch: { providerMessageId: 'ATXid_0123456789abcdef0123456789abcdef', statusCode: 101, cost: { currency: 'TZS', amount: 22 }, parts: 1, route: 'africastalking' } }], Date.UTC(2026, 5, 1, 0, 0, 2));
    const raw = (await redis.hget(createKeys(prefix).messaging.recipients('m6'), '0')) ?? '';
    expect(JSON.parse(raw)).toMatchObject({ p: '+255712000001', s: 's', a: 1, i: 'ATXid_0123456789abcdef0123456789abcdef', x: 101, $: 'TZS 22', n: 1, o: 'A' });
    expect(raw.length).toBeLessThan(130);
    expect(await ledger.entry('m6', 0)).toEqual({
      index: 0, phone: '+255712000001', state: 'sent', attempts: 1, updatedAt: Date.UTC(2026, 5, 1, 0, 0, 2),
      providerMessageId: 'ATXid_0123456789abcdef0123456789abcdef', statusCode: 101, cost: { currency: 'TZS', amount: 22 }, parts: 1, route: 'africastalking',
    });
  });

  it('reads entries written in the long form, and moves them (rewritten compactly) with the counts', async () => {
    const k = createKeys(prefix).messaging;
    await ledger.create(meta('m7', 1), [{ phone: '+255712000001', state: 'queued' }]);
    await redis.hset(k.recipients('m7'), '0', JSON.stringify({ phone: '+255712000001', state: 'sent', updatedAt: 5, attempts: 1, providerMessageId: 'P1', cost: { currency: 'TZS', amount: 22 } }));
    await redis.hset(k.counts('m7'), 'queued', '0', 'sent', '1');
    expect(await ledger.entry('m7', 0)).toMatchObject({ state: 'sent', updatedAt: 5, providerMessageId: 'P1', cost: { currency: 'TZS', amount: 22 } });
    expect(await ledger.transition('m7', [{ index: 0, to: 'delivered', patch: { lastReport: 'Success' } }], 1000)).toEqual([{ index: 0, code: 'moved', previous: 'sent' }]);
    expect(await ledger.entry('m7', 0)).toMatchObject({ phone: '+255712000001', state: 'delivered', updatedAt: 1000, attempts: 1, providerMessageId: 'P1', lastReport: 'Success', cost: { currency: 'TZS', amount: 22 } });
    expect(await ledger.counts('m7')).toMatchObject({ sent: 0, delivered: 1 });
  });

  it('applies two moves of one entry in one call in order', async () => {
    await ledger.create(meta('m8', 1), [{ phone: '+255712000001', state: 'queued' }]);
    const results = await ledger.transition('m8', [{ index: 0, to: 'sending' }, { index: 0, to: 'sent', patch: { providerMessageId: 'P8' } }]);
    expect(results.map((result) => [result.code, result.previous])).toEqual([['moved', 'queued'], ['moved', 'sending']]);
    expect(await ledger.entry('m8', 0)).toMatchObject({ state: 'sent', providerMessageId: 'P8' });
    expect(await ledger.counts('m8')).toMatchObject({ queued: 0, sending: 0, sent: 1 });
  });

  it('finds an entry by its provider id on the day it left and the days after, in hashes that expire', async () => {
    const day = 86_400_000;
    const sentAt = Date.UTC(2026, 5, 1, 23, 59);
    await ledger.indexProviderIds('m9', [{ providerMessageId: 'ATXid_00000000000000000000000000000001', index: 0 }, { providerMessageId: 'smpp:42', index: 1 }], sentAt);
    expect(await ledger.findByProviderId('ATXid_00000000000000000000000000000001', sentAt)).toEqual({ messageId: 'm9', index: 0 });
    expect(await ledger.findByProviderId('smpp:42', sentAt + 3 * day)).toEqual({ messageId: 'm9', index: 1 });
    expect(await ledger.findByProviderId('ATXid_00000000000000000000000000000002', sentAt)).toBeUndefined();
    const keys = await redis.keys(`${prefix}:sms:pids:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(await redis.ttl(key)).toBeGreaterThan(0);
    // Nothing writes the key per id any more; one written before is still read.
    expect(await redis.keys(`${prefix}:sms:pid:*`)).toEqual([]);
    await redis.set(createKeys(prefix).messaging.legacyProviderMessageId('ATXid_old'), 'm0:7', 'EX', 60);
    expect(await ledger.findByProviderId('ATXid_old', sentAt)).toEqual({ messageId: 'm0', index: 7 });
  });
});
