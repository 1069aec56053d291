import fc from 'fast-check';
import { createKeys } from '../../../src/infra/redis/keys';
import { Ledger, type TransitionOp } from '../../../src/sms/outbound/ledger.redis';
import type { MessageMeta } from '../../../src/sms/outbound/types';
import { packSentValues } from '../../../src/sms/outbound/ledger-record-script';
import { closeRedis, connectTestRedis, deletePrefix, uniquePrefix } from '../../support/redis';
import type { RedisClient } from '../../../src/infra/redis/client';

/** recordSent against the generic transition: the same stored entries, counts and answers for any ledger. */
describe('ledger: recording sent', () => {
  let redis: RedisClient;
  let prefix: string;

  beforeAll(async () => { redis = await connectTestRedis('ledger-record-test'); });
  beforeEach(() => { prefix = uniquePrefix('ledger-record'); });
  afterEach(async () => { await deletePrefix(redis, prefix); });
  afterAll(async () => { await closeRedis(redis); });

  const CREATED = Date.UTC(2026, 5, 1);
  const meta = (messageId: string, total: number): MessageMeta => ({ messageId, kind: 'broadcast', purpose: 'broadcast', text: 'Habari', total, segments: 1, batchSize: 100, createdAt: CREATED });

  // Packed field values: empty, usual and odd ones (never '|', as the codec guarantees).
  const value = fc.oneof(fc.constant(''), fc.constantFrom('1', '2', 'abc', '~x', '*3', 'TZS22', 'A', '%25'), fc.string({ maxLength: 6 }).map((text) => text.replace(/\|/g, '')));
  const head = fc.tuple(fc.constantFrom('q', 'g', 'g', 'g', 'g', 's', 'd', 'f', 'k', 'u', 'x', '', 'Z', '.', '✓'), fc.constantFrom('', '', '5', 'zz'));
  // A stored entry: mostly the usual sending form (phone and attempts), else any fields, trailing empty ones too.
  const usualEntry = fc.tuple(fc.constantFrom('', '5', 'a1'), fc.constantFrom('2GkZ3r', '~0712', ''), fc.constantFrom('1', '2', ''), fc.nat(2))
    .map(([time, phone, attempts, form]) => (form === 0 ? `g${time}|${phone}|${attempts}` : form === 1 ? `g${time}|${phone}` : `g${time}`));
  const anyEntry = fc.tuple(head, fc.oneof(fc.array(value, { maxLength: 10 }), fc.array(value, { minLength: 14, maxLength: 20 }))).map(([[state, time], fields]) => [`${state}${time}`, ...fields].join('|'));
  const stored = fc.oneof({ weight: 5, arbitrary: usualEntry }, { weight: 4, arbitrary: anyEntry }, { weight: 1, arbitrary: fc.constant(undefined) });

  const providerId = fc.oneof(
    fc.stringMatching(/^[0-9a-f]{32}$/).map((hex) => `ATXid_${hex}`),
    fc.stringMatching(/^[0-9A-Z]{1,12}$/).map((id) => `OUTBOX_${id}`),
    fc.string({ maxLength: 8 }),
    fc.constantFrom('a|b', '%7C', '*', '', 'ATXid_1', 'x\ny', 'njia✓é', '\ud800'),
  );
  const patch = fc.record({
    providerMessageId: providerId,
    statusCode: fc.option(fc.constantFrom(100, 101, 102, 401, 0, 1.5), { nil: undefined }),
    cost: fc.option(fc.record({ currency: fc.constantFrom('TZS', 'KES', 'T Z', ''), amount: fc.constantFrom(22, 0, 22.5, -1) }), { nil: undefined }),
    parts: fc.option(fc.constantFrom(1, 2, 7), { nil: undefined }),
    route: fc.option(fc.constantFrom('africastalking', 'outbox', 'smpp', 'odd|route', ''), { nil: undefined }),
  }, { requiredKeys: ['providerMessageId'] });

  const op = (total: number) => fc.record({
    index: fc.oneof(fc.integer({ min: 0, max: total + 3 }), fc.constantFrom(99, 100, 199, 200)),
    patch: fc.option(patch, { nil: undefined, freq: 10 }),
    merge: fc.constantFrom(true, true, true, true, false),
    to: fc.constantFrom('sent', 'sent', 'sent', 'sent', 'sent', 'sent', 'failed'),
  });
  const scenario = fc.integer({ min: 1, max: 230 }).chain((total) => fc.record({
    total: fc.constant(total),
    entries: fc.array(stored, { minLength: total, maxLength: total }),
    baseless: fc.option(fc.nat(2), { nil: undefined }),
    // A few ops, or a whole call's (about a hundred).
    ops: fc.oneof(fc.array(op(total), { minLength: 1, maxLength: 10 }), fc.array(op(total), { minLength: 90, maxLength: 120 })),
    // Most calls are all sent with merge (the lighter script); the others take the generic one.
    mixed: fc.constantFrom(false, false, false, false, true),
    grouped: fc.boolean(),
    later: fc.constantFrom(0, 999, 1000, 61_000, 5_000_000),
  }));

  it('gives the stored entries, counts, group counts and answers of the generic transition', async () => {
    const ledger = new Ledger(redis, createKeys(prefix));
    const k = createKeys(prefix).messaging;
    let run = 0;
    await fc.assert(fc.asyncProperty(scenario, async ({ total, entries, baseless, ops, grouped, later, mixed }) => {
      run += 1;
      const ids = grouped ? [`ga${run}~m`, `gb${run}~m`] : [`a${run}`, `b${run}`];
      const buckets = Math.ceil(total / 100);
      for (const id of ids) {
        await ledger.create(meta(id, total), Array.from({ length: total }, (_, n) => ({ phone: `+2557120${String(n).padStart(5, '0')}`, state: 'queued' as const })));
        for (let bucket = 0; bucket < buckets; bucket += 1) {
          const key = k.recipientBucket(id, bucket);
          const set: string[] = [];
          const gone: string[] = [];
          for (let n = bucket * 100; n < Math.min(total, bucket * 100 + 100); n += 1) {
            const raw = entries[n];
            if (raw === undefined) gone.push(String(n - bucket * 100));
            else set.push(String(n - bucket * 100), raw);
          }
          if (set.length > 0) await redis.hset(key, ...set);
          if (gone.length > 0) await redis.hdel(key, ...gone);
          if (baseless === bucket) await redis.hdel(key, 'b');
        }
      }
      const transitionOps = ops.map((op): TransitionOp => ({
        index: op.index, to: mixed ? op.to as TransitionOp['to'] : 'sent', ...(op.patch ? { patch: op.patch } : {}), ...(op.merge || !mixed ? { merge: true } : {}),
      }));
      const now = CREATED + later;
      const generic = await ledger.transition(ids[0] ?? '', transitionOps, now);
      const recorded = await ledger.recordSent(ids[1] ?? '', transitionOps, now);
      expect(recorded).toEqual(generic);
      for (let bucket = 0; bucket <= buckets; bucket += 1) {
        expect(await redis.hgetall(k.recipientBucket(ids[1] ?? '', bucket))).toEqual(await redis.hgetall(k.recipientBucket(ids[0] ?? '', bucket)));
      }
      expect(await redis.hgetall(k.counts(ids[1] ?? ''))).toEqual(await redis.hgetall(k.counts(ids[0] ?? '')));
      if (grouped) expect(await redis.hgetall(k.groupCounts(`gb${run}`))).toEqual(await redis.hgetall(k.groupCounts(`ga${run}`)));
    }), { numRuns: 150 });
  }, 120_000);

  it('moves the usual sending entries to sent in one call across buckets, the counts with them', async () => {
    const ledger = new Ledger(redis, createKeys(prefix));
    const total = 150;
    await ledger.create(meta('m1', total), Array.from({ length: total }, (_, n) => ({ phone: `+2557120${String(n).padStart(5, '0')}`, state: 'queued' as const })));
    await ledger.transition('m1', Array.from({ length: total }, (_, index) => ({ index, to: 'sending' as const, patch: { attempts: 1 } })), CREATED + 1000);
    const ops = Array.from({ length: total }, (_, index): TransitionOp => ({
      index, to: 'sent', merge: true,
      patch: { providerMessageId: `ATXid_${index.toString(16).padStart(32, '0')}`, statusCode: 101, cost: { currency: 'TZS', amount: 22 }, parts: 1, route: 'africastalking' },
    }));
    const results = await ledger.recordSent('m1', ops, CREATED + 2000);
    expect(results.every((result) => result.code === 'moved' && result.previous === 'sending')).toBe(true);
    expect(await ledger.entry('m1', 120)).toEqual({
      index: 120, phone: '+255712000120', state: 'sent', updatedAt: CREATED + 2000, attempts: 1,
      providerMessageId: `ATXid_${(120).toString(16).padStart(32, '0')}`, statusCode: 101, cost: { currency: 'TZS', amount: 22 }, parts: 1, route: 'africastalking',
    });
    expect(await ledger.counts('m1')).toMatchObject({ total, sending: 0, sent: total });
  });

  it('a call recorded while delivery reports for it arrive: every entry ends delivered with its provider id, and the counts add up', async () => {
    const ledger = new Ledger(redis, createKeys(prefix));
    const total = 150;
    await ledger.create(meta('r1', total), Array.from({ length: total }, (_, n) => ({ phone: `+2557140${String(n).padStart(5, '0')}`, state: 'queued' as const })));
    await ledger.claim('r1', Array.from({ length: total }, (_, index) => ({ index, attempts: 1 })), CREATED + 1000);
    const id = (index: number): string => `ATXid_${index.toString(16).padStart(32, '0')}`;
    const ops = Array.from({ length: total }, (_, index): TransitionOp => ({ index, to: 'sent', merge: true, patch: { providerMessageId: id(index), statusCode: 101, parts: 1, route: 'africastalking' } }));
    const report = (index: number, at: number) => ledger.transition('r1', [{ index, to: 'delivered', patch: { lastReport: 'Success' } }], at);
    const third = (rest: number): number[] => Array.from({ length: total }, (_, index) => index).filter((index) => index % 3 === rest);
    // A third of the reports beat the record, a third race it, a third come after it.
    await Promise.all(third(0).map((index) => report(index, CREATED + 1500)));
    await Promise.all([ledger.recordSent('r1', ops, CREATED + 2000), ...third(1).map((index) => report(index, CREATED + 2000))]);
    await Promise.all(third(2).map((index) => report(index, CREATED + 3000)));
    const entries = await ledger.range('r1', 0, total);
    expect(entries.map((entry) => [entry.state, entry.providerMessageId, entry.route])).toEqual(Array.from({ length: total }, (_, index) => ['delivered', id(index), 'africastalking']));
    expect(await ledger.counts('r1')).toMatchObject({ total, queued: 0, sending: 0, sent: 0, delivered: total });
  });

  it('leaves a message in the earlier layout (one hash of JSON entries) to the generic transition', async () => {
    const ledger = new Ledger(redis, createKeys(prefix));
    const k = createKeys(prefix).messaging;
    for (const id of ['e1', 'e2']) {
      await redis.hset(k.meta(id), 'json', JSON.stringify(meta(id, 2)));
      await redis.hset(k.recipients(id),
        '0', JSON.stringify({ s: 'g', t: '1', p: '+255712000003', a: 1 }),
        '1', JSON.stringify({ phone: '+255712000001', state: 'delivered', updatedAt: 5, attempts: 1, lastReport: 'Success' }));
      await redis.hset(k.counts(id), 'total', '2', 'sending', '1', 'delivered', '1');
    }
    const ops: TransitionOp[] = [0, 1].map((index) => ({ index, to: 'sent', merge: true, patch: { providerMessageId: `ATXid_${'ab'.repeat(16)}`, statusCode: 101, parts: 1 } }));
    const recorded = await ledger.recordSent('e1', ops, 9000);
    expect(recorded).toEqual([{ index: 0, code: 'moved', previous: 'sending' }, { index: 1, code: 'refused', previous: 'delivered' }]);
    expect(recorded).toEqual(await new Ledger(redis, createKeys(prefix)).transition('e2', ops, 9000));
    expect(await redis.hgetall(k.recipients('e1'))).toEqual(await redis.hgetall(k.recipients('e2')));
    expect(await redis.hgetall(k.counts('e1'))).toEqual(await redis.hgetall(k.counts('e2')));
    expect(await ledger.entry('e1', 1)).toMatchObject({ state: 'delivered', providerMessageId: `ATXid_${'ab'.repeat(16)}`, parts: 1, lastReport: 'Success' });
    // Nothing was written in the packed layout; the ledger now takes the earlier layout's script at once.
    expect(await redis.keys(`${prefix}:sms:*:rb:*`)).toEqual([]);
    expect((await ledger.recordSent('e1', [ops[0] as TransitionOp], 9500))[0]?.code).toBe('repeated');
  });
});

