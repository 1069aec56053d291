import { createKeys } from '../../../src/infra/redis/keys';
import { Ledger } from '../../../src/sms/outbound/ledger.redis';
import { createLedgerErasure } from '../../../src/sms/outbound/outbound-erasure.redis';
import { maskPhone } from '../../../src/kernel/phone';
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

  it('creates every entry as given when a number kept as free text holds a newline', async () => {
    const recipients = [{ phone: '+255712000001', state: 'queued' as const }, { phone: '0712\n000002', state: 'skipped' as const, reason: 'invalid_number' }, { phone: '+255712000003', state: 'queued' as const }];
    expect(await ledger.create(meta('m12', 3), recipients)).toBe(true);
    expect((await ledger.range('m12', 0, 3)).map((entry) => [entry.phone, entry.state, entry.reason])).toEqual(recipients.map((recipient) => [recipient.phone, recipient.state, recipient.reason]));
    expect(await ledger.counts('m12')).toMatchObject({ total: 3, queued: 2, skipped: 1 });
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

  it('stores an entry packed in a bucket Redis keeps as a listpack, and reads it back whole', async () => {
    const k = createKeys(prefix).messaging;
    await ledger.create({ ...meta('m6', 1), createdAt: Date.UTC(2026, 5, 1) }, [{ phone: '+255712000001', state: 'queued' }]);
    await ledger.transition('m6', [{ index: 0, to: 'sending', patch: { attempts: 1 } }], Date.UTC(2026, 5, 1, 0, 0, 1));
    await ledger.transition('m6', [{ index: 0, to: 'sent', patch: { providerMessageId: 'ATXid_0123456789abcdef0123456789abcdef', statusCode: 101, cost: { currency: 'TZS', amount: 22 }, parts: 1, route: 'africastalking' } }], Date.UTC(2026, 5, 1, 0, 0, 2, 700));
    await ledger.transition('m6', [{ index: 0, to: 'delivered', patch: { lastReport: 'Success', networkCode: '62002' } }], Date.UTC(2026, 5, 2, 0, 0, 3));
    expect(await redis.exists(k.recipients('m6'))).toBe(0);
    const raw = (await redis.hget(k.recipientBucket('m6', 0), '0')) ?? '';
    // Under hash-max-listpack-value (64) with every field a delivered entry carries.
    expect(raw.length).toBeLessThanOrEqual(60);
    expect(await redis.call('OBJECT', 'ENCODING', k.recipientBucket('m6', 0))).toBe('listpack');
    expect(await ledger.entry('m6', 0)).toEqual({
      index: 0, phone: '+255712000001', state: 'delivered', attempts: 1, updatedAt: Date.UTC(2026, 5, 2, 0, 0, 3),
      providerMessageId: 'ATXid_0123456789abcdef0123456789abcdef', statusCode: 101, cost: { currency: 'TZS', amount: 22 }, parts: 1, route: 'africastalking',
      lastReport: 'Success', networkCode: '62002',
    });
  });

  it('keeps a hundred entries per bucket: reads, moves in one call and lists across buckets, the counts adding up', async () => {
    const k = createKeys(prefix).messaging;
    const total = 250;
    await ledger.create({ ...meta('m10', total), createdAt: 1_000 }, Array.from({ length: total }, (_, n) => ({ phone: `+2557120${String(n).padStart(5, '0')}`, state: n === 7 ? 'skipped' as const : 'queued' as const, ...(n === 7 ? { reason: 'opted_out' } : {}) })));
    expect(await redis.keys(`${prefix}:sms:*:rb:*`)).toHaveLength(3);
    for (const bucket of [0, 1, 2]) expect(await redis.call('OBJECT', 'ENCODING', k.recipientBucket('m10', bucket))).toBe('listpack');
    const read = await ledger.entries('m10', [250, 99, 100, 0, 249, 199, 200]);
    expect(read.map((entry) => entry?.index)).toEqual([undefined, 99, 100, 0, 249, 199, 200]);
    expect(read[1]).toEqual({ index: 99, phone: '+255712000099', state: 'queued', attempts: 0, updatedAt: 1_000 });
    const moved = await ledger.transition('m10', [99, 100, 199, 200, 7, 300].map((index) => ({ index, to: 'sending' as const, patch: { attempts: 1 } })), 61_000);
    expect(moved.map((result) => result.code)).toEqual(['moved', 'moved', 'moved', 'moved', 'refused', 'missing']);
    expect(await ledger.entry('m10', 200)).toMatchObject({ state: 'sending', attempts: 1, updatedAt: 61_000 });
    expect(await ledger.entry('m10', 7)).toMatchObject({ state: 'skipped', reason: 'opted_out', updatedAt: 1_000 });
    expect(await ledger.counts('m10')).toMatchObject({ total, queued: 245, sending: 4, skipped: 1 });
    await expectCountsAddUp('m10');
    expect((await ledger.list('m10', { state: 'sending' })).map((entry) => entry.index)).toEqual([99, 100, 199, 200]);
    expect((await ledger.range('m10', 95, 105)).map((entry) => entry.index)).toEqual([95, 96, 97, 98, 99, 100, 101, 102, 103, 104]);
    expect((await ledger.firstEntries(['m10', 'nope'])).map((entry) => entry?.phone)).toEqual(['+255712000000', undefined]);
  });

  it('reads and moves a ledger written in the earlier layout (one hash of JSON entries), the counts with it', async () => {
    const k = createKeys(prefix).messaging;
    // As the earlier code wrote it: the long form, and the compact JSON form.
    await redis.hset(k.meta('m7'), 'json', JSON.stringify(meta('m7', 3)));
    await redis.hset(k.recipients('m7'),
      '0', JSON.stringify({ phone: '+255712000001', state: 'sent', updatedAt: 5, attempts: 1, providerMessageId: 'P1', cost: { currency: 'TZS', amount: 22 } }),
      '1', JSON.stringify({ s: 'q', t: '0', p: '+255712000002' }),
      '2', JSON.stringify({ s: 'g', t: '1', p: '+255712000003', a: 1 }));
    await redis.hset(k.counts('m7'), 'total', '3', 'sent', '1', 'queued', '1', 'sending', '1');
    expect(await ledger.entry('m7', 0)).toMatchObject({ state: 'sent', updatedAt: 5, providerMessageId: 'P1', cost: { currency: 'TZS', amount: 22 } });
    expect((await ledger.entries('m7', [2, 1, 3])).map((entry) => entry?.state)).toEqual(['sending', 'queued', undefined]);
    expect(await ledger.transition('m7', [{ index: 0, to: 'delivered', patch: { lastReport: 'Success' } }, { index: 1, to: 'sent' }, { index: 2, to: 'sent', patch: { providerMessageId: 'ATXid_0123456789abcdef0123456789abcdef' } }], 1000))
      .toEqual([{ index: 0, code: 'moved', previous: 'sent' }, { index: 1, code: 'refused', previous: 'queued' }, { index: 2, code: 'moved', previous: 'sending' }]);
    expect(await ledger.entry('m7', 0)).toMatchObject({ phone: '+255712000001', state: 'delivered', updatedAt: 1000, attempts: 1, providerMessageId: 'P1', lastReport: 'Success', cost: { currency: 'TZS', amount: 22 } });
    expect(await ledger.entry('m7', 2)).toMatchObject({ state: 'sent', providerMessageId: 'ATXid_0123456789abcdef0123456789abcdef' });
    expect(await ledger.counts('m7')).toMatchObject({ sent: 1, delivered: 1, queued: 1, sending: 0 });
    expect((await ledger.list('m7', { state: 'delivered' })).map((entry) => entry.phone)).toEqual(['+255712000001']);
    // Nothing was written in the packed layout, and a second ledger (another process) moves it too.
    expect(await redis.keys(`${prefix}:sms:*:rb:*`)).toEqual([]);
    const other = new Ledger(redis, createKeys(prefix));
    expect((await other.transition('m7', [{ index: 2, to: 'delivered' }], 2000))[0]?.code).toBe('moved');
    await expectCountsAddUp('m7');
  });

  it('erasure masks a number in every bucket of a packed ledger and leaves the other entries', async () => {
    const k = createKeys(prefix).messaging;
    const me = '+255712999999';
    const phones = Array.from({ length: 150 }, (_, n) => (n === 3 || n === 120 ? me : `+2557120${String(n).padStart(5, '0')}`));
    await ledger.create(meta('m11', 150), phones.map((phone) => ({ phone, state: 'queued' as const })));
    await redis.zadd(k.messages(), 1, 'm11');
    await ledger.transition('m11', [{ index: 120, to: 'sending', patch: { attempts: 1 } }], 5_000);
    expect(await createLedgerErasure(redis, createKeys(prefix)).erase('egov2015', me)).toBe(2);
    for (const bucket of [0, 1]) expect(JSON.stringify(await redis.hgetall(k.recipientBucket('m11', bucket)))).not.toContain('999999');
    expect((await ledger.entries('m11', [3, 120, 4])).map((entry) => entry?.phone)).toEqual([maskPhone(me), maskPhone(me), '+255712000004']);
    // Times are kept in whole seconds from the message's creation (1 ms here).
    expect(await ledger.entry('m11', 120)).toMatchObject({ state: 'sending', attempts: 1, updatedAt: 4_001 });
  });

  it('erasure masks a number in a ledger written in the earlier layout (one hash of JSON entries)', async () => {
    const k = createKeys(prefix).messaging;
    const me = '+255712888888';
    await redis.hset(k.meta('m12'), 'json', JSON.stringify(meta('m12', 3)));
    await redis.hset(k.recipients('m12'),
      '0', JSON.stringify({ phone: me, state: 'sent', updatedAt: 5, attempts: 1, providerMessageId: 'P1' }),
      '1', JSON.stringify({ s: 'q', t: '0', p: '+255712000002' }),
      '2', JSON.stringify({ s: 'g', t: '1', p: me, a: 1 }));
    await redis.hset(k.counts('m12'), 'total', '3', 'sent', '1', 'queued', '1', 'sending', '1');
    await redis.zadd(k.messages(), 1, 'm12');
    expect(await createLedgerErasure(redis, createKeys(prefix)).erase('egov2015', me)).toBe(2);
    expect(JSON.stringify(await redis.hgetall(k.recipients('m12')))).not.toContain('888888');
    expect((await ledger.entries('m12', [0, 1, 2])).map((entry) => entry?.phone)).toEqual([maskPhone(me), '+255712000002', maskPhone(me)]);
    expect(await ledger.entry('m12', 0)).toMatchObject({ state: 'sent', providerMessageId: 'P1' });
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
    // An id holding a space or a comma is written as well (the batch then goes one argument per field and value).
    await ledger.indexProviderIds('m9', [{ providerMessageId: 'smpp: 4,3', index: 2 }, { providerMessageId: 'ATXid_00000000000000000000000000000003', index: 3 }], sentAt);
    expect(await ledger.findByProviderId('smpp: 4,3', sentAt)).toEqual({ messageId: 'm9', index: 2 });
    expect(await ledger.findByProviderId('ATXid_00000000000000000000000000000003', sentAt)).toEqual({ messageId: 'm9', index: 3 });
    expect(await ledger.findByProviderId('ATXid_00000000000000000000000000000002', sentAt)).toBeUndefined();
    // A batch names its message by the day's alias: AT ids as 16 bytes, indexes in base 36.
    const batch = Array.from({ length: 12 }, (_, n) => ({ providerMessageId: `ATXid_${String(n).padStart(32, 'a')}`, index: 4990 + n }));
    await ledger.indexProviderIds('b0123456789ab~m0123456789abcdef0123456789abcde', batch, sentAt);
    await ledger.indexProviderIds('b0123456789ab~m0123456789abcdef0123456789abcde', [{ providerMessageId: 'ATXid_ffffffffffffffffffffffffffffffff', index: 5000 }, ...batch.slice(0, 8)], sentAt + 60_000);
    const fresh = new Ledger(redis, createKeys(prefix));
    for (const pair of batch) expect(await fresh.findByProviderId(pair.providerMessageId, sentAt + day)).toEqual({ messageId: 'b0123456789ab~m0123456789abcdef0123456789abcde', index: pair.index });
    // Sent the next day (UTC): that day's hash and alias.
    expect(await ledger.findByProviderId('ATXid_ffffffffffffffffffffffffffffffff', sentAt)).toBeUndefined();
    expect(await ledger.findByProviderId('ATXid_ffffffffffffffffffffffffffffffff', sentAt + day)).toEqual({ messageId: 'b0123456789ab~m0123456789abcdef0123456789abcde', index: 5000 });
    const k = createKeys(prefix).messaging;
    const values = (await Promise.all((await redis.keys(`${prefix}:sms:pids:*`)).filter((key) => !key.endsWith(':aliases')).map((key) => redis.hvals(key)))).flat();
    expect(values.filter((value) => value.startsWith('*'))).toHaveLength(21);
    expect(values).toContain('*1:3uq');
    expect(await redis.hgetall(k.providerIdAliases(Math.floor(sentAt / day)))).toEqual({ '#': '1', 'm:b0123456789ab~m0123456789abcdef0123456789abcde': '1', 'a:1': 'b0123456789ab~m0123456789abcdef0123456789abcde' });
    const keys = await redis.keys(`${prefix}:sms:pids:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(await redis.ttl(key)).toBeGreaterThan(0);
    // Ids recorded by the earlier code (the hex digits as the field, `<messageId>:<index>`) are still found.
    const earlierId = 'ATXid_0123456789abcdef0123456789abcdef';
    // The shard as the earlier code chose it: FNV-1a of the field, of 4,096.
    let hash = 0x811c9dc5;
    for (const c of earlierId.slice(6)) hash = Math.imul(hash ^ c.charCodeAt(0), 0x01000193);
    await redis.hset(k.providerIds(Math.floor(sentAt / day), (hash >>> 0) % 4096), earlierId.slice(6), 'm8:3');
    expect(await fresh.findByProviderId(earlierId, sentAt)).toEqual({ messageId: 'm8', index: 3 });
    // Nothing writes the key per id any more; one written before is still read.
    expect(await redis.keys(`${prefix}:sms:pid:*`)).toEqual([]);
    await redis.set(createKeys(prefix).messaging.legacyProviderMessageId('ATXid_old'), 'm0:7', 'EX', 60);
    expect(await ledger.findByProviderId('ATXid_old', sentAt)).toEqual({ messageId: 'm0', index: 7 });
  });
});
