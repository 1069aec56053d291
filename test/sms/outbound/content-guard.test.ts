/**
 * The content guard's window on its own: a count covers at least the last 30 minutes (10-minute
 * buckets, so up to 40), a pair counted before the buckets is still read, and what it keeps holds
 * no phone number and lives on one Cluster hash tag.
 */
import { CONTENT_BUCKET_S, CONTENT_LAYOUT_TRANSITION_S, CONTENT_SHARDS, ContentGuard, contentLayoutKey } from '../../../src/sms/outbound/content-guard.redis';
import { createKeys } from '../../../src/infra/redis/keys';
import { createHash } from 'node:crypto';
import { closeRedis, connectTestRedis, deletePrefix, uniquePrefix } from '../../support/redis';
import { createRedis, waitForReady, type RedisClient } from '../../../src/infra/redis/client';
import { startPrivateRedis } from '../../../src/infra/redis/private-redis';

const MINUTE = 60_000;
let redis: RedisClient;
let prefix: string;

beforeAll(async () => { redis = await connectTestRedis('content-guard-test'); });
beforeEach(() => { prefix = uniquePrefix('guard'); });
afterEach(async () => { await deletePrefix(redis, prefix); });
afterAll(async () => { await closeRedis(redis); });

function guardAt(cap: number, clock: { at: number }): ContentGuard {
  return new ContentGuard(redis, createKeys(prefix), cap, () => clock.at);
}

test('a repeat within 30 minutes is over the cap wherever the buckets fall; past 40 minutes it counts anew', async () => {
  // Start a minute before a bucket ends, so the window spans several buckets.
  for (const offset of [9 * MINUTE, 0, 5 * MINUTE]) {
    const clock = { at: Date.UTC(2026, 5, 1, 8, 0) + offset };
    const guard = guardAt(1, clock);
    const text = `Habari ${offset}`;
    expect(await guard.overCap(['+255712000001', '+255712000002'], text)).toEqual(new Set());
    for (const later of [1, 10, 20, 29.9]) {
      clock.at = Date.UTC(2026, 5, 1, 8, 0) + offset + later * MINUTE;
      expect(await guard.overCap(['+255712000001'], text)).toEqual(new Set(['+255712000001']));
    }
    // Another text, or another phone, is not affected.
    expect(await guard.overCap(['+255712000001'], `${text}!`)).toEqual(new Set());
    expect(await guard.overCap(['+255712000003'], text)).toEqual(new Set());
    clock.at = Date.UTC(2026, 5, 1, 8, 0) + offset + 40 * MINUTE + 1000;
    expect(await guard.overCap(['+255712000001', '+255712000002'], text)).toEqual(new Set());
    expect(await guard.overCap(['+255712000002'], text)).toEqual(new Set(['+255712000002']));
  }
});

test('counts up to the cap within one call and across calls, and never counts a send over it', async () => {
  const clock = { at: Date.UTC(2026, 5, 1, 8, 0) };
  const guard = guardAt(2, clock);
  expect(await guard.overCap(['+255712000001', '+255712000001', '+255712000001'], 'a')).toEqual(new Set(['+255712000001']));
  clock.at += 15 * MINUTE;
  expect(await guard.overCap(['+255712000001'], 'a')).toEqual(new Set(['+255712000001']));
  expect(await guard.overCap(['+255712000002'], 'a')).toEqual(new Set());
});

test('a pair counted in the earlier one-key-per-pair form is still at the cap', async () => {
  const clock = { at: Date.UTC(2026, 5, 1, 8, 0) };
  const pair = createHash('sha256').update('+255712000009\u0000Karibu').digest('hex').slice(0, 32);
  await redis.set(createKeys(prefix).routing.contentRepeatEarlier(pair), '1', 'EX', 600);
  expect(await guardAt(1, clock).overCap(['+255712000009', '+255712000008'], 'Karibu')).toEqual(new Set(['+255712000009']));
});

test('keeps no phone number, few keys, all on the {repeat} hash tag, each expiring', async () => {
  const clock = { at: Date.UTC(2026, 5, 1, 8, 0) };
  const phones = Array.from({ length: 3000 }, (_, n) => `+2557${String(12000000 + n)}`);
  await guardAt(1, clock).overCap(phones, 'Mkutano saa 3');
  const keys = await redis.keys(`${prefix}:*`);
  expect(keys.length).toBeGreaterThan(0);
  expect(keys.length).toBeLessThan(phones.length);
  let fields = 0;
  for (const key of keys) {
    expect(key).toContain('{repeat}');
    expect(await redis.ttl(key)).toBeGreaterThan(30 * 60);
    if (key === contentLayoutKey(createKeys(prefix))) {
      // The layout hash: when the layout started and which buckets it counted in, nothing of a pair.
      expect(Object.keys(await redis.hgetall(key)).sort()).toEqual(['b' + Math.floor(clock.at / 1000 / CONTENT_BUCKET_S), 'since']);
      continue;
    }
    const hash = await redis.hgetall(key);
    fields += Object.keys(hash).length;
    // A field is 48 bits of a digest of the pair: far too short to hold a number.
    for (const field of Object.keys(hash)) expect(field).toMatch(/^[\w-]{8}$/);
    expect(key).not.toMatch(/712\d{6}/);
  }
  expect(fields).toBe(phones.length);
});