/** The packed values of the status code .. route are kept from the call before (a call's recipients share them): that must never change an answer. */
test('packSentValues gives the same values after any earlier patch as it gives on its own', () => {
  const patch = fc.record({
    providerMessageId: fc.constantFrom('ATXid_0123456789abcdef0123456789abcdef', 'OUTBOX_7', 'a|b'),
    statusCode: fc.constantFrom(101, 102, undefined),
    cost: fc.constantFrom({ currency: 'TZS', amount: 22 }, { currency: 'TZS', amount: 0 }, { currency: 'KES', amount: 0.8 }, { currency: undefined as unknown as string, amount: undefined as unknown as number }, undefined),
    parts: fc.constantFrom(1, 2, undefined),
    route: fc.constantFrom('africastalking', 'smpp', 'a|b', undefined),
  }, { requiredKeys: ['providerMessageId'] });
  // A patch unlike any other, so the next call cannot reuse what the one before packed.
  const cold = (p: Parameters<typeof packSentValues>[0]): string | undefined => {
    packSentValues({ providerMessageId: 'OUTBOX_cold', statusCode: 999, parts: 99, route: 'cold' });
    return packSentValues(p);
  };
  fc.assert(fc.property(fc.array(patch, { minLength: 1, maxLength: 8 }), (patches) => {
    const expected = patches.map(cold);
    expect(patches.map((p) => packSentValues(p))).toEqual(expected);
  }), { numRuns: 300 });
});
