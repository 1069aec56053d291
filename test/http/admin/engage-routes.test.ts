/**
 * The feedback, question and check-in routes on the whole gateway: settings, results and the
 * spreadsheet-safe CSV, the survey by SMS, moderation and the projector feed with its token, the
 * check-in desk (search by code, local phone or name; one idempotent call), the "not checked in"
 * broadcast audience, and erasure of a delegate's ratings, questions and check-ins.
 */
import request from 'supertest';
import { listOutbox } from '../../../src/providers/outbox/outbox.redis';
import { smsBody } from '../../support/at-bodies';
import { eventually, startGatewayStack, type GatewayStack } from '../../support/gateway-stack';

const ADMIN = 'admin-token-engage-routes-0123456789';
const VIEWER = 'viewer-token-engage-routes-0123456789';
const NOW = '2015-08-20T07:00:00.000Z'; // 20 August, 10:00 in Arusha: S403 (11:30) is next
let counter = 0;
const nextId = (): string => `ATXid_er${Date.now().toString(16)}${(counter += 1).toString().padStart(6, '0')}`;

describe('feedback, questions and check-in routes', () => {
  let stack: GatewayStack;
  const as = (token: string) => ({
    get: (path: string) => request(stack.gateway.app).get(`/api/v1${path}`).set('Authorization', `Bearer ${token}`),
    post: (path: string, body: object = {}) => request(stack.gateway.app).post(`/api/v1${path}`).set('Authorization', `Bearer ${token}`).send(body),
    put: (path: string, body: object) => request(stack.gateway.app).put(`/api/v1${path}`).set('Authorization', `Bearer ${token}`).send(body),
    patch: (path: string, body: object) => request(stack.gateway.app).patch(`/api/v1${path}`).set('Authorization', `Bearer ${token}`).send(body),
  });
  const admin = () => as(ADMIN);
  const viewer = () => as(VIEWER);
  const register = async (phone: string, name: string, language: 'sw' | 'en' = 'sw') =>
    (await stack.gateway.services.delegates.register('egov2015', { phone, name, institution: 'Wizara ya Fedha', institutionType: 'central', cohort: '2', language, channel: 'api' }, new Date(NOW))).delegate;
  const inbox = async (phone: string): Promise<string[]> => (await listOutbox(stack.gateway.redis, stack.gateway.keys, { phone, limit: 50 })).map((m) => m.message);
  const waitFor = (phone: string, count: number): Promise<string> =>
    eventually(async () => { const all = await inbox(phone); return all.length >= count ? all[0] : undefined; }, 10000, `${count} messages for ${phone}`);
  const text = async (from: string, body: string) =>
    expect((await request(stack.gateway.app).post('/webhooks/africastalking/sms').type('form').send(smsBody({ from, text: body, id: nextId() }))).status).toBe(200);

  beforeAll(async () => { stack = await startGatewayStack({ now: NOW, env: { ADMIN_TOKENS: `admin:${ADMIN},viewer:${VIEWER}`, DIGEST_TIME: 'off', SMS_PER_PHONE_HOURLY_CAP: '0' } }); });
  afterAll(async () => { await stack.close(); });

  describe('feedback', () => {
    it('settings: read by a viewer, changed by an admin, refused for an unknown session or audience', async () => {
      expect((await viewer().get('/feedback/settings')).body).toEqual({ default: 'subscribers', sessions: {} });
      expect((await viewer().put('/feedback/settings', { default: 'cohort' })).status).toBe(403);
      expect((await admin().put('/feedback/settings', { default: 'cohort', sessions: { S999: 'off' } })).body.code).toBe('SESSION.NOT_FOUND');
      expect((await admin().put('/feedback/settings', { default: 'everyone' })).body.code).toBe('VALIDATION.FAILED');
      expect((await admin().put('/feedback/settings', { default: 'off', sessions: { S101: 'cohort' } })).body).toEqual({ default: 'off', sessions: { S101: 'cohort' } });
    });

    it('results per session and a CSV that a spreadsheet cannot run', async () => {
      const phone = '+255713500001';
      await text(phone, 'TATHMINI S101 5 =HYPERLINK("http://x","bofya")');
      await waitFor(phone, 1);
      await text('+255713500002', 'RATE S101 3');
      await waitFor('+255713500002', 1);
      const s101 = await viewer().get('/feedback/sessions/S101');
      expect(s101.body).toMatchObject({ session: 'S101', count: 2, average: 4, distribution: { 1: 0, 2: 0, 3: 1, 4: 0, 5: 1 }, comments: [{ rating: 5, comment: '=HYPERLINK("http://x","bofya")' }] });
      expect(JSON.stringify(s101.body)).not.toContain('255713500001');
      expect((await viewer().get('/feedback/sessions/S999')).status).toBe(404);
      const csv = await viewer().get('/feedback.csv');
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      // Every cell quoted, and a formula neutralised by a leading apostrophe.
      expect(csv.text.split('\r\n')[0]).toBe('"session","title","rating","comment","at","language","channel"');
      expect(csv.text).toContain(`"S101","Registration","5","'=HYPERLINK(""http://x"",""bofya"")","2015-08-20T07:00:00.000Z","sw","sms"`);
      expect(csv.text).not.toContain('255713500001');
    });

    it('the survey goes out by SMS one question at a time and its results add up', async () => {
      const sw = '+255713500011';
      const en = '+255713500012';
      await register(sw, 'Dkt. Neema Mollel');
      await register(en, 'Mr. John Mrema', 'en');
      const sent = await admin().post('/survey/send', { audience: 'registered' });
      expect(sent.body).toMatchObject({ queued: 2, skipped: 0, alreadyStarted: 0 });
      expect(await waitFor(sw, 1)).toBe('Tathmini ya Mkutano wa Serikali Mtandao 2015: tafadhali jibu kila swali kwa namba moja, 1 (dhaifu) hadi 5 (bora sana).\n1/4 Je, mkutano kwa ujumla ulikuwaje?');
      expect(await waitFor(en, 1)).toMatch(/\n1\/4 How was the conference overall\?$/);
      await text(sw, '5');
      expect(await waitFor(sw, 2)).toBe('2/4 Je, mada za vikao zilifaa kazi yako?');
      await text(sw, '9');
      expect(await waitFor(sw, 3)).toMatch(/^Tafadhali jibu kwa namba moja/);
      for (const [n, digit] of [[4, '4'], [5, '3'], [6, '4']] as const) {
        await text(sw, digit);
        await waitFor(sw, n);
      }
      expect((await inbox(sw))[0]).toMatch(/^Asante kwa kujibu tathmini ya mkutano\./);
      await text(en, '2');
      await waitFor(en, 2);
      // Sending again reaches nobody who has started.
      expect((await admin().post('/survey/send', {})).body).toMatchObject({ queued: 0, alreadyStarted: 2 });
      const results = await viewer().get('/survey');
      expect(results.body).toMatchObject({ started: 2, completed: 1 });
      expect(results.body.questions[0]).toMatchObject({ number: 1, count: 2, average: 3.5, en: 'How was the conference overall?' });
      expect(results.body.questions).toHaveLength(4);
      const csv = await viewer().get('/survey.csv');
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.text.split('\r\n').slice(0, 2)).toEqual([
        '"question","sw","en","answers","average","answered_1","answered_2","answered_3","answered_4","answered_5"',
        '"1","Je, mkutano kwa ujumla ulikuwaje?","How was the conference overall?","2","3.5","0","1","0","0","1"',
      ]);
    });
  });

  describe('questions to the panel', () => {
    it('a moderation queue per session, and a projector feed of the approved ones behind a token', async () => {
      await text('+255713500021', 'SWALI S403 Je, mfumo utaunganishwa na halmashauri lini?');
      await waitFor('+255713500021', 1);
      await text('+255713500022', 'ASK S403 Will the slides be shared?');
      await waitFor('+255713500022', 1);
      const queue = await viewer().get('/questions/S403');
      expect(queue.body.items.map((q: { status: string }) => q.status)).toEqual(['pending', 'pending']);
      const [first, second] = queue.body.items as Array<{ id: string }>;
      expect((await viewer().patch(`/questions/S403/${first?.id}`, { status: 'approved' })).status).toBe(403);
      expect((await admin().patch(`/questions/S403/${first?.id}`, { status: 'approved' })).body).toMatchObject({ status: 'approved' });
      expect((await admin().patch(`/questions/S403/${second?.id}`, { status: 'hidden' })).body).toMatchObject({ status: 'hidden' });
      expect((await admin().patch('/questions/S403/999', { status: 'approved' })).body.code).toBe('QUESTION.NOT_FOUND');
      expect((await admin().patch(`/questions/S403/${first?.id}`, { status: 'shown' })).body.code).toBe('VALIDATION.FAILED');
      expect((await viewer().get('/questions/S403?status=hidden')).body.items).toHaveLength(1);

      const feed = (query = '', headers: Record<string, string> = {}) => request(stack.gateway.app).get(`/api/v1/projector/S403${query}`).set(headers);
      expect((await feed()).status).toBe(401);
      expect((await feed('', { 'X-Projector-Token': 'wrong' })).status).toBe(401);
      const link = await admin().post('/questions/S403/projector-token');
      expect(link.body.url).toBe(`/projector/#pack=egov2015&session=S403&token=${link.body.token}`);
      const shown = await feed('', { 'X-Projector-Token': link.body.token });
      expect(shown.status).toBe(200);
      expect(shown.body.questions).toEqual([{ id: first?.id, text: 'Je, mfumo utaunganishwa na halmashauri lini?', at: NOW }]);
      expect(JSON.stringify(shown.body)).not.toContain('255713500021');
      // The token is the session's only; a viewer token works too; a fresh token retires the old one.
      expect((await request(stack.gateway.app).get('/api/v1/projector/S101').set('X-Projector-Token', link.body.token)).status).toBe(401);
      expect((await feed('', { Authorization: `Bearer ${VIEWER}` })).status).toBe(200);
      const fresh = await admin().post('/questions/S403/projector-token?fresh=true');
      expect(fresh.body.token).not.toBe(link.body.token);
      expect((await feed(`?token=${link.body.token}`)).status).toBe(401);
      expect((await feed(`?token=${fresh.body.token}`)).status).toBe(200);
      // Answered questions leave the projector.
      await admin().patch(`/questions/S403/${first?.id}`, { status: 'answered' });
      expect((await feed(`?token=${fresh.body.token}`)).body.questions).toEqual([]);
    });
  });

  describe('check-in', () => {
    it('finds a delegate by code, local phone or name, checks them in once, and counts attendance', async () => {
      const d = await register('+255787654321', 'Bw. Juma Kibwana');
      for (const q of [d.code.toLowerCase(), '0787654321', '787 654 321', 'kibwana']) {
        const found = await admin().get(`/checkin/search?q=${encodeURIComponent(q)}`);
        expect(found.body.items.map((x: { phone: string }) => x.phone)).toEqual(['+255787654321']);
        expect(found.body.items[0]).toMatchObject({ checkedIn: false, checkedInAt: null });
        // A viewer finds the same delegate with the phone masked.
        expect((await viewer().get(`/checkin/search?q=${encodeURIComponent(q)}`)).body.items.map((x: { phone: string }) => x.phone)).toEqual(['+2557XXXXX321']);
      }
      expect((await viewer().post('/checkin', { phone: '0787654321' })).status).toBe(403);
      const first = await admin().post('/checkin', { phone: '0787654321' });
      expect(first.body).toMatchObject({ created: true, day: '2015-08-20', at: NOW, delegate: { name: 'Bw. Juma Kibwana', checkedIn: true } });
      stack.clock.advance(60_000);
      const again = await admin().post('/checkin', { code: d.code });
      expect(again.body).toMatchObject({ created: false, at: NOW });
      expect((await admin().post('/checkin', { code: 'QQQQQ' })).body.code).toBe('DELEGATE.NOT_FOUND');
      expect((await admin().post('/checkin', { phone: '12' })).body.code).toBe('VALIDATION.PHONE');
      expect((await admin().post('/checkin', {})).body.code).toBe('VALIDATION.FAILED');
      expect((await viewer().get('/checkin/search?q=kibwana')).body.items[0]).toMatchObject({ checkedIn: true, checkedInAt: NOW });
      const attendance = await viewer().get('/checkin/attendance');
      expect(attendance.body.days.find((x: { day: string }) => x.day === '2015-08-20')).toEqual({ day: '2015-08-20', checkedIn: 1 });
      expect(attendance.body.days.map((x: { day: string }) => x.day)).toEqual(['2015-08-17', '2015-08-18', '2015-08-19', '2015-08-20']);
      // The dashboard shows the same check-in figures beside the invitation figures.
      const registered = (await stack.gateway.services.delegates.list('egov2015')).items.length;
      expect((await viewer().get('/stats')).body.attendance).toEqual({
        invited: 0, registered, invitedRegistered: 0, checkedIn: attendance.body.checkedInAtLeastOnce, ...attendance.body,
      });
      expect(attendance.body.checkedInAtLeastOnce).toBe(1);
    });

    it('"registered but not checked in" is a broadcast audience', async () => {
      const registered = (await stack.gateway.services.delegates.list('egov2015')).items.length;
      const preview = await admin().post('/broadcasts/preview', { audience: { notCheckedIn: true }, messages: { sw: 'Karibu {name}: beji yako iko meza ya usajili.' } });
      expect(preview.status).toBe(200);
      expect(preview.body.audience.eligible).toBe(registered - 1);
      expect((await admin().post('/broadcasts/preview', { audience: {}, messages: { sw: 'x' } })).body.details).toEqual([{ path: 'audience', message: 'empty audience' }]);
    });
  });

  it('erasing a delegate removes their ratings, questions, check-ins and survey answers', async () => {
    const phone = '+255713500031';
    const d = await register(phone, 'Bi. Rehema Futwa');
    for (const [n, body] of [[1, 'TATHMINI S101 4 Futwa alisema vizuri'], [2, 'SWALI S403 Swali la Futwa?'], [3, `NIPO ${d.code}`]] as const) {
      await text(phone, body);
      await waitFor(phone, n);
    }
    expect((await viewer().get('/feedback/sessions/S101')).body.comments.some((c: { comment: string }) => c.comment.includes('Futwa'))).toBe(true);
    expect((await admin().post('/checkin', { phone })).body.created).toBe(false);
    expect((await request(stack.gateway.app).delete(`/api/v1/delegates/${encodeURIComponent(phone)}`).set('Authorization', `Bearer ${ADMIN}`)).status).toBe(200);
    expect(JSON.stringify((await viewer().get('/feedback/sessions/S101')).body)).not.toContain('Futwa');
    expect(JSON.stringify((await viewer().get('/questions/S403')).body)).not.toContain('Futwa');
    expect((await viewer().get('/checkin/attendance')).body.days.find((x: { day: string }) => x.day === '2015-08-20')).toEqual({ day: '2015-08-20', checkedIn: 1 });
    const left: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await stack.gateway.redis.scan(cursor, 'MATCH', `${stack.prefix}:*`, 'COUNT', 500);
      cursor = next;
      for (const key of found) {
        const type = await stack.gateway.redis.type(key);
        const dump = type === 'hash' ? JSON.stringify(await stack.gateway.redis.hgetall(key)) : type === 'set' ? JSON.stringify(await stack.gateway.redis.smembers(key)) : type === 'string' ? (await stack.gateway.redis.get(key)) ?? '' : '';
        if ((key + dump).includes('713500031') && (key.includes('fb-') || key.includes('qa-') || key.includes('checkin') || key.includes('survey'))) left.push(key);
      }
    } while (cursor !== '0');
    expect(left).toEqual([]);
  });
});
