/**
 * Erasure on request: after DELETE /api/v1/delegates/:phone no Redis key or value under the
 * gateway's prefix holds the number in clear (ledger entries keep a masked number so counts
 * still add up), and the name is gone from every stored text.
 */
import request from 'supertest';
import type { RedisClient } from '../../../src/infra/redis/client';
import { dlrBody, form, smsBody } from '../../support/at-bodies';
import { listOutbox } from '../../../src/providers/outbox/outbox.redis';
import { AtPhone } from '../../support/at-phone';
import { eventually, startGatewayStack, type GatewayStack } from '../../support/gateway-stack';

const TOKEN = 'erasure-admin-token-0123456789';

/** Every key under the prefix whose name or value contains `needle`. */
async function keysHolding(redis: RedisClient, prefix: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  if (!('scanStream' in redis)) return found;
  for await (const batch of redis.scanStream({ match: `*${prefix}*`, count: 1000 }) as AsyncIterable<string[]>) {
    for (const key of batch) {
      if (key.includes(needle)) { found.push(key); continue; }
      const type = await redis.type(key);
      let values: string[] = [];
      if (type === 'string') values = [(await redis.get(key)) ?? ''];
      else if (type === 'hash') values = Object.entries(await redis.hgetall(key)).flat();
      else if (type === 'list') values = await redis.lrange(key, 0, -1);
      else if (type === 'set') values = await redis.smembers(key);
      else if (type === 'zset') values = await redis.zrange(key, 0, -1);
      if (values.some((v) => v.includes(needle))) found.push(`${key} (${type})`);
    }
  }
  return found;
}

describe('erasure', () => {
  let stack: GatewayStack;
  beforeAll(async () => { stack = await startGatewayStack({ env: { ADMIN_TOKENS: `admin:${TOKEN}` } }); });
  afterAll(async () => { await stack.close(); });

  it('leaves no trace of the number or the name after an erase request', async () => {
    const phone = '+255718000001';
    const app = stack.gateway.app;
    await request(app).post('/webhooks/africastalking/sms').type('form').send(smsBody({ from: phone, text: 'SAJILI Zawadi Kipanga, Wizara ya Afya', id: 'ATXid_erase_1' }));
    await request(app).post('/webhooks/africastalking/sms').type('form').send(smsBody({ from: phone, text: 'KUMBUSHA S203', id: 'ATXid_erase_2' }));
    const ussd = new AtPhone(app, phone);
    await ussd.dial();
    await ussd.send('1');
    await eventually(async () => ((await stack.gateway.services.reminders.listForPhone('egov2015', phone)).length > 0 ? true : undefined), 10000, 'the reminder');
    await eventually(async () => ((await keysHolding(stack.gateway.redis, stack.prefix, 'Zawadi')).some((k) => k.includes(':meta')) ? true : undefined), 10000, 'the confirmation in the ledger');
    expect((await keysHolding(stack.gateway.redis, stack.prefix, phone.slice(1))).length).toBeGreaterThan(0);

    const erased = await request(app).delete(`/api/v1/delegates/${encodeURIComponent(phone)}`).set('authorization', `Bearer ${TOKEN}`);
    expect(erased.status).toBe(200);
    await stack.gateway.services.ussdStats.flush();

    expect(await keysHolding(stack.gateway.redis, stack.prefix, phone.slice(1))).toEqual([]);
    expect(await keysHolding(stack.gateway.redis, stack.prefix, 'Zawadi')).toEqual([]);
    expect((await request(app).get(`/api/v1/delegates/${encodeURIComponent(phone)}`).set('authorization', `Bearer ${TOKEN}`)).status).toBe(404);
  });

  it('leaves nothing after registrations by USSD and SMS, session notifications, delivery reports and a broadcast', async () => {
    const app = stack.gateway.app;
    const auth = { authorization: `Bearer ${TOKEN}` };
    const viaUssd = { phone: '+255718000002', name: 'Neema Mwakasege', institution: 'Ofisi ya Rais Utumishi' };
    const viaSms = { phone: '+255718000003', name: 'Baraka Lyimo', institution: 'Halmashauri ya Moshi' };
    // Registered by USSD, with an AT end-of-session notification in each number format AT uses.
    const ussd = new AtPhone(app, viaUssd.phone);
    await ussd.dial();
    for (const input of ['1', viaUssd.name, viaUssd.institution, '1', '1', '1']) await ussd.send(input);
    for (const number of [viaUssd.phone, viaUssd.phone.slice(1), `0${viaUssd.phone.slice(4)}`])
      await request(app).post('/webhooks/africastalking/ussd-events').type('form')
        .send(form({ sessionId: ussd.sessionId, status: 'Success', phoneNumber: number, serviceCode: '*384*2015#', input: viaUssd.name, hopsCount: '7', durationInMillis: '40000' })).expect(200);
    // Registered by SMS.
    await request(app).post('/webhooks/africastalking/sms').type('form').send(smsBody({ from: viaSms.phone, text: `SAJILI ${viaSms.name}, ${viaSms.institution}`, id: 'ATXid_erase_all_1' })).expect(200);
    // A broadcast to everyone, with each name in its text.
    const broadcast = await request(app).post('/api/v1/broadcasts').set(auth).set('Idempotency-Key', 'erase-everything-01')
      .send({ audience: { all: true }, messages: { sw: 'Karibu {name}', en: 'Welcome {name}' }, urgent: true });
    expect(broadcast.status).toBeLessThan(300);
    const outboxOf = async (phone: string) => listOutbox(stack.gateway.redis, stack.gateway.keys, { phone, limit: 50 });
    await eventually(async () => ((await outboxOf(viaUssd.phone)).length >= 2 && (await outboxOf(viaSms.phone)).length >= 2 ? true : undefined), 15000, 'confirmations and the broadcast');
    // Delivery reports: matched ones (the outbox sends them) and unmatched ones in each format.
    for (const person of [viaUssd, viaSms])
      for (const number of [person.phone, person.phone.slice(1)])
        await request(app).post('/webhooks/africastalking/delivery-reports').type('form').send(dlrBody({ id: `ATXid_unknown_${number}`, status: 'Success', phoneNumber: number })).expect(200);
    await stack.gateway.services.ussdStats.flush();
    for (const person of [viaUssd, viaSms]) expect((await keysHolding(stack.gateway.redis, stack.prefix, person.name)).length).toBeGreaterThan(0);

    for (const person of [viaUssd, viaSms]) await request(app).delete(`/api/v1/delegates/${encodeURIComponent(person.phone)}`).set(auth).expect(200);
    await stack.gateway.services.ussdStats.flush();

    // The national number is inside every written form (+255..., 255..., 0...); masked forms hide it.
    for (const person of [viaUssd, viaSms]) {
      for (const needle of [person.phone.slice(4), person.name, person.institution, person.name.split(' ')[1] ?? ''])
        expect([needle, await keysHolding(stack.gateway.redis, stack.prefix, needle)]).toEqual([needle, []]);
    }
  });
});
