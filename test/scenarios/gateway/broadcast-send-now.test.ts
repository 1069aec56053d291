/**
 * A broadcast held by quiet hours says so and can be sent now; a pasted list keeps its bad
 * entries visible. Through the admin API of the real gateway (outbox provider, workers).
 */
import request from 'supertest';
import { phonesFromCsv } from '../../../src/http/admin/broadcast-routes';
import { eventually, startGatewayStack, type GatewayStack } from '../../support/gateway-stack';

const TOKEN = 'send-now-admin-token-0123456789';

describe('send now and pasted lists', () => {
  let stack: GatewayStack;
  // 10:00 EAT; quiet hours 20:00-08:00.
  beforeAll(async () => { stack = await startGatewayStack({ now: '2015-08-16T07:00:00.000Z', env: { ADMIN_TOKENS: `admin:${TOKEN}`, QUIET_HOURS: '20:00-08:00' } }); });
  afterAll(async () => { await stack.close(); });
  const api = () => request(stack.gateway.app);

  it('holds a broadcast asked for 23:00 until 08:00, says so, and sends it on "send now" (once only)', async () => {
    const created = await api().post('/api/v1/broadcasts').set('Authorization', `Bearer ${TOKEN}`).set('Idempotency-Key', 'held-0001')
      .send({ audience: { phones: ['+255712000301', '+255712000302'] }, messages: { sw: 'Habari za jioni' }, sendAt: '2015-08-16T20:00:00.000Z' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'scheduled', heldByQuietHours: true, sendAt: '2015-08-17T05:00:00.000Z' });
    const id = created.body.id as string;
    const now = await api().post(`/api/v1/broadcasts/${id}/send-now`).set('Authorization', `Bearer ${TOKEN}`);
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({ urgent: true, heldByQuietHours: false, sendAt: '2015-08-16T07:00:00.000Z' });
    const done = await eventually(async () => {
      const status = await stack.gateway.broadcasts.get(id);
      return status?.state === 'completed' ? status : undefined;
    }, 10_000, 'the released broadcast to complete');
    expect(done.counts.sent + done.counts.delivered).toBe(2);
    const again = await api().post(`/api/v1/broadcasts/${id}/send-now`).set('Authorization', `Bearer ${TOKEN}`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('BROADCAST.CONFLICT');
  });

  it('keeps every bad entry of a pasted list: counted and listed in the preview', async () => {
    expect(phonesFromCsv('phone,name\n0712000001,Asha\nabc,Juma\n\n12345,Neema\n')).toEqual(['0712000001', 'abc', '12345']);
    expect(phonesFromCsv('0712000001\nnot a number\n')).toEqual(['0712000001', 'not a number']);
    const preview = await api().post('/api/v1/broadcasts/preview').set('Authorization', `Bearer ${TOKEN}`)
      .send({ audience: { phonesCsv: '0712000001\nabc\n12345' }, messages: { sw: 'Habari' } });
    expect(preview.status).toBe(200);
    expect(preview.body.audience).toMatchObject({ eligible: 1, invalid: 2, invalidEntries: ['abc', '12345'] });
  });
});
