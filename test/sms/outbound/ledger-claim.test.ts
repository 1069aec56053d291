/**
 * The send worker's claim (Ledger.claim, claimPackedScript) against the general move it stands for
 * (Ledger.transition to `sending` with the attempts as the patch): on two copies of the same
 * ledger, the same answers and the same stored buckets and counts, whatever the entries hold.
 */
import fc from 'fast-check';
import { createKeys } from '../../../src/infra/redis/keys';
import { Ledger } from '../../../src/sms/outbound/ledger.redis';
import type { MessageMeta } from '../../../src/sms/outbound/types';
import { closeRedis, connectTestRedis, deletePrefix, uniquePrefix } from '../../support/redis';
import type { RedisClient } from '../../../src/infra/redis/client';

/** Entries near the bucket edges mostly, so operations find them (and cross buckets). */
const FIELDS = [0, 1, 2, 98, 99];
const STATES = ['q', 'q', 'q', 'g', 'g', 's', 'd', 'f', 'k', 'u', 'x', '{', 'é', ''];

const valueArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom('a', 'Z', '1', '~', '*', '%', '-', '.', ' '), minLength: 1, maxLength: 5 }) },
);
const stampArb = fc.oneof(fc.constant(''), fc.integer({ min: -50_000, max: 5_000_000 }).map((n) => n.toString(36)));
const entryArb = (minLength: number, maxLength: number) => fc.tuple(fc.constantFrom(...STATES), stampArb, fc.array(valueArb, { minLength, maxLength }))
  .map(([state, stamp, values]) => `${state}${stamp}${values.map((value) => `|${value}`).join('')}`);
/**
 * A stored entry: any state letter and time, then fields (empty ones too, trailing ones too), now
 * and then more than the 16 positions the general script keeps.
 */
const rawArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 10, arbitrary: entryArb(0, 6) },
  { weight: 3, arbitrary: entryArb(12, 20) },
);
const baseArb = fc.oneof(fc.constant(1_000), fc.integer({ min: 0, max: 2_000_000_000_000 }));
/** A bucket with a few entries, or with (nearly) all of its hundred, mostly queued with a phone as created. */
const createdArb = fc.tuple(fc.constantFrom('q', 'q', 'g'), fc.integer({ min: 1_000_000, max: 900_000_000 })).map(([state, phone]) => `${state}|${phone.toString(36)}`);
const bucketArb = fc.record({
  base: fc.option(baseArb, { nil: undefined, freq: 6 }),
  entries: fc.oneof(
    fc.array(fc.tuple(fc.oneof(fc.constantFrom(...FIELDS), fc.nat(99)), rawArb), { maxLength: 12 }),
    fc.array(fc.oneof({ weight: 4, arbitrary: createdArb }, { weight: 1, arbitrary: rawArb }), { minLength: 90, maxLength: 100 }).map((raws) => raws.map((raw, field): [number, string] => [field, raw])),
  ),
});
const attemptsArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 40 }) },
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 2_000_000_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(1.5, 2 ** 60, Number.NaN, Number.POSITIVE_INFINITY) },
);
const indexArb = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(0, 1, 2), fc.constantFrom(...FIELDS)).map(([bucket, field]) => bucket * 100 + field) },
  { weight: 1, arbitrary: fc.nat(320) },
);
const countsArb = fc.option(fc.record({ total: fc.nat(300), queued: fc.nat(300), sending: fc.nat(300) }), { nil: undefined });
const caseArb = fc.record({
  grouped: fc.boolean(),
  buckets: fc.array(bucketArb, { minLength: 1, maxLength: 3 }),
  counts: countsArb,
  groupCounts: countsArb,
  // A few entries anywhere, or a run of them (most of a bucket, or across two) as a call claims.
  ops: fc.oneof(
    fc.array(fc.record({ index: indexArb, attempts: attemptsArb }), { minLength: 1, maxLength: 30 }),
    fc.tuple(fc.nat(220), fc.integer({ min: 30, max: 110 }), fc.oneof(attemptsArb.map((attempts) => () => attempts), fc.func(attemptsArb)), fc.array(fc.record({ index: indexArb, attempts: attemptsArb }), { maxLength: 5 }))
      .map(([start, length, attempts, extra]) => [...Array.from({ length }, (_, n) => ({ index: start + n, attempts: attempts(start + n) })), ...extra]),
  ),
  // From the buckets' base (or any time): before it, within its first second, or later.
  now: fc.oneof(fc.integer({ min: -3_000, max: 3_000 }), fc.integer({ min: -10_000_000, max: 100_000_000 })),
  absolute: fc.boolean(),
});

