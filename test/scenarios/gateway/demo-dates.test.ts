/**
 * DEMO_DATES=today: the sample event starts today, so a newcomer sees now-and-next, can set a
 * reminder for a session starting soon, and SMS SASA answers with today's sessions.
 */
import request from 'supertest';
import { listOutbox } from '../../../src/providers/outbox/outbox.redis';
import { loadConfig } from '../../../src/config/load';
import { smsBody } from '../../support/at-bodies';
import { eventually, startGatewayStack, type GatewayStack } from '../../support/gateway-stack';

describe('demo dates', () => {
  let stack: GatewayStack;
  // 09:40 in Arusha on 7 December 2026.
  beforeAll(async () => { stack = await startGatewayStack({ env: { DEMO_DATES: 'today' }, now: '2026-12-07T06:40:00.000Z' }); });
  afterAll(async () => { await stack.close(); });

  it('moves the sample event to today and the following days', async () => {
    const event = await stack.gateway.services.agenda.get('egov2015');
    expect(event.days.map((d) => d.date)).toEqual(['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10']);
    expect(event.days[0]?.label.sw).toBe('Jumatatu 7/12 (Kundi 1)');
  });

  it('now and next and a reminder can be tried at once', async () => {
    const phone = '+255713900001';
    await request(stack.gateway.app).post('/webhooks/africastalking/sms').type('form').send(smsBody({ from: phone, text: 'SASA', id: 'ATXid_demo_1' })).expect(200);
    const reply = await eventually(async () => (await listOutbox(stack.gateway.redis, stack.gateway.keys, { phone, limit: 5 }))[0]?.message, 10000, 'the SASA reply');
    expect(reply).toMatch(/^Vikao vya sasa na vijavyo \(Ratiba ya mfano\):\nSasa: 09:30 S102 Ufunguzi rasmi/);
    await request(stack.gateway.app).post('/webhooks/africastalking/sms').type('form').send(smsBody({ from: phone, text: 'KUMBUSHA S103', id: 'ATXid_demo_2' })).expect(200);
    const ok = await eventually(async () => { const all = await listOutbox(stack.gateway.redis, stack.gateway.keys, { phone, limit: 5 }); return all.length >= 2 ? all[0]?.message : undefined; }, 10000, 'the KUMBUSHA reply');
    expect(ok).toBe('Tutakukumbusha kabla ya kikao S103 Sera na miongozo, 7/12 saa 5:00 asubuhi (11:00), Simba Hall (Ratiba ya mfano).');
  });

  it('is refused in production, and auto is off there', () => {
    // Otherwise a valid production setup, so DEMO_DATES is the only thing refused.
    const production = { NODE_ENV: 'production', WEBHOOK_KEY: '7f3a9c41e2b85d06af19c3e7', ALLOW_OUTBOX_IN_PRODUCTION: 'true' };
    expect(() => loadConfig(production)).not.toThrow();
    expect(() => loadConfig({ ...production, DEMO_DATES: 'today' })).toThrow(/\(1 problem\):\s+- DEMO_DATES: today moves sample events/);
    expect(loadConfig({ ...production, DEMO_DATES: 'auto' }).flows.demoDatesToday).toBe(false);
    expect(loadConfig({ DEMO_DATES: 'auto' }).flows.demoDatesToday).toBe(true);
    expect(loadConfig({}).flows.demoDatesToday).toBe(false);
  });
});
