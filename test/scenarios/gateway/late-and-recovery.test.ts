/**
 * Late results and recovery dial strings in the whole gateway: the real outbound ledger and
 * outbox, the workers, the admin API. With USSD_DEADLINE_MS at 200 ms no action fits in a hop
 * (300 ms are kept for answering), so the registration always ends with the late END and its
 * result goes out by SMS; an opted-out caller gets no recovery SMS (skipped in the ledger).
 */
import request from 'supertest';
import { form, smsBody } from '../../support/at-bodies';
import { AtPhone } from '../../support/at-phone';
import { eventually, startGatewayStack, type GatewayStack } from '../../support/gateway-stack';
import { STATS_CACHE_MS } from '../../../src/http/admin/misc-routes';

jest.mock('../../../src/event/registration-code', () => jest.requireActual('../../support/fixed-registration-codes'));

const TOKEN = 'late-admin-token-0123456789abcdef';
const auth = { authorization: `Bearer ${TOKEN}` };

describe('late results and recovery through the gateway', () => {
  let stack: GatewayStack;
  beforeAll(async () => { stack = await startGatewayStack({ env: { ADMIN_TOKENS: `admin:${TOKEN}`, USSD_DEADLINE_MS: '200' } }); });
  afterAll(async () => { await stack.close(); });

  const outbox = async (phone: string): Promise<Array<{ text: string; state: string }>> =>
    (await request(stack.gateway.app).get('/api/v1/outbox').query({ phone }).set(auth)).body.items as Array<{ text: string; state: string }>;
  const ended = (sessionId: string, phoneNumber: string, status: string) => request(stack.gateway.app).post('/webhooks/africastalking/ussd-events').type('form').send(form({
    sessionId, serviceCode: '*384*2015#', networkCode: '64005', phoneNumber, status, input: '1*Juma', hopsCount: '2', durationInMillis: '30000', errorMessage: '',
  }));

  it('a registration past its deadline ends late, is stored once and its result SMS goes through the ledger; the organiser sees it', async () => {
    const phone = '+255754100001';
    const handset = new AtPhone(stack.gateway.app, phone);
    await handset.dial();
    for (const input of ['1', 'Neema Saidi Mollel', 'TAMISEMI', '1', '1']) await handset.send(input);
    expect(await handset.send('1')).toBe('END Ombi lako bado linashughulikiwa. Tutakutumia majibu kwa SMS muda mfupi ujao.');
    expect(await handset.retry()).toBe('END Ombi lako bado linashughulikiwa. Tutakutumia majibu kwa SMS muda mfupi ujao.');
    const sent = await eventually(async () => {
      const items = await outbox(phone);
      return items.length >= 2 ? items : undefined;
    }, 10000, 'the confirmation and the result SMS');
    const delegate = await stack.gateway.services.delegates.get('egov2015', phone);
    expect(delegate?.name).toBe('Neema Saidi Mollel');
    // The registration's own confirmation and the result screen, each once, both with the one code.
    expect(sent).toHaveLength(2);
    for (const message of sent) expect(message.text).toContain(delegate?.code);

    const listing = await request(stack.gateway.app).get('/api/v1/ussd/late-results').query({ pack: 'egov2015' }).set(auth);
    expect(listing.status).toBe(200);
    expect(listing.body.counts).toEqual({ late: 1, recovered: 1, lost: 0 });
    expect(listing.body.finished).toEqual([expect.objectContaining({ sessionId: handset.sessionId, action: 'register', state: 'recovered', outcome: 'ok', messageId: expect.any(String) })]);
    expect(JSON.stringify(listing.body)).not.toContain(phone.slice(1));

    const stats = await request(stack.gateway.app).get('/api/v1/stats').query({ pack: 'egov2015' }).set(auth);
    expect(stats.body.ussd.late).toEqual({ late: 1, recovered: 1, lost: 0 });
    expect(stats.body.networks.vodacom.ussd.hops).toBeGreaterThanOrEqual(7);
    expect(Object.keys(stats.body.networks)).toEqual(['vodacom', 'yas', 'airtel', 'halotel', 'other']);
  });

  it('a cut session earns one recovery SMS; an opted-out caller gets none (skipped in the ledger); the end is counted per network', async () => {
    const phone = '+255754100002';
    const handset = new AtPhone(stack.gateway.app, phone);
    await handset.dial();
    await handset.send('1');
    expect((await ended(handset.sessionId, phone, 'Incomplete')).status).toBe(200);
    const [recovery] = await eventually(async () => {
      const items = await outbox(phone);
      return items.length > 0 ? items : undefined;
    }, 10000, 'the recovery SMS');
    const digits = /\*384\*2015\*(\d{6})#/.exec(recovery?.text ?? '')?.[1] ?? '';
    expect(digits).toMatch(/^\d{6}$/);
    const back = new AtPhone(stack.gateway.app, phone);
    expect(await back.dial(`*384*2015*${digits}#`)).toBe('CON Tafadhali andika jina lako kamili pamoja na cheo (mfano: Dkt. Asha Juma):');

    const quiet = '+255754100003';
    await request(stack.gateway.app).post('/webhooks/africastalking/sms').type('form').send(smsBody({ from: quiet, text: 'ACHA', id: 'ATXid_late_stop_1', to: '15001' }));
    await eventually(async () => ((await stack.gateway.services.messaging.suppression.isSuppressed(quiet, undefined)) ? true : undefined), 10000, 'the opt-out');
    const cut = new AtPhone(stack.gateway.app, quiet);
    await cut.dial();
    await cut.send('2');
    expect((await ended(cut.sessionId, quiet, 'Failed')).status).toBe(200);
    const ids = await stack.gateway.services.messaging.listMessages({ packId: 'egov2015', limit: 50 });
    const entries = (await Promise.all(ids.map((id) => stack.gateway.services.messaging.listByGroup(id)))).flat().filter((e) => e.phone === quiet);
    expect(entries.map((e) => [e.state, e.reason])).toContainEqual(['skipped', 'opted_out']);
    expect((await outbox(quiet)).filter((m) => m.text.includes('*384*2015*'))).toEqual([]);

    // The dashboard figures are computed at most once per STATS_CACHE_MS: the earlier read may still be served.
    const ends = await eventually(async () => {
      const stats = await request(stack.gateway.app).get('/api/v1/stats').query({ pack: 'egov2015' }).set(auth);
      const figures = stats.body.networks.airtel.ussd.sessionEnds as { incomplete: number; failed: number };
      return figures.failed > 0 ? figures : undefined;
    }, STATS_CACHE_MS + 5000, 'the session ends in the stats');
    expect(ends).toMatchObject({ incomplete: 1, failed: 1 });
  });
});

