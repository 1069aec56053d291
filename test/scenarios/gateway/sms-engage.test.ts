/**
 * Rating a session, asking the panel and checking in by SMS, in both languages, end to end
 * (webhook -> queue -> command -> outbound pipeline -> outbox): every answer, including unknown
 * sessions, sessions not started or over, no request pending, a repeated rating and a question too long.
 */
import request from 'supertest';
import { listOutbox } from '../../../src/providers/outbox/outbox.redis';
import { smsBody } from '../../support/at-bodies';
import { eventually, startGatewayStack, type GatewayStack } from '../../support/gateway-stack';

let counter = 0;
const nextId = (): string => `ATXid_en${Date.now().toString(16)}${(counter += 1).toString().padStart(6, '0')}`;
const TOKEN = 'admin-token-engage-0123456789ab';

// 17 August 2015, 16:00 in Arusha: S105 (14:00-15:30) is over, S403 (20 August) has not started.
const NOW = '2015-08-17T13:00:00.000Z';

describe('feedback, questions and check-in by SMS', () => {
  let stack: GatewayStack;
  beforeAll(async () => { stack = await startGatewayStack({ now: NOW, env: { ADMIN_TOKENS: `admin:${TOKEN}`, DIGEST_TIME: 'off', SMS_PER_PHONE_HOURLY_CAP: '0' } }); });
  afterAll(async () => { await stack.close(); });

  const inbox = async (phone: string): Promise<string[]> => (await listOutbox(stack.gateway.redis, stack.gateway.keys, { phone, limit: 50 })).map((m) => m.message);
  let seen = new Map<string, number>();
  /** Texts `body` from `phone` and resolves the one reply it gets. */
  async function ask(phone: string, body: string): Promise<string> {
    const before = seen.get(phone) ?? (await inbox(phone)).length;
    const response = await request(stack.gateway.app).post('/webhooks/africastalking/sms').type('form').send(smsBody({ from: phone, text: body, id: nextId() }));
    expect(response.status).toBe(200);
    const reply = await eventually(async () => { const all = await inbox(phone); return all.length > before ? all[0] : undefined; }, 10000, `a reply to ${body}`);
    seen.set(phone, before + 1);
    return reply;
  }
  const api = (path: string) => request(stack.gateway.app).get(`/api/v1${path}`).set('Authorization', `Bearer ${TOKEN}`);
  const register = async (phone: string, language: 'sw' | 'en') =>
    (await stack.gateway.services.delegates.register('egov2015', { phone, name: 'Bi. Asha Mushi', institution: 'e-GA', institutionType: 'central', cohort: '1', language, channel: 'api' }, new Date(NOW))).delegate;
  beforeEach(() => { seen = new Map(); });

  describe.each([
    { lang: 'sw', phone: '+255713400001', RATE: 'TATHMINI', ASK: 'SWALI', HERE: 'NIPO', typo: 'TATHMNI' },
    { lang: 'en', phone: '+255713400002', RATE: 'RATE', ASK: 'ASK', HERE: 'HERE', typo: 'FEEDBAK' },
  ])('$lang', ({ lang, phone, RATE, ASK, HERE, typo }) => {
    const sw = lang === 'sw';

    it('rates a session that is over; a second rating replaces the first and says so', async () => {
      expect(await ask(phone, `${RATE} S105 4 Mada nzuri, muda mfupi`)).toMatch(sw ? /^Asante\. Tathmini yako ya 4\/5 kwa kikao S105 / : /^Thank you\. Your rating of 4\/5 for session S105 /);
      expect(await ask(phone, `${typo} s105, 2`)).toMatch(sw ? /sasa ni 2\/5; tathmini ya mwisho ndiyo inayohesabiwa\.$/ : /is now 2\/5; your latest rating is the one that counts\.$/);
    });

    it('answers an unknown session, one not started, a score out of range, a bare keyword and a comment too long', async () => {
      expect(await ask(phone, `${RATE} S999 4`)).toBe(sw ? 'Hakuna kikao S999. Tuma RATIBA kuona namba za vikao.' : 'There is no session S999. Send AGENDA to see the session codes.');
      expect(await ask(phone, `${RATE} S403 5`)).toMatch(sw ? /^Kikao S403 .* bado hakijaanza \(20\/8, 11:30-12:30\)\./ : /^Session S403 .* has not started yet \(20\/8, 11:30-12:30\)\./);
      expect(await ask(phone, `${RATE} S105 9`)).toMatch(sw ? /^Tafadhali jibu kwa namba moja kuanzia 1/ : /^Please reply with one digit from 1/);
      expect(await ask(phone, RATE)).toMatch(sw ? /^Tafadhali tuma TATHMINI, namba ya kikao na alama 1 hadi 5/ : /^Please send RATE, the session code and a score from 1 to 5/);
      expect(await ask(phone, `${RATE} S105 3 ${'x'.repeat(301)}`)).toMatch(sw ? /herufi zisizidi 300/ : /at most 300 characters/);
    });

    it('takes a question for a session not over, refuses one for a session over, and one too long', async () => {
      expect(await ask(phone, `${ASK} S403 Je, mfumo wa malipo utaunganishwa lini na halmashauri?`)).toMatch(sw ? /^Asante\. Swali lako kwa kikao S403 .* limepokelewa; litaonyeshwa baada ya kuhakikiwa\.$/ : /^Thank you\. Your question for session S403 .* has been received; it will be shown once approved\.$/);
      expect(await ask(phone, `${ASK} S105 Je, slaidi zitapatikana?`)).toMatch(sw ? /^Samahani, kikao S105 .* kimekwisha; maswali yake hayapokelewi tena\.$/ : /^Sorry, session S105 .* is over; it no longer takes questions\.$/);
      expect(await ask(phone, `${ASK} S403 ${'swali '.repeat(60)}`)).toMatch(sw ? /^Swali lina herufi 359; zisizidi 280\./ : /^Your question has 359 characters; at most 280\./);
      expect(await ask(phone, `${ASK} S999 Je?`)).toMatch(/S999/);
      expect(await ask(phone, ASK)).toMatch(sw ? /^Tafadhali tuma SWALI, namba ya kikao na swali lako/ : /^Please send ASK, the session code and your question/);
    });

    it('checks a registered delegate in by code, once a day, and refuses unknown or other codes', async () => {
      const me = await register(phone, lang as 'sw' | 'en');
      const other = await register(sw ? '+255713400091' : '+255713400092', 'sw');
      expect(await ask(phone, `${HERE} ${me.code.toLowerCase()}`)).toBe(sw ? `Karibu Bi. Asha Mushi. Kufika kwako leo 17/8 kumethibitishwa. Namba ya usajili: ${me.code}.` : `Welcome Bi. Asha Mushi. Your arrival today 17/8 is confirmed. Registration code: ${me.code}.`);
      expect(await ask(phone, HERE)).toBe(sw ? 'Bi. Asha Mushi, kufika kwako leo 17/8 kulithibitishwa tayari (16:00).' : 'Bi. Asha Mushi, your arrival today 17/8 was already confirmed (16:00).');
      expect(await ask(phone, `${HERE} QQQQQ`)).toMatch(sw ? /^Hakuna usajili wenye namba QQQQQ\./ : /^No registration has the code QQQQQ\./);
      expect(await ask(phone, `${HERE} ${other.code}`)).toMatch(sw ? new RegExp(`^Namba ya usajili ${other.code} si ya simu hii\\.`) : new RegExp(`^Registration code ${other.code} belongs to another phone\\.`));
      expect(await ask(sw ? '+255713400081' : '+255713400082', HERE)).toMatch(sw ? /^Tafadhali tuma NIPO na namba yako ya usajili/ : /^Please send HERE and your registration code/);
    });

    it('a bare digit with no request pending is told so in the delegate language, not ignored', async () => {
      expect(await ask(phone, '4')).toMatch(sw ? /^Hakuna ombi la tathmini linalosubiri jibu lako\./ : /^No rating request is waiting for your reply\./);
    });
  });

  it('the results, the moderation queue and the attendance show what was sent', async () => {
    const s105 = await api('/feedback/sessions/S105');
    expect(s105.body).toMatchObject({ count: 2, average: 2, distribution: { 2: 2 } });
    const questions = await api('/questions/S403');
    expect(questions.body.items).toHaveLength(2);
    expect(questions.body.items[0]).toMatchObject({ session: 'S403', status: 'pending', channel: 'sms', text: 'Je, mfumo wa malipo utaunganishwa lini na halmashauri?' });
    const stats = await api('/stats');
    expect(stats.body.attendance.days.find((d: { day: string }) => d.day === '2015-08-17')).toEqual({ day: '2015-08-17', checkedIn: 2 });
  });
});
