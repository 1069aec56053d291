/**
 * Reminders end to end with a fixed clock: subscribed by USSD, the reminder reaches the outbox
 * when its moment comes, follows the session when it moves (with one change notice), never
 * arrives twice, and never after an opt-out.
 */
import { listOutbox } from '../../../src/providers/outbox/outbox.redis';
import { AtPhone } from '../../support/at-phone';
import { eventually, startGatewayStack, type GatewayStack } from '../../support/gateway-stack';

// S102 starts 09:30 in Arusha (06:30Z); with the 30-minute lead its reminder is due at 06:00Z.
const DUE = Date.parse('2015-08-17T06:00:00.000Z');

async function inbox(stack: GatewayStack, phone: string): Promise<string[]> {
  return (await listOutbox(stack.gateway.redis, stack.gateway.keys, { phone, limit: 50 })).map((m) => m.message);
}

async function subscribeByUssd(stack: GatewayStack, phone: AtPhone, code: string): Promise<void> {
  await phone.dial();
  await phone.send('2'); // Ratiba
  await phone.send('1'); // by day
  const days = await phone.send('1'); // Monday 17/8
  const line = days.split('\n').find((l) => l.includes(code) || l.includes('09:30'));
  const choice = line?.split('.')[0] ?? '2';
  const details = await phone.send(choice);
  expect(details).toContain(code);
  await phone.send('1');
  expect(await stack.gateway.services.reminders.listForPhone('egov2015', phone.phoneNumber)).toContain(code);
}

describe('reminders', () => {
  let stack: GatewayStack;
  beforeEach(async () => { stack = await startGatewayStack({ now: new Date(DUE - 1500).toISOString(), env: { DIGEST_TIME: 'off' } }); });
  afterEach(async () => { await stack.close(); });

  it('arrives once at its moment, in the delegate language', async () => {
    const phone = new AtPhone(stack.gateway.app, '+255714000001');
    await subscribeByUssd(stack, phone, 'S102');
    expect(await inbox(stack, phone.phoneNumber)).toHaveLength(0);
    stack.clock.set(new Date(DUE + 1000).toISOString());
    const reminder = await eventually(async () => (await inbox(stack, phone.phoneNumber))[0], 10000, 'the reminder');
    expect(reminder).toMatch(/S102/);
    // Subscribing again (same session, same time) schedules nothing new.
    await stack.gateway.services.scheduler.onSubscriptionChanged('egov2015', phone.phoneNumber, 'S102', true);
    await new Promise((r) => setTimeout(r, 2500));
    expect(await inbox(stack, phone.phoneNumber)).toHaveLength(1);
  });

  it('follows a moved session with one change notice and no reminder at the old time', async () => {
    const phone = new AtPhone(stack.gateway.app, '+255714000002');
    await subscribeByUssd(stack, phone, 'S102');
    const { agenda, scheduler } = stack.gateway.services;
    const before = await agenda.get('egov2015');
    const after = { ...before, sessions: before.sessions.map((s) => (s.code === 'S102' ? { ...s, start: '10:30', end: '11:30' } : s)) };
    await agenda.put('egov2015', after);
    await scheduler.onAgendaChanged('egov2015', before, after);
    await scheduler.onAgendaChanged('egov2015', before, after);
    const notice = await eventually(async () => (await inbox(stack, phone.phoneNumber))[0], 10000, 'the change notice');
    expect(notice).toMatch(/10:30/);
    stack.clock.set(new Date(DUE + 1000).toISOString());
    await new Promise((r) => setTimeout(r, 2500));
    expect(await inbox(stack, phone.phoneNumber)).toHaveLength(1);
  });

  it('is not sent after an opt-out', async () => {
    const phone = new AtPhone(stack.gateway.app, '+255714000003');
    await subscribeByUssd(stack, phone, 'S102');
    await stack.gateway.services.messaging.suppression.suppress(phone.phoneNumber, 'keyword');
    stack.clock.set(new Date(DUE + 1000).toISOString());
    await new Promise((r) => setTimeout(r, 3000));
    expect(await inbox(stack, phone.phoneNumber)).toHaveLength(0);
  });

  it('is dropped, not sent late, past the grace window', async () => {
    const phone = new AtPhone(stack.gateway.app, '+255714000004');
    await subscribeByUssd(stack, phone, 'S102');
    stack.clock.set(new Date(DUE + 16 * 60_000).toISOString());
    await new Promise((r) => setTimeout(r, 3000));
    expect(await inbox(stack, phone.phoneNumber)).toHaveLength(0);
  });
});
