/**
 * Message validity end to end: a reminder that fires after its session has started is skipped
 * `expired` (never sent late); a broadcast past its expiry records every recipient as skipped
 * `expired`; a draft whose expiry is not after its send time is refused with the field named.
 */
import request from 'supertest';
import { listOutbox } from '../../../src/providers/outbox/outbox.redis';
import { AtPhone } from '../../support/at-phone';
import { eventually, startGatewayStack } from '../../support/gateway-stack';

// S102 starts 09:30 in Arusha (06:30Z). With a lead of 0 its reminder is due at the start itself.
const START = Date.parse('2015-08-17T06:30:00.000Z');

async function ledgerEntriesFor(stack: Awaited<ReturnType<typeof startGatewayStack>>, phone: string) {
  const { messaging } = stack.gateway.services;
  const found = [];
  for (const id of await messaging.listMessages({ limit: 50 })) for (const entry of await messaging.listByGroup(id)) if (entry.phone === phone) found.push({ meta: await messaging.getMessage(id), entry });
  return found;
}

test('a reminder firing after its session started is skipped `expired`, not sent', async () => {
  const stack = await startGatewayStack({ now: new Date(START - 1500).toISOString(), env: { DIGEST_TIME: 'off', REMINDER_LEAD_MINUTES: '0' } });
  try {
    const phone = new AtPhone(stack.gateway.app, '+255714000091');
    await phone.dial();
    await phone.send('2');
    await phone.send('1');
    const days = await phone.send('1');
    const choice = days.split('\n').find((l) => l.includes('09:30'))?.split('.')[0] ?? '2';
    await phone.send(choice);
    await phone.send('1');
    expect(await stack.gateway.services.reminders.listForPhone('egov2015', phone.phoneNumber)).toContain('S102');
    stack.clock.set(new Date(START + 1000).toISOString());
    const reminder = await eventually(async () => (await ledgerEntriesFor(stack, phone.phoneNumber)).find((found) => found.meta?.purpose === 'reminder'), 10_000, 'the reminder in the ledger');
    expect(reminder.entry).toMatchObject({ state: 'skipped', reason: 'expired' });
    const inbox = (await listOutbox(stack.gateway.redis, stack.gateway.keys, { phone: phone.phoneNumber, limit: 50 })).map((m) => m.message);
    expect(inbox.some((text) => text.includes('S102'))).toBe(false);
  } finally {
    await stack.close();
  }
});

test('a broadcast that reaches its expiry before it goes out is recorded as skipped `expired` for every recipient', async () => {
  const stack = await startGatewayStack({ workers: false });
  try {
    const now = stack.clock.now().getTime();
    const { broadcast } = await stack.gateway.broadcasts.create({ audience: { phones: ['+255715000001', '+255715000002'] }, messages: { sw: 'Kikao kimeahirishwa' }, urgent: true, validForMinutes: 10 }, 'validity-1');
    expect(broadcast.expiresAt).toBe(new Date(now + 10 * 60_000).toISOString());
    stack.clock.set(new Date(now + 11 * 60_000).toISOString());
    await stack.gateway.startWorkers();
    const done = await eventually(async () => {
      const status = await stack.gateway.broadcasts.get(broadcast.id);
      return status && status.counts.skipped === 2 ? status : undefined;
    }, 10_000, 'the broadcast skipped');
    expect(done.counts).toMatchObject({ sent: 0, delivered: 0, skipped: 2 });
    expect((await stack.gateway.broadcasts.report(broadcast.id)).byReason).toEqual({ expired: 2 });
    expect(await listOutbox(stack.gateway.redis, stack.gateway.keys, { limit: 50 })).toHaveLength(0);
  } finally {
    await stack.close();
  }
});

test('the admin API refuses an expiry that is not after the send time, and both ways of giving one', async () => {
  const stack = await startGatewayStack({ workers: false, env: { ADMIN_TOKENS: 'admin:admin-token-0123456789' } });
  try {
    const post = (body: object) => request(stack.gateway.app).post('/api/v1/broadcasts').set('Authorization', 'Bearer admin-token-0123456789').set('Idempotency-Key', `k-${Math.random()}`).send(body);
    const base = { audience: { phones: ['+255715000009'] }, messages: { sw: 'Habari' }, urgent: true };
    const past = await post({ ...base, expiresAt: '2015-08-17T04:00:00.000Z' });
    expect(past.status).toBe(400);
    expect(past.body.message).toMatch(/expiresAt .* is not after the send time/);
    const both = await post({ ...base, expiresAt: '2015-08-17T09:00:00.000Z', validForMinutes: 30 });
    expect(both.status).toBe(400);
    expect(both.body.message).toMatch(/not both/);
    const fine = await post({ ...base, expiresAt: '2015-08-17T09:00:00.000Z' });
    expect(fine.status).toBe(201);
    expect(fine.body.expiresAt).toBe('2015-08-17T09:00:00.000Z');
  } finally {
    await stack.close();
  }
});

test('the content guard holds back a repeated broadcast text, unless forced; re-sending failed recipients is never guarded', async () => {
  let calls = 0;
  const provider = {
    name: 'flaky',
    // The first call fails every recipient for good; later calls accept.
    async send(sms: { to: string[] }) {
      calls += 1;
      return calls === 1
        ? { kind: 'per_recipient' as const, recipients: sms.to.map((number) => ({ number, result: 'failed_permanent' as const, reason: 'DeliveryFailure' })) }
        : { kind: 'per_recipient' as const, recipients: sms.to.map((number, n) => ({ number, result: 'accepted' as const, providerMessageId: `X${calls}_${n}`, statusCode: 101 })) };
    },
  };
  const stack = await startGatewayStack({ provider, env: { SMS_CONTENT_REPEAT_CAP: '1' } });
  try {
    const draft = { audience: { phones: ['+255715000021'] }, messages: { sw: 'Mkutano wa jioni' }, urgent: true };
    const settle = (id: string) => eventually(async () => {
      const status = await stack.gateway.broadcasts.get(id);
      return status && status.counts.queued === 0 && status.counts.sending === 0 ? status : undefined;
    }, 10_000, 'settled');
    const first = (await stack.gateway.broadcasts.create(draft, 'guard-1')).broadcast;
    expect((await settle(first.id)).counts.failed).toBe(1);
    const resent = await stack.gateway.broadcasts.resend(first.id, 'failed');
    expect(resent.queued).toBe(1);
    await eventually(async () => ((await ledgerEntriesFor(stack, '+255715000021')).some((found) => found.entry.state === 'sent') ? true : undefined), 10_000, 'the re-send sent');
    const again = (await stack.gateway.broadcasts.create(draft, 'guard-2')).broadcast;
    expect((await stack.gateway.broadcasts.report((await settle(again.id)).id)).byReason).toEqual({ repeated_content: 1 });
    const forced = (await stack.gateway.broadcasts.create({ ...draft, force: true }, 'guard-3')).broadcast;
    expect((await settle(forced.id)).counts.sent).toBe(1);
  } finally {
    await stack.close();
  }
});