/** The layout as if it had started an hour ago: only the buckets it marked are read, and no pair key. */
async function layoutStartedLongAgo(client: RedisClient = redis, keyPrefix = prefix): Promise<void> {
  const [seconds] = await client.time();
  await client.hset(contentLayoutKey(createKeys(keyPrefix)), 'since', Number(seconds) - CONTENT_LAYOUT_TRANSITION_S - 1);
}

async function commandCalls(client: RedisClient): Promise<Record<string, number>> {
  const info = await client.info('commandstats');
  const calls: Record<string, number> = {};
  for (const match of info.matchAll(/cmdstat_(\w+):calls=(\d+)/g)) calls[match[1] as string] = Number(match[2]);
  return calls;
}

test('once the layout is older than anything before it, a fresh window reads no earlier bucket and no pair key, and still counts', async () => {
  // Command statistics are the server's: this test counts on a redis-server of its own, since the
  // suite's other files share the run's one.
  const server = await startPrivateRedis({ appendOnly: false, label: 'guard-commands' });
  const own = createRedis({ url: server.url, commandTimeoutMs: 2000, name: 'guard-commands' });
  try {
    expect(await waitForReady(own, 5000)).toBe(true);
    const clock = { at: Date.UTC(2026, 5, 1, 8, 5) };
    await layoutStartedLongAgo(own);
    const guard = new ContentGuard(own, createKeys(prefix), 1, () => clock.at);
    const phones = Array.from({ length: 500 }, (_, n) => `+2557${String(13000000 + n)}`);
    await guard.overCap(phones.slice(0, 1), 'Karibu');
    await own.config('RESETSTAT');
    expect(await guard.overCap(phones, 'Habari')).toEqual(new Set());
    const calls = await commandCalls(own);
    // Per pair one HINCRBY and one EXPIRE; no GET, and HGET only on the layout hash (one per call).
    expect(calls.hincrby).toBe(500);
    expect(calls.get ?? 0).toBe(0);
    expect(calls.hget ?? 0).toBeLessThanOrEqual(1);
    expect(await guard.overCap(phones.slice(0, 3), 'Habari')).toEqual(new Set(phones.slice(0, 3)));
  } finally {
    await closeRedis(own);
    await server.stop();
  }
});

test('after the transition, a repeat across buckets is still over the cap: the buckets the layout counted in are read', async () => {
  for (const offset of [9 * MINUTE, 0]) {
    prefix = uniquePrefix('guard');
    await layoutStartedLongAgo();
    const clock = { at: Date.UTC(2026, 5, 1, 8, 0) + offset };
    const guard = guardAt(2, clock);
    const start = clock.at;
    expect(await guard.overCap(['+255712000001'], 'Habari')).toEqual(new Set());
    clock.at = start + 10 * MINUTE;
    expect(await guard.overCap(['+255712000001', '+255712000002'], 'Habari')).toEqual(new Set());
    // Two sends of the pair in three buckets' reach: the third is over the cap until 30 minutes have passed.
    clock.at = start + 29.9 * MINUTE;
    expect(await guard.overCap(['+255712000001', '+255712000003'], 'Habari')).toEqual(new Set(['+255712000001']));
    await deletePrefix(redis, prefix);
  }
});

test('a bucket counted in by another process after this one planned is still read (its clock behind by a bucket)', async () => {
  await layoutStartedLongAgo();
  const ahead = { at: Date.UTC(2026, 5, 1, 8, 15) };
  const behind = { at: Date.UTC(2026, 5, 1, 8, 5) };
  const guard = guardAt(1, ahead);
  // This process plans its bucket: nothing earlier counted.
  expect(await guard.overCap(['+255712000007'], 'Mkutano')).toEqual(new Set());
  // Another process, a bucket behind, counts the pair in the previous bucket.
  expect(await guardAt(1, behind).overCap(['+255712000001'], 'Mkutano')).toEqual(new Set());
  // The stale plan is refused by the script and this process reads the bucket.
  expect(await guard.overCap(['+255712000001'], 'Mkutano')).toEqual(new Set(['+255712000001']));
});

test('while the layout is new, a bucket hash written before it (no mark) and a pair key are read', async () => {
  const clock = { at: Date.UTC(2026, 5, 1, 8, 15) };
  const phone = '+255712000005';
  const digest = createHash('sha256').update(`${phone}\u0000Karibu`).digest();
  const bucket = Math.floor(clock.at / 1000 / CONTENT_BUCKET_S);
  await redis.hset(createKeys(prefix).routing.contentRepeat(bucket - 2, digest.readUInt16BE(0) % CONTENT_SHARDS), digest.subarray(2, 8).toString('base64url'), '1');
  const guard = guardAt(1, clock);
  expect(await guard.overCap([phone, '+255712000006'], 'Karibu')).toEqual(new Set([phone]));
  // Once the layout is old, a bucket it never marked is not read (such a hash has expired by then).
  await layoutStartedLongAgo();
  expect(await guard.overCap(['+255712000004'], 'Karibu')).toEqual(new Set());
  expect(await guard.overCap([phone], 'Karibu')).toEqual(new Set());
});