describe('ledger claim', () => {
  let redis: RedisClient;
  let prefix: string;
  let ledger: Ledger;
  let keys: ReturnType<typeof createKeys>['messaging'];

  beforeAll(async () => { redis = await connectTestRedis('ledger-claim-test'); });
  beforeEach(() => {
    prefix = uniquePrefix('claim');
    keys = createKeys(prefix).messaging;
    ledger = new Ledger(redis, createKeys(prefix));
  });
  afterEach(async () => { await deletePrefix(redis, prefix); });
  afterAll(async () => { await closeRedis(redis); });

  /** Buckets 0 .. 3, the counts and the group's counts of a message, as stored. */
  async function stored(messageId: string): Promise<unknown[]> {
    const group = messageId.includes('~') ? messageId.slice(0, messageId.indexOf('~')) : undefined;
    return Promise.all([
      ...[0, 1, 2, 3].map((bucket) => redis.hgetall(keys.recipientBucket(messageId, bucket))),
      redis.hgetall(keys.counts(messageId)),
      group ? redis.hgetall(keys.groupCounts(group)) : Promise.resolve({}),
    ]);
  }

  it('gives the same answers and stored entries and counts as the general move to sending, for any ledger', async () => {
    let run = 0;
    const seen = new Map<string, number>();
    await fc.assert(fc.asyncProperty(caseArb, async (c) => {
      run += 1;
      const ids = c.grouped ? [`ga${run}~m1`, `gb${run}~m1`] : [`pa${run}`, `pb${run}`];
      const firstBase = c.buckets.find((bucket) => bucket.base !== undefined)?.base ?? 0;
      const now = c.absolute ? Math.abs(c.now) * 20_000 : firstBase + c.now;
      for (const messageId of ids) {
        const group = c.grouped ? messageId.slice(0, messageId.indexOf('~')) : undefined;
        for (const [bucket, spec] of c.buckets.entries()) {
          const values: string[] = [];
          if (spec.base !== undefined) values.push('b', String(spec.base));
          for (const [field, raw] of spec.entries) values.push(String(field), raw);
          if (values.length > 0) await redis.hset(keys.recipientBucket(messageId, bucket), ...values);
        }
        if (c.counts) await redis.hset(keys.counts(messageId), c.counts);
        if (group && c.groupCounts) await redis.hset(keys.groupCounts(group), c.groupCounts);
      }
      const [a = '', b = ''] = ids;
      const before = await stored(a);
      expect(await stored(b)).toEqual(before);
      const claimed = await ledger.claim(a, c.ops, now);
      const moved = await ledger.transition(b, c.ops.map((op) => ({ index: op.index, to: 'sending', patch: { attempts: op.attempts } })), now);
      expect(claimed).toEqual(moved);
      expect(await stored(a)).toEqual(await stored(b));
      for (const result of claimed) seen.set(result.code, (seen.get(result.code) ?? 0) + 1);
    }), { numRuns: 400 });
    // The cases reached every answer.
    for (const code of ['moved', 'repeated', 'refused', 'missing']) expect(seen.get(code) ?? 0).toBeGreaterThan(20);
  });

  it('claims a fresh ledger across buckets: queued moves, sending repeats, the rest stays', async () => {
    const meta: MessageMeta = { messageId: 'g1~m1', kind: 'broadcast', purpose: 'broadcast', text: 'Habari', total: 250, segments: 1, batchSize: 100, createdAt: 1_000 };
    await ledger.create(meta, Array.from({ length: 250 }, (_, n) => ({ phone: `+2557120${String(n).padStart(5, '0')}`, state: n === 7 ? 'skipped' as const : 'queued' as const })));
    const results = await ledger.claim('g1~m1', [99, 100, 199, 200, 7, 300].map((index) => ({ index, attempts: 1 })), 61_000);
    expect(results.map((result) => [result.code, result.previous])).toEqual([['moved', 'queued'], ['moved', 'queued'], ['moved', 'queued'], ['moved', 'queued'], ['refused', 'skipped'], ['missing', undefined]]);
    expect((await ledger.claim('g1~m1', [{ index: 100, attempts: 2 }], 62_000))[0]).toEqual({ index: 100, code: 'repeated', previous: 'sending' });
    expect(await ledger.entry('g1~m1', 100)).toMatchObject({ state: 'sending', attempts: 2, updatedAt: 62_000 });
    expect(await redis.hget(keys.recipientBucket('g1~m1', 1), '0')).toBe('g1p|4v7vuyo|2');
    expect(await ledger.counts('g1~m1')).toMatchObject({ total: 250, queued: 245, sending: 4, skipped: 1 });
    expect(await ledger.groupCounts('g1')).toMatchObject({ total: 250, queued: 245, sending: 4, skipped: 1 });
  });

  it('claims a ledger written in the earlier layout (one hash of JSON entries) through the general move', async () => {
    await redis.hset(keys.meta('m7'), 'json', JSON.stringify({ messageId: 'm7', kind: 'broadcast', purpose: 'broadcast', text: 'Habari', total: 3, segments: 1, batchSize: 100, createdAt: 1 }));
    await redis.hset(keys.recipients('m7'),
      '0', JSON.stringify({ phone: '+255712000001', state: 'queued', updatedAt: 5 }),
      '1', JSON.stringify({ s: 'q', t: '0', p: '+255712000002' }),
      '2', JSON.stringify({ s: 's', t: '1', p: '+255712000003', a: 1 }));
    await redis.hset(keys.counts('m7'), 'total', '3', 'queued', '2', 'sent', '1');
    expect(await ledger.claim('m7', [{ index: 0, attempts: 1 }, { index: 1, attempts: 3 }, { index: 2, attempts: 2 }, { index: 3, attempts: 1 }], 1000)).toEqual([
      { index: 0, code: 'moved', previous: 'queued' }, { index: 1, code: 'moved', previous: 'queued' }, { index: 2, code: 'refused', previous: 'sent' }, { index: 3, code: 'missing' },
    ]);
    expect(await ledger.entries('m7', [0, 1, 2])).toEqual([
      { index: 0, phone: '+255712000001', state: 'sending', updatedAt: 1000, attempts: 1 },
      { index: 1, phone: '+255712000002', state: 'sending', updatedAt: 1000, attempts: 3 },
      { index: 2, phone: '+255712000003', state: 'sent', updatedAt: Date.UTC(2026, 0, 1) + 1, attempts: 1 },
    ]);
    expect(await ledger.counts('m7')).toMatchObject({ total: 3, queued: 0, sending: 2, sent: 1 });
    // Nothing was written in the packed layout; the ledger now knows the message's layout and goes there first.
    expect(await redis.keys(`${prefix}:sms:*:rb:*`)).toEqual([]);
    expect((await ledger.claim('m7', [{ index: 0, attempts: 2 }], 2000))[0]).toEqual({ index: 0, code: 'repeated', previous: 'sending' });
    expect(await ledger.entry('m7', 0)).toMatchObject({ state: 'sending', attempts: 2, updatedAt: 2000 });
  });

  it('three claims of the same 150 entries at once, from two Ledger objects: each entry moves for exactly one of them', async () => {
    const total = 150;
    const created = Date.UTC(2026, 5, 1);
    await ledger.create({ messageId: 'race', kind: 'broadcast', purpose: 'broadcast', text: 'Habari', total, segments: 1, batchSize: 100, createdAt: created },
      Array.from({ length: total }, (_, n) => ({ phone: `+2557130${String(n).padStart(5, '0')}`, state: 'queued' as const })));
    const entries = Array.from({ length: total }, (_, index) => ({ index, attempts: 1 }));
    const other = new Ledger(redis, createKeys(prefix));
    const answers = await Promise.all([ledger.claim('race', entries, created + 1000), other.claim('race', [...entries].reverse(), created + 1000), ledger.claim('race', entries.slice(40, 120), created + 1000)]);
    for (let index = 0; index < total; index += 1) {
      const moved = answers.flat().filter((result) => result.index === index && result.code === 'moved');
      expect(moved).toHaveLength(1);
    }
    expect(answers.flat().filter((result) => result.code !== 'moved').every((result) => result.code === 'repeated' && result.previous === 'sending')).toBe(true);
    expect(await ledger.counts('race')).toMatchObject({ total, queued: 0, sending: total });
  });
});
