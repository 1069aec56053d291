import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../../src/http/app';
import { createMetrics } from '../../../src/kernel/metrics';
import { redisReachable, type RedisClient } from '../../../src/infra/redis/client';
import type { SendOutcome } from '../../../src/sms/outbound/sms-provider';
import { form } from '../../support/at-bodies';
import { atVectors, type AtVector } from '../../support/at-vectors';
import { closeRedis, connectTestRedis, deletePrefix } from '../../support/redis';
import { accepted, buildMessaging, directIntake, eventually, FakeProvider, silentLogger, type TestMessaging } from './helpers';
import { smsCallbackRouters } from '../../../src/compose/http';

const DLR_PATH = '/webhooks/africastalking/delivery-reports';
/** Where the gateway deliberately differs from a vector's preferred answer (the vector allows it). */
const DELIBERATE: Record<string, string> = {
  // "Delivered" is not an AT SMS status; we alias it to delivered, as two public handlers do.
  'dlr-delivered-word': 'delivered',
};

function appFor(built: TestMessaging, redis: RedisClient): Express {
  return createApp({
    logger: silentLogger, metrics: createMetrics({ defaultMetrics: false }), ready: () => redisReachable(redis), trustProxy: false,
    mounts: [
      { path: DLR_PATH, router: smsCallbackRouters(directIntake(built.messaging)).deliveryReports },
      { path: '/webhooks/africastalking/opt-outs', router: smsCallbackRouters(directIntake(built.messaging)).optOuts },
    ],
  });
}

