/**
 * An opt-out that lands while a batch waits for the send rate is honoured in the batch's later
 * provider calls: each call checks the suppression list after the rate limiter's wait.
 */
import { closeRedis, connectTestRedis, deletePrefix } from '../../support/redis';
import type { RedisClient } from '../../../src/infra/redis/client';
import { buildMessaging, eventually, FakeProvider, phones, type TestMessaging } from './helpers';

describe('suppression during a rate-limited batch', () => {
  let redis: RedisClient;
  let built: TestMessaging;
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => { redis = await connectTestRedis('suppression-mid-batch'); });
  afterEach(async () => {
    await stop?.();
    await built.messaging.close();
    await deletePrefix(redis, built.prefix);
  });
  afterAll(async () => { await closeRedis(redis); });

  it('skips a phone of a later chunk whose STOP came while the batch ran, and never sends to it', async () => {
    const provider = new FakeProvider();
    // Three recipients a second, calls of at most two (the bulk share) and the whole rate for the
    // broadcast while no reply asks: {1, 2} and {3} in the first second, {4} and {5, 6} in the next.
    built = buildMessaging(provider, { ratePerSecond: 3 });
    await built.messaging.ready();
    const to = phones(6, 712300000);
    const last = to[5] ?? '';
    const result = await built.messaging.outbound.enqueueMany({ idempotencyKey: 'mid-batch', text: 'Karibu', purpose: 'broadcast', to });
    expect(result.counts).toMatchObject({ total: 6, queued: 6 });
    stop = await built.messaging.startWorkers();
    await eventually(() => provider.calls.length >= 1, 5000, 'first chunk sent');
    expect(provider.recipients).not.toContain(last);
    await built.messaging.suppression.suppress(last, 'keyword');

    const entries = await eventually(async () => {
      const list = await built.messaging.listByGroup(result.messageId);
      return list.every((entry) => entry.state !== 'queued' && entry.state !== 'sending') ? list : null;
    }, 10_000, 'batch finished');
    expect(provider.recipients).not.toContain(last);
    expect(entries.find((entry) => entry.phone === last)).toMatchObject({ state: 'skipped', reason: 'opted_out' });
    expect(entries.filter((entry) => entry.state === 'sent').map((entry) => entry.phone).sort()).toEqual(to.slice(0, 5).sort());
    expect(provider.calls.map((call) => call.sms.to.length)).toEqual([2, 1, 1, 1]);
  });
});