test('on a fresh install the transition ends after one scan; anything from before (a pair counter, an unmarked bucket) keeps it', async () => {
  const clock = { at: Date.UTC(2026, 5, 1, 8, 15) };
  const layout = contentLayoutKey(createKeys(prefix));
  const sinceNow = async (): Promise<number> => Number((await redis.time())[0]) - Number(await redis.hget(layout, 'since'));
  const fresh = guardAt(1, clock);
  expect(await fresh.overCap(['+255712000001', '+255712000002'], 'Karibu')).toEqual(new Set());
  await fresh.transitionChecked();
  expect(await sinceNow()).toBeGreaterThanOrEqual(CONTENT_LAYOUT_TRANSITION_S);
  // Still counted: the marked bucket is read.
  expect(await fresh.overCap(['+255712000001'], 'Karibu')).toEqual(new Set(['+255712000001']));

  for (const before of ['pair', 'bucket'] as const) {
    await deletePrefix(redis, prefix);
    prefix = uniquePrefix('guard');
    const keys = createKeys(prefix);
    if (before === 'pair') await redis.set(keys.routing.contentRepeatEarlier('0123456789abcdef0123456789abcdef'), '1', 'EX', 600);
    else await redis.hset(keys.routing.contentRepeat(Math.floor(clock.at / 1000 / CONTENT_BUCKET_S) - 1, 7), 'AAAAAAAA', '1');
    const guard = guardAt(1, clock);
    await guard.overCap(['+255712000001'], 'Karibu');
    await guard.transitionChecked();
    expect(Number((await redis.time())[0]) - Number(await redis.hget(contentLayoutKey(keys), 'since'))).toBeLessThan(60);
  }
});

test('prepared at worker start, the layout of a fresh install starts past its transition; anything from before keeps it', async () => {
  const clock = { at: Date.UTC(2026, 5, 1, 8, 15) };
  const keys = createKeys(prefix);
  const layout = contentLayoutKey(keys);
  const age = async (): Promise<number> => Number((await redis.time())[0]) - Number(await redis.hget(layout, 'since'));
  // Fresh: no call yet, and the layout is already old enough that only marked buckets are read.
  await guardAt(1, clock).prepare();
  expect(await age()).toBeGreaterThanOrEqual(CONTENT_LAYOUT_TRANSITION_S);
  expect(await redis.ttl(layout)).toBeGreaterThan(0);
  const guard = guardAt(1, clock);
  expect(await guard.overCap(['+255712000001'], 'Karibu')).toEqual(new Set());
  expect(await guard.overCap(['+255712000001'], 'Karibu')).toEqual(new Set(['+255712000001']));
  // A second process preparing later leaves it as it is.
  const since = await redis.hget(layout, 'since');
  await guardAt(1, clock).prepare();
  expect(await redis.hget(layout, 'since')).toBe(since);

  // A pair counter of the layout before: nothing is settled, and the first call still reads it.
  await deletePrefix(redis, prefix);
  prefix = uniquePrefix('guard');
  const pair = createHash('sha256').update('+255712000009\u0000Karibu').digest('hex').slice(0, 32);
  await redis.set(createKeys(prefix).routing.contentRepeatEarlier(pair), '1', 'EX', 600);
  const before = guardAt(1, clock);
  await before.prepare();
  expect(await redis.hexists(contentLayoutKey(createKeys(prefix)), 'since')).toBe(0);
  expect(await before.overCap(['+255712000009', '+255712000008'], 'Karibu')).toEqual(new Set(['+255712000009']));

  // A call (another process) began the layout first: the usual look ends its transition.
  await deletePrefix(redis, prefix);
  prefix = uniquePrefix('guard');
  expect(await guardAt(1, clock).overCap(['+255712000002'], 'Karibu')).toEqual(new Set());
  const late = guardAt(1, clock);
  await late.prepare();
  expect(Number((await redis.time())[0]) - Number(await redis.hget(contentLayoutKey(createKeys(prefix)), 'since'))).toBeGreaterThanOrEqual(CONTENT_LAYOUT_TRANSITION_S);
  expect(await late.overCap(['+255712000002'], 'Karibu')).toEqual(new Set(['+255712000002']));

  // A call at the same moment as the look, however they interleave: its count is never lost.
  for (let round = 0; round < 10; round += 1) {
    await deletePrefix(redis, prefix);
    prefix = uniquePrefix('guard');
    const racing = guardAt(1, clock);
    await Promise.all([racing.prepare(), guardAt(1, clock).overCap(['+255712000003'], 'Karibu')]);
    expect(await racing.overCap(['+255712000003'], 'Karibu')).toEqual(new Set(['+255712000003']));
  }
});
