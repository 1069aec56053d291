/**
 * The content guard's window on its own: a count covers at least the last 30 minutes (10-minute
 * buckets, so up to 40), a pair counted before the buckets is still read, and what it keeps holds
 * no phone number and lives on one Cluster hash tag.
 */
import { ContentGuard } from '../../../src/sms/outbound/content-guard.redis';
import { createKeys } from '../../../src/infra/redis/keys';
import { createHash } from 'node:crypto';
import { closeRedis, connectTestRedis, deletePrefix, uniquePrefix } from '../../support/redis';
import type { RedisClient } from '../../../src/infra/redis/client';

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
    const hash = await redis.hgetall(key);
    fields += Object.keys(hash).length;
    // A field is 48 bits of a digest of the pair: far too short to hold a number.
    for (const field of Object.keys(hash)) expect(field).toMatch(/^[\w-]{8}$/);
    expect(key).not.toMatch(/712\d{6}/);
  }
  expect(fields).toBe(phones.length);
});
