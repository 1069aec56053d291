import { OutboxSmsProvider, type SimulatedDeliveryReport } from '../../../src/providers/outbox/outbox-sms-provider';
import { createOutboxStore, listOutbox } from '../../../src/providers/outbox/outbox.redis';
import { createKeys, type Keys } from '../../../src/infra/redis/keys';
import type { RedisClient } from '../../../src/infra/redis/client';
import { closeRedis, connectTestRedis, deletePrefix, uniquePrefix } from '../../support/redis';

describe('outbox SMS provider', () => {
  let redis: RedisClient;
  let prefix: string;
  let keys: Keys;

  beforeAll(async () => { redis = await connectTestRedis('outbox-test'); });
  beforeEach(() => {
    prefix = uniquePrefix('outbox');
    keys = createKeys(prefix);
  });
  afterEach(async () => { await deletePrefix(redis, prefix); });
  afterAll(async () => { await closeRedis(redis); });

  it('accepts valid numbers with OUTBOX ids, fails invalid ones, and files each copy per phone', async () => {
    const outbox = new OutboxSmsProvider({ store: createOutboxStore(redis, keys), deliveryReportDelayMs: 0 });
    const outcome = await outbox.send({ to: ['0712345678', 'nope', '+255621234567'], message: 'Habari 😀', bulk: true, from: 'KIUNGO' });
    expect(outcome).toEqual({
      kind: 'per_recipient',
      recipients: [
        { number: '0712345678', result: 'accepted', providerMessageId: expect.stringMatching(/^OUTBOX_[0-9a-f-]{36}$/), cost: { currency: 'TZS', amount: 0 }, parts: 1, statusCode: 101 },
        { number: 'nope', result: 'failed_permanent', reason: 'InvalidPhoneNumber', statusCode: 403 },
        expect.objectContaining({ number: '+255621234567', result: 'accepted' }),
      ],
    });
    expect(await listOutbox(redis, keys, { limit: 10 })).toHaveLength(2);
    const inbox = await listOutbox(redis, keys, { phone: '+255 712 345 678', limit: 10 });
    expect(inbox).toEqual([expect.objectContaining({ to: '+255712345678', message: 'Habari 😀', from: 'KIUNGO', bulk: true, segments: 1 })]);
    expect(await listOutbox(redis, keys, { phone: 'not a phone', limit: 10 })).toEqual([]);
  });

  it('lists newest first, honours limit and since, and caps what it keeps', async () => {
    const outbox = new OutboxSmsProvider({ store: createOutboxStore(redis, keys, { perPhoneLimit: 3, globalLimit: 4 }), deliveryReportDelayMs: 0 });
    for (const n of [1, 2, 3, 4, 5]) await outbox.send({ to: ['+255712345678'], message: `m${n}`, bulk: false });
    const all = await listOutbox(redis, keys, { limit: 100 });
    expect(all.map((message) => message.message)).toEqual(['m5', 'm4', 'm3', 'm2']);
    expect((await listOutbox(redis, keys, { phone: '+255712345678', limit: 100 })).map((message) => message.message)).toEqual(['m5', 'm4', 'm3']);
    expect(await listOutbox(redis, keys, { limit: 1 })).toHaveLength(1);
    const since = all[2]?.at ?? 0;
    expect((await listOutbox(redis, keys, { limit: 10, since })).every((message) => message.at > since)).toBe(true);
  });

  it('reports its own delivery after the delay, and not after close', async () => {
    const outbox = new OutboxSmsProvider({ store: createOutboxStore(redis, keys), deliveryReportDelayMs: 30 });
    const reports: SimulatedDeliveryReport[] = [];
    outbox.onDeliveryReport((report) => reports.push(report));
    const outcome = await outbox.send({ to: ['+255712345678'], message: 'x', bulk: false });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const id = outcome.kind === 'per_recipient' && outcome.recipients[0]?.result === 'accepted' ? outcome.recipients[0].providerMessageId : '';
    expect(reports).toEqual([{ id, status: 'Success', phoneNumber: '+255712345678', networkCode: '99999' }]);
    await outbox.send({ to: ['+255712345678'], message: 'y', bulk: false });
    outbox.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(reports).toHaveLength(1);
  });

  it('answers rejected (retryable) for an already aborted signal, and never throws when Redis fails', async () => {
    const outbox = new OutboxSmsProvider({ store: createOutboxStore(redis, keys), deliveryReportDelayMs: 0 });
    const controller = new AbortController();
    controller.abort();
    expect(await outbox.send({ to: ['+255712345678'], message: 'x', bulk: false }, controller.signal)).toMatchObject({ kind: 'rejected', retryable: true });
    const dead = await connectTestRedis('outbox-dead');
    await closeRedis(dead);
    const broken = new OutboxSmsProvider({ store: createOutboxStore(dead, keys), deliveryReportDelayMs: 0 });
    const outcome = await broken.send({ to: ['+255712345678'], message: 'x', bulk: false });
    expect(outcome).toMatchObject({ kind: 'per_recipient', recipients: [{ result: 'failed_retryable' }] });
  });
});
