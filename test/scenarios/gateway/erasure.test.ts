/**
 * Erasure on request: after DELETE /api/v1/delegates/:phone no Redis key or value under the
 * gateway's prefix holds the number in clear (ledger entries keep a masked number so counts
 * still add up), and the name is gone from every stored text.
 */
import request from 'supertest';
import type { RedisClient } from '../../../src/infra/redis/client';
import { smsBody } from '../../support/at-bodies';
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
});
