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

  it('merges a sheet: each row fills its {column}, the per-row preview measures it, bad rows are listed with line and reason, and each person gets their own text', async () => {
    const sheet = 'phone,seat,gate\n0712000601,A12,Kusini\n0712000602,,Kaskazini\nabc,B1,Mashariki\n0712000601,C3,Magharibi\n0712000603,B7,Mashariki\n';
    const draft = { audience: { mergeCsv: sheet }, messages: { sw: 'Kiti chako ni {seat}, lango la {gate}.' }, urgent: true };
    const preview = await api().post('/api/v1/broadcasts/preview').set('Authorization', `Bearer ${TOKEN}`).send(draft);
    expect(preview.status).toBe(200);
    expect(preview.body.merge.columns).toEqual(['seat', 'gate']);
    expect(preview.body.merge.rows).toEqual([
      { phone: '+255712000601', text: 'Kiti chako ni A12, lango la Kusini.', encoding: 'GSM-7', segments: 1, cost: 22 },
      { phone: '+255712000603', text: 'Kiti chako ni B7, lango la Mashariki.', encoding: 'GSM-7', segments: 1, cost: 22 },
    ]);
    expect(preview.body.merge.invalid).toEqual([
      { line: 3, phone: '+255712000602', reason: 'empty {seat}' },
      { line: 4, phone: 'abc', reason: 'invalid number' },
      { line: 5, phone: '+255712000601', reason: 'repeated number' },
    ]);
    const created = await api().post('/api/v1/broadcasts').set('Authorization', `Bearer ${TOKEN}`).set('Idempotency-Key', 'merge-0001').send(draft);
    expect(created.status).toBe(201);
    expect(created.body.total).toBe(2);
    const done = await eventually(async () => {
      const status = await stack.gateway.broadcasts.get(created.body.id as string);
      return status?.state === 'completed' ? status : undefined;
    }, 10_000, 'the merge broadcast to complete');
    expect(done.counts.sent + done.counts.delivered).toBe(2);
    const outbox = await api().get('/api/v1/outbox?phone=%2B255712000603').set('Authorization', `Bearer ${TOKEN}`);
    expect(outbox.body.items.map((m: { text: string }) => m.text)).toContain('Kiti chako ni B7, lango la Mashariki.');
    const none = await api().post('/api/v1/broadcasts/preview').set('Authorization', `Bearer ${TOKEN}`).send({ ...draft, audience: { mergeCsv: 'phone,seat\nabc,A1\n' } });
    expect(none.status).toBe(400);
    expect(none.body.details).toEqual([{ line: 2, path: 'abc', message: 'invalid number' }]);
  });
});
