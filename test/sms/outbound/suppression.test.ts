import request from 'supertest';
import { createApp } from '../../../src/http/app';
import { createMetrics } from '../../../src/kernel/metrics';
import { redisReachable, type RedisClient } from '../../../src/infra/redis/client';
import { form } from '../../support/at-bodies';
import { atVectors } from '../../support/at-vectors';
import { closeRedis, connectTestRedis, deletePrefix } from '../../support/redis';
import { buildMessaging, directIntake, eventually, FakeProvider, silentLogger, type TestMessaging } from './helpers';
import { smsCallbackRouters } from '../../../src/compose/http';

const OPT_OUT_PATH = '/webhooks/africastalking/opt-outs';

describe('suppression list', () => {
  let redis: RedisClient;
  let built: TestMessaging;
  let provider: FakeProvider;

  beforeAll(async () => { redis = await connectTestRedis('suppression-test'); });
  beforeEach(async () => {
    provider = new FakeProvider();
    built = buildMessaging(provider, { defaultSenderId: 'KIUNGO' });
    await built.messaging.ready();
  });
  afterEach(async () => {
    await built.messaging.close();
    await deletePrefix(redis, built.prefix);
  });
  afterAll(async () => { await closeRedis(redis); });

  const postOptOut = (fields: Record<string, string | undefined>) => {
    const app = createApp({ logger: silentLogger, metrics: createMetrics({ defaultMetrics: false }), ready: () => redisReachable(redis), trustProxy: false, mounts: [{ path: OPT_OUT_PATH, router: smsCallbackRouters(directIntake(built.messaging)).optOuts }] });
    return request(app).post(OPT_OUT_PATH).type('form').send(form(fields));
  };

  it('records the bulk-sms-opt-out vectors per sender, idempotently', async () => {
    const vectors = atVectors('bulk-sms-opt-out');
    for (const vector of vectors) {
      for (let replay = 0; replay < 2; replay += 1) expect((await postOptOut(vector.form)).status).toBe(200);
      const phone = vector.form.phoneNumber ?? '';
      expect(await built.messaging.suppression.isSuppressed(phone, vector.form.senderId)).toBe(true);
      expect(await built.messaging.suppression.isSuppressed(phone, 'OTHER')).toBe(false);
    }
  });

  it('suppresses sends from the opted-out sender only, at queue time', async () => {
    await postOptOut({ senderId: 'COMPANY', phoneNumber: '+255712000001' });
    await postOptOut({ senderId: 'KIUNGO', phoneNumber: '+255712000002' });
    expect((await postOptOut({ senderId: 'KIUNGO', phoneNumber: 'garbage' })).status).toBe(200);
    const outbound = built.messaging.outbound;
    expect(await outbound.enqueue({ to: '+255712000001', text: 'x', purpose: 'reply', idempotencyKey: 'a' })).toMatchObject({ state: 'queued' });
    expect(await outbound.enqueue({ to: '+255712000002', text: 'x', purpose: 'reply', idempotencyKey: 'b' })).toMatchObject({ state: 'skipped', reason: 'opted_out' });
    const fromCompany = await outbound.enqueueMany({ idempotencyKey: 'c', text: 'x', from: 'COMPANY', to: ['+255712000001', '+255712000002', '+255712000003'] });
    expect(fromCompany.counts).toMatchObject({ total: 3, queued: 2, skipped: 1 });
  });

  it('checks again just before the provider call, and lets opt-out confirmations through', async () => {
    const outbound = built.messaging.outbound;
    const reminder = await outbound.enqueue({ to: '+255712000010', text: 'Kikao kinaanza', purpose: 'reminder', idempotencyKey: 'r' });
    expect(reminder.state).toBe('queued');
    await built.messaging.suppression.suppress('+255712000010', 'keyword');
    const confirmation = await outbound.enqueue({ to: '+255712000010', text: 'Umejiondoa', purpose: 'optout_confirmation', idempotencyKey: 'o' });
    expect(confirmation.state).toBe('queued');
    await built.messaging.startWorkers();
    await eventually(async () => (await built.messaging.listByGroup(reminder.messageId))[0]?.state === 'skipped', 5000, 'reminder skipped');
    await eventually(() => provider.calls.length === 1, 5000, 'confirmation sent');
    expect(provider.calls[0]?.sms.message).toBe('Umejiondoa');
    expect((await built.messaging.listByGroup(reminder.messageId))[0]?.reason).toBe('opted_out');
  });

  it('lifts every source at once when the person opts back in', async () => {
    const list = built.messaging.suppression;
    expect(await list.suppress('+255712000020', 'keyword')).toBe(true);
    expect(await list.suppress('+255712000020', 'keyword')).toBe(false);
    await list.suppress('+255712000020', 'at_opt_out', 'KIUNGO');
    expect(await list.unsuppress('+255712000020')).toBe(true);
    expect(await list.isSuppressed('+255712000020', 'KIUNGO')).toBe(false);
    expect(await built.messaging.outbound.enqueue({ to: '+255712000020', text: 'x', purpose: 'reply', idempotencyKey: 'back' })).toMatchObject({ state: 'queued' });
  });
});
