import { bulkShare, SendRateLimiter } from '../../../src/sms/outbound/rate-limiter.redis';
import { createKeys } from '../../../src/infra/redis/keys';
import type { RedisClient } from '../../../src/infra/redis/client';
import { closeRedis, connectTestRedis, deletePrefix, uniquePrefix } from '../../support/redis';
import { busiestWindow, buildMessaging, eventually, FakeProvider, phones, type TestMessaging } from './helpers';

describe('global send rate', () => {
  let redis: RedisClient;
  let built: TestMessaging;

  beforeAll(async () => { redis = await connectTestRedis('rate-test'); });
  afterAll(async () => {
    await built.messaging.close();
    await deletePrefix(redis, built.prefix);
    await closeRedis(redis);
  });

  it('keeps a fifth of the rate for replies', () => {
    expect([1, 2, 5, 10, 100].map(bulkShare)).toEqual([1, 1, 4, 8, 80]);
  });

  it('keeps one log member per call, counted by its recipients, and gives back only the slots a call did not use', async () => {
    const prefix = uniquePrefix('pace-members');
    const keys = createKeys(prefix);
    const limiter = new SendRateLimiter(redis, keys, 10);
    try {
      const grant = await limiter.take(7, 'priority');
      expect(grant?.count).toBe(7);
      // One member for the call, and the log's load beside it.
      expect(await redis.zrange(keys.pacing.global(), 0, -1, 'WITHSCORES')).toEqual([`${grant!.token}:7`, expect.any(String), '#load', String(1e15 + 7)]);
      // 3 left now; not all 5 at once, so as many as are free.
      expect((await limiter.take(5, 'priority'))?.count).toBe(3);
      await limiter.release(grant!, 4);
      expect(await redis.zrange(keys.pacing.global(), 0, -1)).toEqual(expect.arrayContaining([`${grant!.token}:4`]));
      // The 3 given back are free again, and no more.
      expect((await limiter.take(10, 'priority'))?.count).toBe(3);
      // Full: nothing for the next 200 ms (the first call's 4 leave a second after it was stamped).
      expect(await limiter.take(1, 'priority', { signal: AbortSignal.timeout(200) })).toBeUndefined();
      await limiter.release(grant!, 5); // never more than it kept
      expect(await redis.zrange(keys.pacing.global(), 0, -1)).toEqual(expect.arrayContaining([`${grant!.token}:4`]));
      await limiter.release(grant!, 0);
      expect(await redis.zscore(keys.pacing.global(), `${grant!.token}:4`)).toBeNull();
      expect(await redis.zscore(keys.pacing.global(), '#load')).toBe(String(1e15 + 6)); // the two later calls, 3 each
    } finally {
      await deletePrefix(redis, prefix);
    }
  });

  it('reads a log an earlier build wrote (one member per recipient, token:1..n, no load) by over-counting it, never under, until those calls leave', async () => {
    const prefix = uniquePrefix('pace-earlier');
    const keys = createKeys(prefix);
    const limiter = new SendRateLimiter(redis, keys, 10);
    try {
      // An earlier build's call of 4 recipients, stamped now by Redis's clock, beside no load member.
      const [seconds, micros] = (await redis.time()) as [string | number, string | number];
      const nowMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
      await redis.zadd(keys.pacing.global(), nowMs, 'earlier:1', nowMs, 'earlier:2', nowMs, 'earlier:3', nowMs, 'earlier:4');
      // Read as counts, its members weigh 1+2+3+4 = 10: the whole rate is held, where 4 were sent.
      expect(await limiter.take(1, 'priority', { signal: AbortSignal.timeout(300) })).toBeUndefined();
      expect(await redis.zscore(keys.pacing.global(), '#load')).toBe(String(1e15 + 10));
      // Once that call has left the window (a second and the guard), the whole rate is free again.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await limiter.take(10, 'priority', { whole: true, signal: AbortSignal.timeout(500) }))?.count).toBe(10);
      expect(await redis.zscore(keys.pacing.global(), 'earlier:4')).toBeNull();
    } finally {
      await deletePrefix(redis, prefix);
    }
  });

  it('counts a call out of the log once it leaves the window, also when the call that noticed was refused', async () => {
    const prefix = uniquePrefix('pace-load');
    const limiter = new SendRateLimiter(redis, createKeys(prefix), 10);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    try {
      expect((await limiter.take(5, 'priority'))?.count).toBe(5);
      await sleep(600);
      expect((await limiter.take(5, 'priority'))?.count).toBe(5);
      await sleep(550);
      // The first 5 have left; all 10 at once are not free for another half second: refused.
      expect(await limiter.take(10, 'priority', { whole: true, signal: AbortSignal.timeout(50) })).toBeUndefined();
      await sleep(600);
      // Both calls have left the window: the whole rate is free.
      expect((await limiter.take(10, 'priority', { whole: true, signal: AbortSignal.timeout(100) }))?.count).toBe(10);
    } finally {
      await deletePrefix(redis, prefix);
    }
  });

  it('holds the limit across lanes and lets replies pass a draining broadcast', async () => {
    const rate = 10;
    const provider = new FakeProvider();
    built = buildMessaging(provider, { ratePerSecond: rate, batchSize: 100 });
    await built.messaging.startWorkers();
    const broadcast = await built.messaging.outbound.enqueueMany({ idempotencyKey: 'burst', text: 'Tangazo', to: phones(24) });
    expect(broadcast.state).toBe('queued');
    const replies = phones(6, 719000000);
    await new Promise((resolve) => setTimeout(resolve, 150));
    for (const [n, to] of replies.entries()) await built.messaging.outbound.enqueue({ to, text: 'Jibu', purpose: 'reply', idempotencyKey: `reply-${n}` });
    await eventually(() => provider.recipients.length === 30, 15_000, 'all 30 sent');

    const bulkCalls = provider.calls.filter((call) => call.sms.bulk);
    const replyCalls = provider.calls.filter((call) => !call.sms.bulk);
    // 5% under a second absorbs the gap between taking a slot and the provider call.
    expect(busiestWindow(provider.calls, 950)).toBeLessThanOrEqual(rate);
    // The broadcast may take the whole rate until the replies ask; then it keeps to its share.
    expect(busiestWindow(bulkCalls, 950)).toBeLessThanOrEqual(rate);
    const firstReply = Math.min(...replyCalls.map((call) => call.at));
    expect(busiestWindow(bulkCalls.filter((call) => call.at > firstReply + 50), 950)).toBeLessThanOrEqual(bulkShare(rate));
    expect(Math.max(...bulkCalls.map((call) => call.sms.to.length))).toBeLessThanOrEqual(bulkShare(rate));
    // 30 recipients at 10/s: the last window cannot open before (30 - 10) / 10 = 2 s.
    const first = provider.calls[0]?.at ?? 0;
    const last = provider.calls[provider.calls.length - 1]?.at ?? 0;
    expect(last - first).toBeGreaterThanOrEqual(1900);
    // Every reply went out while the broadcast was still draining.
    expect(Math.max(...replyCalls.map((call) => call.at))).toBeLessThan(Math.max(...bulkCalls.map((call) => call.at)));
  });
});