describe('delivery reports', () => {
  let redis: RedisClient;
  let built: TestMessaging;
  let app: Express;
  let sequence = 0;
  /** Set by a test to act inside the provider call, before the worker records the result. */
  let duringSend: ((providerMessageId: string) => Promise<void>) | undefined;
  const provider = new FakeProvider(async (sms): Promise<SendOutcome> => {
    const recipients = [];
    for (const number of sms.to) {
      sequence += 1;
      const id = `ATXid_${String(sequence).padStart(32, '0')}`;
      if (duringSend) await duringSend(id);
      recipients.push(accepted(number, id));
    }
    return { kind: 'per_recipient', recipients };
  });

  beforeAll(async () => {
    redis = await connectTestRedis('dlr-test');
    built = buildMessaging(provider, { staleAfterS: 0.2 });
    await built.messaging.startWorkers();
    app = appFor(built, redis);
  });
  afterAll(async () => {
    await built.messaging.close();
    await deletePrefix(redis, built.prefix);
    await closeRedis(redis);
  });

  /** Sends one message and resolves once the provider accepted it: its id and ledger address. */
  let phoneNumber = 0;
  async function sentMessage(label: string): Promise<{ messageId: string; providerMessageId: string; phone: string }> {
    phoneNumber += 1;
    const phone = `+2557540${String(phoneNumber).padStart(5, '0')}`;
    const result = await built.messaging.outbound.enqueue({ to: phone, text: 'Habari', purpose: 'confirmation', idempotencyKey: `${label}-${Math.random()}` });
    const entry = await eventually(async () => {
      const [first] = await built.messaging.listByGroup(result.messageId);
      return first?.providerMessageId && first.state !== 'sending' ? first : undefined;
    }, 5000, `${label} sent`);
    return { messageId: result.messageId, providerMessageId: entry.providerMessageId ?? '', phone };
  }

  const stateOf = async (messageId: string) => (await built.messaging.listByGroup(messageId))[0];
  const post = (fields: Record<string, string | undefined>) => request(app).post(DLR_PATH).type('form').send(form(fields));

  describe('vectors from at-callbacks.json', () => {
    it.each(atVectors('delivery-report').map((vector) => [vector.id, vector] as const))('%s', async (_id: string, vector: AtVector) => {
      const { messageId, providerMessageId } = await sentMessage(vector.id);
      if (vector.given) expect((await post({ id: providerMessageId, status: vector.given.lastStatus })).status).toBe(200);
      const before = (await stateOf(messageId))?.state;
      const fields = vector.idRole === 'message-under-test' ? { ...vector.form, id: providerMessageId } : vector.form;
      const response = await post(fields);
      expect(response.status).toBeLessThan(vector.http === '2xx' ? 300 : 500);
      expect(response.status).toBeGreaterThanOrEqual(200);
      const after = await stateOf(messageId);
      const expected = DELIBERATE[vector.id]
        ?? (vector.idRole !== 'message-under-test' || vector.expectState === 'unchanged' || !vector.expectState ? before : vector.expectState);
      expect(after?.state).toBe(expected);
      if (after?.state === 'failed' && vector.form.failureReason) expect(after.reason).toBe(vector.form.failureReason);
    });
  });

  it('counts outcomes per network of the pack (Vodacom, Yas, Airtel, Halotel, other), once per state change', async () => {
    const sendForPack = async (label: string): Promise<string> => {
      const result = await built.messaging.outbound.enqueue({ to: `+25575411${String(++phoneNumber).padStart(4, '0')}`, text: 'Habari', purpose: 'confirmation', idempotencyKey: `${label}-${Math.random()}`, packId: 'netpack' });
      const entry = await eventually(async () => {
        const [first] = await built.messaging.listByGroup(result.messageId);
        return first?.providerMessageId && first.state !== 'sending' ? first : undefined;
      }, 5000, `${label} sent`);
      return entry.providerMessageId ?? '';
    };
    const reports: Array<[string, string]> = [['64004', 'Success'], ['64004', 'Success'], ['64002', 'Failed'], ['64005', 'Success'], ['64009', 'Rejected'], ['99999', 'Success']];
    for (const [networkCode, status] of reports) {
      const id = await sendForPack(`net-${networkCode}`);
      expect((await post({ id, status, networkCode, ...(status === 'Success' ? {} : { failureReason: 'DeliveryFailure' }) })).status).toBe(200);
      // A repeated report moves nothing and counts nothing.
      expect((await post({ id, status, networkCode })).status).toBe(200);
    }
    expect(await built.messaging.outcomesByNetwork('netpack')).toEqual({
      vodacom: { sent: 0, delivered: 2, failed: 0 },
      yas: { sent: 0, delivered: 0, failed: 1 },
      airtel: { sent: 0, delivered: 1, failed: 0 },
      halotel: { sent: 0, delivered: 0, failed: 1 },
      other: { sent: 0, delivered: 1, failed: 0 },
    });
  });

  it('applies a duplicate once and keeps the first final state on a late non-final report', async () => {
    const { messageId, providerMessageId } = await sentMessage('dup');
    for (const status of ['Success', 'Success', 'Buffered', 'Failed']) expect((await post({ id: providerMessageId, status })).status).toBe(200);
    expect(await stateOf(messageId)).toMatchObject({ state: 'delivered', lastReport: 'Success' });
    expect(await built.messaging.countsByGroup(messageId)).toMatchObject({ total: 1, delivered: 1 });
  });

  it('matches a report that arrives before the send result is recorded', async () => {
    duringSend = async (id) => { expect((await post({ id, status: 'Success' })).status).toBe(200); };
    try {
      const result = await built.messaging.outbound.enqueue({ to: '+255754099999', text: 'Mapema', purpose: 'reply', idempotencyKey: `early-${Math.random()}` });
      const entry = await eventually(async () => {
        const first = await stateOf(result.messageId);
        return first?.state === 'delivered' ? first : undefined;
      }, 5000, 'early report applied');
      expect(entry).toMatchObject({ providerMessageId: expect.stringMatching(/^ATXid_/), cost: { currency: 'TZS', amount: 22 } });
      expect(await redis.hexists(built.keys.messaging.pendingReports(), entry.providerMessageId ?? '')).toBe(0);
    } finally {
      duringSend = undefined;
    }
  });

  it('keeps an unknown id aside without touching anything, then drops it', async () => {
    expect((await post({ id: 'ATXid_ffffffffffffffffffffffffffffffff', status: 'Success' })).status).toBe(200);
    expect(await redis.hexists(built.keys.messaging.pendingReports(), 'ATXid_ffffffffffffffffffffffffffffffff')).toBe(1);
    await redis.zadd(built.keys.messaging.pendingReportsByTime(), 0, 'ATXid_ffffffffffffffffffffffffffffffff');
    expect((await built.messaging.sweep()).expiredReports).toBeGreaterThanOrEqual(1);
    expect(await redis.hexists(built.keys.messaging.pendingReports(), 'ATXid_ffffffffffffffffffffffffffffffff')).toBe(0);
  });

  it('suppresses the number on a UserInBlacklist report', async () => {
    const { providerMessageId, phone } = await sentMessage('blacklist');
    await post({ id: providerMessageId, status: 'Rejected', failureReason: 'UserInBlackList' });
    expect(await built.messaging.suppression.get(phone)).toMatchObject({ global: { source: 'delivery_report' } });
  });

  it('flags a message stale when no final report comes in time', async () => {
    const { messageId } = await sentMessage('stale');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await built.messaging.sweep()).stale).toBeGreaterThanOrEqual(1);
    const stale = await built.messaging.listStale();
    expect(stale.total).toBeGreaterThanOrEqual(1);
    expect(stale.items).toEqual(expect.arrayContaining([expect.objectContaining({ messageId, index: 0 })]));
  });

  it('flags only the recipients of a sent batch still without a final report, one by one', async () => {
    const phones = ['+255754100001', '+255754100002', '+255754100003'];
    const { messageId } = await built.messaging.outbound.enqueueMany({ idempotencyKey: `stale-batch-${Math.random()}`, text: 'Habari', to: phones });
    const entries = await eventually(async () => {
      const all = await built.messaging.listByGroup(messageId);
      return all.length === 3 && all.every((entry) => entry.state === 'sent') ? all : undefined;
    }, 5000, 'batch sent');
    expect((await post({ id: entries[1]?.providerMessageId, status: 'Success' })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await built.messaging.sweep();
    const flagged = (await built.messaging.listStale(100)).items.filter((item) => item.messageId === messageId).map((item) => item.index).sort();
    expect(flagged).toEqual([0, 2]);
    // Swept once: a second sweep flags nobody again.
    await built.messaging.sweep();
    expect((await built.messaging.listStale(100)).items.filter((item) => item.messageId === messageId)).toHaveLength(2);
  });
});
