/**
 * What a delegate texts without reading the help first: `ONDOA S301` / `REMOVE S301` removes that
 * reminder (not every SMS), and `SAJILI name, institution[, Kundi 2]` files the cohort only when it
 * is named, in both languages, end to end through the webhook, the queue and the outbox.
 */
import request from 'supertest';
import { listOutbox } from '../../../src/providers/outbox/outbox.redis';
import { smsBody } from '../../support/at-bodies';
import { eventually, startGatewayStack, type GatewayStack } from '../../support/gateway-stack';

let counter = 0;
const nextId = (): string => `ATXid_rr${Date.now().toString(16)}${(counter += 1).toString().padStart(6, '0')}`;

describe('removing one reminder and registering a cohort by SMS', () => {
  let stack: GatewayStack;
  beforeAll(async () => { stack = await startGatewayStack(); });
  afterAll(async () => { await stack.close(); });

  async function text(from: string, body: string): Promise<void> {
    const response = await request(stack.gateway.app).post('/webhooks/africastalking/sms').type('form').send(smsBody({ from, text: body, id: nextId() }));
    expect(response.status).toBe(200);
  }
  const inbox = async (phone: string): Promise<string[]> =>
    (await listOutbox(stack.gateway.redis, stack.gateway.keys, { phone, limit: 50 })).map((m) => m.message);
  /** Waits for the phone's inbox to hold `count` messages; returns the newest. */
  const replyNumber = (phone: string, count: number): Promise<string> =>
    eventually(async () => { const all = await inbox(phone); return all.length >= count ? all[0] : undefined; }, 10000, `${count} messages for ${phone}`);
  const reminders = (phone: string) => stack.gateway.redis.smembers(stack.gateway.keys.reminders.byPhone('egov2015', phone));
  const stored = (phone: string, field: string) => stack.gateway.redis.hget(stack.gateway.keys.delegates.byPhone('egov2015', phone), field);

  it.each([
    ['sw', '+255713100001', 'KUMBUSHA', 'ondoa s301', /kimeondolewa/, 'RATIBA', /^Ratiba/],
    ['en', '+255713100002', 'REMIND', 'REMOVE S301', /has been removed/, 'AGENDA', /^Agenda/],
  ])('%s: removes only that reminder and keeps every other SMS coming', async (_lang, phone, remind, remove, removed, agenda, agendaReply) => {
    // Day-3 sessions: no reminder falls due at the stack's clock, so the inbox holds only replies.
    await text(phone, `${remind} S301`);
    await replyNumber(phone, 1);
    await text(phone, `${remind} S302`);
    await replyNumber(phone, 2);
    await text(phone, remove);
    const answer = await replyNumber(phone, 3);
    expect(answer).toMatch(removed);
    expect(answer).toContain('S301');
    expect(await reminders(phone)).toEqual(['S302']);
    await text(phone, agenda);
    await replyNumber(phone, 4);
    expect((await inbox(phone)).filter((message) => agendaReply.test(message))).toHaveLength(1);
  });

  it('says so when there was no such reminder, and a bare ONDOA still opts out', async () => {
    const phone = '+255713100003';
    await text(phone, 'ONDOA kikumbusho S103');
    expect(await replyNumber(phone, 1)).toMatch(/^Huna kikumbusho cha S103/);
    await text(phone, 'ONDOA');
    expect(await replyNumber(phone, 2)).toMatch(/^Umejiondoa/);
    await text(phone, 'RATIBA');
    // Opted out: RATIBA is not answered, but the phone is told once why and how to come back.
    expect(await replyNumber(phone, 3)).toMatch(/^Umejiondoa kwenye SMS za .*Tuma ANZA kurudi\.$/);
  });

  it.each([
    ['sw', '+255713100004', 'SAJILI Asha Juma, Wizara ya Fedha, Kundi 2', '2'],
    ['en', '+255713100005', 'REG John Mushi; Ministry of Finance; Cohort 2', '2'],
    ['sw', '+255713100006', 'SAJILI Neema Mollel, TAMISEMI, 1', '1'],
  ])('%s: a named cohort is filed (%s)', async (_lang, phone, body, cohort) => {
    await text(phone, body);
    await replyNumber(phone, 1);
    expect(await stored(phone, 'cohort')).toBe(cohort);
  });

  it.each([
    ['sw', '+255713100007', 'SAJILI Asha Juma, Wizara ya Fedha', /Tafadhali jibu kwa namba ya kundi lako:\n1 Kundi 1: TEHAMA, mipango, mawasiliano, utawala, Rasilimaliwatu\n2 Kundi 2: /, 'SAJILI Kundi 2', /^Asante\. Tafadhali jibu kwa namba ya aina ya taasisi yako:\n1 Wizara\n/],
    ['en', '+255713100008', 'REG John Mushi, Ministry of Finance', /Please reply with the number of your cohort:\n1 Cohort 1: ICT, planning, communications, admin, HR officers\n2 Cohort 2: /, 'REG cohort 2', /^Thank you\. Please reply with the number of your institution type:\n1 Ministry\n/],
  ])('%s: without a cohort none is guessed; the reply asks for it by number, SAJILI Kundi 2 still adds it, then the type is asked', async (_lang, phone, body, ask, add, added) => {
    await text(phone, body);
    expect(await replyNumber(phone, 1)).toMatch(ask);
    expect(await stored(phone, 'cohort')).toBe('');
    await text(phone, add);
    expect(await replyNumber(phone, 2)).toMatch(added);
    expect(await stored(phone, 'cohort')).toBe('2');
  });

  it.each([
    ['sw', '+255713100010', 'SAJILI Dkt. Asha Juma; Ofisi ya Rais, Tawala za Mikoa na Serikali za Mitaa (TAMISEMI)', 'Asante Dkt. Asha Juma, usajili wako umekamilika: Kundi 2: Makatibu/Watendaji Wakuu, Wakurugenzi wa Halmashauri, Bodi; Wizara. Namba ya usajili: '],
    ['en', '+255713100011', 'REG Dr. John Mushi; Ministry of Finance', 'Thank you Dr. John Mushi, your registration is complete: Cohort 2: PSs, Chief Executives, DGs, LGA Directors, Boards; Ministry. Registration code: '],
  ])('%s: the follow-up questions are answered by one digit each: a wrong number is asked again, nothing is guessed', async (_lang, phone, body, done) => {
    await text(phone, body);
    await replyNumber(phone, 1);
    await text(phone, '7');
    expect(await replyNumber(phone, 2)).toMatch(/^(Namba hiyo si mojawapo|That number is not one of the choices)/);
    expect(await stored(phone, 'cohort')).toBe('');
    await text(phone, '2');
    await replyNumber(phone, 3);
    expect(await stored(phone, 'cohort')).toBe('2');
    await text(phone, ' 1 ');
    expect(await replyNumber(phone, 4)).toContain(done);
    expect(await stored(phone, 'institutionType')).toBe('ministry');
    expect(await stored(phone, 'institution')).toMatch(/^(Ofisi ya Rais, Tawala za Mikoa na Serikali za Mitaa \(TAMISEMI\)|Ministry of Finance)$/);
    // The question is closed: a number now answers no follow-up; with no rating request waiting the
    // reply says how to rate a session, and the registration is left as it was.
    await text(phone, '1');
    expect(await replyNumber(phone, 5)).toMatch(/^(Hakuna ombi la tathmini linalosubiri jibu lako\. Kutathmini kikao tuma TATHMINI|No rating request is waiting for your reply\. To rate a session send RATE)/);
    expect(await stored(phone, 'cohort')).toBe('2');
    expect(await stored(phone, 'institutionType')).toBe('ministry');
  });

  it('files the institution type a part names', async () => {
    const phone = '+255713100009';
    await text(phone, 'SAJILI Asha Juma, Wizara ya Fedha, Wizara, Kundi 1');
    await replyNumber(phone, 1);
    expect(await stored(phone, 'institutionType')).toBe('ministry');
    expect(await stored(phone, 'cohort')).toBe('1');
  });
});
