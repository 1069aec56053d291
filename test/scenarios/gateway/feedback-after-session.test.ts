/**
 * Feedback end to end: a session ends, its reminder subscribers get one rating request in their
 * language, a bare digit reply is recorded against it (the latest counts), and the results appear
 * in the admin API; a session set to `cohort` asks everyone of that day, `off` asks nobody, and an
 * opted-out phone is not asked.
 */
import request from 'supertest';
import { listOutbox } from '../../../src/providers/outbox/outbox.redis';
import { smsBody } from '../../support/at-bodies';
import { eventually, startGatewayStack, type GatewayStack } from '../../support/gateway-stack';

const TOKEN = 'admin-token-feedback-0123456789';
// S105 ends 15:30 in Arusha (12:30Z); the clock starts a minute before.
const S105_END = Date.parse('2015-08-17T12:30:00.000Z');

let counter = 0;
const nextId = (): string => `ATXid_fb${Date.now().toString(16)}${(counter += 1).toString().padStart(6, '0')}`;

describe('a rating request after a session, answered by one digit', () => {
  let stack: GatewayStack;
  const SW = '+255713300001';
  const EN = '+255713300002';
  const COHORT_ONLY = '+255713300003';
  const OPTED_OUT = '+255713300004';

  beforeAll(async () => {
    stack = await startGatewayStack({ now: new Date(S105_END - 60_000).toISOString(), workers: false, env: { ADMIN_TOKENS: `admin:${TOKEN}`, DIGEST_TIME: 'off' } });
    const { delegates, reminders } = stack.gateway.services;
    const at = new Date(S105_END - 3600_000);
    for (const [phone, language] of [[SW, 'sw'], [EN, 'en'], [COHORT_ONLY, 'sw'], [OPTED_OUT, 'sw']] as const)
      await delegates.register('egov2015', { phone, name: `Mjumbe ${phone.slice(-1)}`, institution: 'e-GA', institutionType: 'central', cohort: '1', language, channel: 'api' }, at);
    for (const phone of [SW, EN, OPTED_OUT]) await reminders.subscribe('egov2015', phone, 'S105');
    await stack.gateway.services.messaging.suppression.suppress(OPTED_OUT, 'keyword');
    // S106 (same day) asks the whole cohort; S104 asks nobody.
    const settings = await request(stack.gateway.app).put('/api/v1/feedback/settings').set('Authorization', `Bearer ${TOKEN}`).send({ default: 'subscribers', sessions: { S104: 'off' } });
    expect(settings.status).toBe(200);
    // The session ends one second from now (BullMQ's delay runs on real time).
    stack.clock.set(new Date(S105_END - 1000).toISOString());
    await stack.gateway.startWorkers();
  });
  afterAll(async () => { await stack.close(); });

  const inbox = async (phone: string): Promise<string[]> => (await listOutbox(stack.gateway.redis, stack.gateway.keys, { phone, limit: 50 })).map((m) => m.message);
  const waitFor = (phone: string, count: number): Promise<string> =>
    eventually(async () => { const all = await inbox(phone); return all.length >= count ? all[0] : undefined; }, 10000, `${count} messages for ${phone}`);
  async function text(from: string, body: string): Promise<void> {
    const response = await request(stack.gateway.app).post('/webhooks/africastalking/sms').type('form').send(smsBody({ from, text: body, id: nextId() }));
    expect(response.status).toBe(200);
  }

  it('asks each subscriber once, in their language, and nobody else', async () => {
    stack.clock.set(new Date(S105_END + 1000).toISOString());
    expect(await waitFor(SW, 1)).toMatch(/^Asante kwa kuhudhuria kikao S105 .*1 \(dhaifu\) hadi 5 \(bora sana\)\.$/);
    expect(await waitFor(EN, 1)).toMatch(/^Thank you for attending session S105 .*1 \(poor\) to 5 \(excellent\)\.$/);
    await new Promise((r) => setTimeout(r, 500));
    expect(await inbox(COHORT_ONLY)).toEqual([]);
    expect(await inbox(OPTED_OUT)).toEqual([]);
  });

  it('records a bare digit against the request; a second digit replaces it', async () => {
    await text(SW, '4');
    expect(await waitFor(SW, 2)).toMatch(/^Asante\. Tathmini yako ya 4\/5 kwa kikao S105 .* imepokelewa\.$/);
    await text(EN, '5');
    expect(await waitFor(EN, 2)).toMatch(/^Thank you\. Your rating of 5\/5 for session S105 /);
    await text(EN, '3');
    expect(await waitFor(EN, 3)).toMatch(/is now 3\/5; your latest rating is the one that counts\.$/);
    await text(SW, '7');
    expect(await waitFor(SW, 3)).toBe('Tafadhali jibu kwa namba moja kuanzia 1 (dhaifu) hadi 5 (bora sana).');
  });

  it('shows the results in the admin API', async () => {
    const results = await request(stack.gateway.app).get('/api/v1/feedback/sessions/S105').set('Authorization', `Bearer ${TOKEN}`);
    expect(results.status).toBe(200);
    expect(results.body).toMatchObject({ session: 'S105', count: 2, average: 3.5, distribution: { 1: 0, 2: 0, 3: 1, 4: 1, 5: 0 }, comments: [] });
    const all = await request(stack.gateway.app).get('/api/v1/feedback/sessions').set('Authorization', `Bearer ${TOKEN}`);
    expect(all.body.items.find((item: { session: string }) => item.session === 'S105')).toMatchObject({ count: 2 });
  });

  it('asks the whole cohort when the organiser chooses it; an opted-out phone is still not asked', async () => {
    const settings = await request(stack.gateway.app).put('/api/v1/feedback/settings').set('Authorization', `Bearer ${TOKEN}`).send({ default: 'cohort', sessions: { S104: 'off' } });
    expect(settings.body).toEqual({ default: 'cohort', sessions: { S104: 'off' } });
    // S106 moved to end at 15:31 (12:31Z), one second from now: the agenda change schedules its request.
    stack.clock.set('2015-08-17T12:30:59.000Z');
    const moved = await request(stack.gateway.app).patch('/api/v1/agenda/sessions/S106').set('Authorization', `Bearer ${TOKEN}`).send({ start: '15:30', end: '15:31' });
    expect(moved.status).toBe(200);
    stack.clock.set('2015-08-17T12:31:01.000Z');
    expect(await waitFor(COHORT_ONLY, 1)).toMatch(/^Asante kwa kuhudhuria kikao S106 /);
    expect(await waitFor(SW, 4)).toMatch(/kikao S106 /);
    await new Promise((r) => setTimeout(r, 500));
    expect(await inbox(OPTED_OUT)).toEqual([]);
    // The latest request is the one a digit answers.
    await text(COHORT_ONLY, '5');
    expect(await waitFor(COHORT_ONLY, 2)).toMatch(/5\/5 kwa kikao S106 /);
    const s105 = await request(stack.gateway.app).get('/api/v1/feedback/sessions/S105').set('Authorization', `Bearer ${TOKEN}`);
    expect(s105.body.count).toBe(2);
  });
});
