/** Broadcasts, stats and the outbox through the API, with a fake broadcast service. */
import request from 'supertest';
import { ADMIN, VIEWER, createAdminStack, type AdminStack } from './support/admin-stack';

const auth = { Authorization: `Bearer ${ADMIN}` };
const draft = { name: 'Karibu', audience: { cohorts: ['1'], phonesCsv: 'phone\n0712345678\n+255754000002\n' }, messages: { sw: 'Karibu {name}', en: 'Welcome {name}' } };

describe('admin API: broadcasts', () => {
  let stack: AdminStack;
  beforeAll(async () => { stack = await createAdminStack(); });
  afterAll(async () => { await stack.close(); });

  it('previews a draft with the pasted phones folded into the audience', async () => {
    const response = await request(stack.app).post('/api/v1/broadcasts/preview').set(auth).send(draft).expect(200);
    expect(response.body.audience.selected).toBe(7);
    expect(stack.broadcasts.drafts).toHaveLength(0);
  });

  it('refuses bad drafts with details', async () => {
    const empty = await request(stack.app).post('/api/v1/broadcasts/preview').set(auth).send({ audience: {}, messages: { sw: 'x' } }).expect(400);
    expect(empty.body.details).toEqual([{ path: 'audience', message: 'empty audience' }]);
    const noText = await request(stack.app).post('/api/v1/broadcasts/preview').set(auth).send({ audience: { all: true }, messages: {} }).expect(400);
    expect(noText.body.details[0].path).toBe('messages');
    await request(stack.app).post('/api/v1/broadcasts/preview').set(auth).type('json').send('{bad').expect(400);
  });

  it('counts pasted phones before reading them: more than 50,000 in one list is refused with the count', async () => {
    const phonesCsv = `phone\n${Array.from({ length: 60_000 }, (_, i) => `07${String(10_000_000 + i)}`).join('\n')}\n`;
    const refused = await request(stack.app).post('/api/v1/broadcasts/preview').set(auth).send({ ...draft, audience: { phonesCsv } }).expect(400);
    expect(refused.body.details).toEqual([{ path: 'audience.phonesCsv', message: '60000 phones' }]);
  });

  it('needs an Idempotency-Key to create; the same key returns the same broadcast', async () => {
    const missing = await request(stack.app).post('/api/v1/broadcasts').set(auth).send(draft).expect(400);
    expect(missing.body.code).toBe('VALIDATION.IDEMPOTENCY_KEY');
    const created = await request(stack.app).post('/api/v1/broadcasts').set(auth).set('Idempotency-Key', 'key-00000001').send(draft).expect(201);
    expect(created.body).toMatchObject({ id: 'b1', total: 7, state: 'sending' });
    expect(stack.broadcasts.drafts[0]?.audience).toEqual({ cohorts: ['1'], phones: ['0712345678', '+255754000002'] });
    await request(stack.app).post('/api/v1/broadcasts').set(auth).set('Idempotency-Key', 'key-00000001').send(draft).expect(200);
    expect(stack.broadcasts.drafts).toHaveLength(1);
  });

  it('lists, shows, pauses, resumes, cancels, resends and reports', async () => {
    expect((await request(stack.app).get('/api/v1/broadcasts').set(auth).expect(200)).body.items).toHaveLength(1);
    await request(stack.app).get('/api/v1/broadcasts/b1').set(auth).expect(200);
    expect((await request(stack.app).get('/api/v1/broadcasts/nope').set(auth).expect(404)).body.code).toBe('BROADCAST.NOT_FOUND');
    expect((await request(stack.app).post('/api/v1/broadcasts/b1/pause').set(auth).expect(200)).body.state).toBe('paused');
    expect((await request(stack.app).post('/api/v1/broadcasts/b1/resume').set(auth).expect(200)).body.state).toBe('sending');
    expect((await request(stack.app).post('/api/v1/broadcasts/b1/resume').set(auth).expect(409)).body.code).toBe('BROADCAST.CONFLICT');
    stack.broadcasts.finish('b1');
    const resend = await request(stack.app).post('/api/v1/broadcasts/b1/resend').set(auth).send({ which: 'failed' }).expect(200);
    expect(resend.body.queued).toBe(1);
    await request(stack.app).post('/api/v1/broadcasts/b1/resend').set(auth).send({ which: 'all' }).expect(400);
    const report = await request(stack.app).get('/api/v1/broadcasts/b1/report').set(auth).expect(200);
    expect(report.body.status.progress).toBe(1);
    const csv = await request(stack.app).get('/api/v1/broadcasts/b1/report.csv').set(auth).expect(200);
    expect(csv.text).toContain('+255712345678');
    const masked = await request(stack.app).get('/api/v1/broadcasts/b1/report.csv').set('Authorization', `Bearer ${VIEWER}`).expect(200);
    expect(masked.text).not.toContain('+255712345678');
    expect((await request(stack.app).post('/api/v1/broadcasts/b1/cancel').set(auth).expect(200)).body.state).toBe('cancelled');
  });

  it('test-sends to one normalised phone', async () => {
    await request(stack.app).post('/api/v1/broadcasts/test-send').set(auth).send({ draft, phone: '0712 345 678' }).expect(200, { messageId: 't1' });
    expect(stack.broadcasts.testSends[0]?.phone).toBe('+255712345678');
    await request(stack.app).post('/api/v1/broadcasts/test-send').set(auth).send({ draft, phone: 'nope' }).expect(400);
  });

  it('reports stats: registrations, USSD funnel, SMS states and cost', async () => {
    await stack.delegates.register('egov2015', { phone: '+255712345678', name: 'Asha', institution: 'eGA', institutionType: 'agency', cohort: '1', language: 'sw', channel: 'ussd' }, new Date('2015-08-16T22:30:00Z'));
    const stats = (await request(stack.app).get('/api/v1/stats').set('Authorization', `Bearer ${VIEWER}`).expect(200)).body;
    expect(stats.registrations).toEqual({ total: 1, byCohort: { 1: 1 }, byInstitutionType: { agency: 1 }, byChannel: { ussd: 1 }, byDay: { '2015-08-17': 1 } });
    expect(stats.ussd.funnel[0]).toEqual({ node: 'home', entries: 40, dropOffs: 0, completions: 0 });
    expect(stats.sms.cost).toEqual({ currency: 'TZS', amount: 640 });
  });

  it('has no outbox unless the outbox provider runs', async () => {
    const response = await request(stack.app).get('/api/v1/outbox').set(auth).expect(404);
    expect(response.body.message).toMatch(/SMS_PROVIDER=outbox/);
  });
});

describe('admin API without a broadcast service, with an outbox', () => {
  it('answers 503 on broadcast routes and lists the outbox', async () => {
    const queries: unknown[] = [];
    const stack = await createAdminStack({
      broadcasts: undefined,
      outbox: async (q) => { queries.push(q); return [{ id: 'm1', to: '+255712345678', text: 'Hi', at: '2015-08-17T06:00:00Z', state: 'sent' }]; },
    });
    try {
      const response = await request(stack.app).get('/api/v1/broadcasts').set(auth).expect(503);
      expect(response.body.code).toBe('BROADCAST.UNAVAILABLE');
      const outbox = await request(stack.app).get('/api/v1/outbox?phone=0712345678&limit=5').set(auth).expect(200);
      expect(outbox.body.items).toHaveLength(1);
      expect(queries).toEqual([{ phone: '+255712345678', limit: 5 }]);
    } finally {
      await stack.close();
    }
  });
});