describe('adaptive hop deadlines per network through the gateway', () => {
  let stack: GatewayStack;
  beforeAll(async () => { stack = await startGatewayStack({ env: { ADMIN_TOKENS: `admin:${TOKEN}`, USSD_DEADLINE_MS: '1500', USSD_ADAPTIVE_MIN_DEADLINE_MS: '600' } }); });
  afterAll(async () => { await stack.close(); });

  it('a Failed session on Yas lowers Yas\'s hop deadline only, never below the minimum; the stats show it', async () => {
    const fail = (n: number) => request(stack.gateway.app).post('/webhooks/africastalking/ussd-events').type('form').send(form({
      sessionId: `ATUid_adaptive_${n}`, serviceCode: '*384*2015#', networkCode: '64002', phoneNumber: '+255714000001', status: 'Failed', errorMessage: 'Timeout waiting for application response',
    }));
    expect((await fail(1)).status).toBe(200);
    const deadlines = async (): Promise<Record<string, number>> => {
      const stats = await request(stack.gateway.app).get('/api/v1/stats').query({ pack: 'egov2015' }).set(auth);
      return Object.fromEntries(Object.entries(stats.body.networks as Record<string, { ussd: { deadlineMs: number } }>).map(([n, f]) => [n, f.ussd.deadlineMs]));
    };
    expect(await deadlines()).toEqual({ vodacom: 1500, yas: 1125, airtel: 1500, halotel: 1500, other: 1500 });
    for (let n = 2; n < 12; n++) await fail(n);
    // The dashboard figures are computed at most once per STATS_CACHE_MS: wait out the first read.
    const lowered = await eventually(async () => { const now = await deadlines(); return now.yas === 1125 ? undefined : now; }, STATS_CACHE_MS + 5000, 'fresh stats');
    expect(lowered).toEqual({ vodacom: 1500, yas: 600, airtel: 1500, halotel: 1500, other: 1500 });
  });
});
