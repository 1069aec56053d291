/**
 * Two sample packs on one gateway: each answers on its own USSD code, SMS to the shared short code
 * goes by the leading pack keyword (else to the default pack), and the organisers' API switches
 * by ?pack, with a token limited to one pack refused on the other.
 */
import { join } from 'node:path';
import request from 'supertest';
import { FlowPackError, loadGatewayPacks } from '../../../src/compose/packs';
import { loadConfig } from '../../../src/config/load';
import { listOutbox } from '../../../src/providers/outbox/outbox.redis';
import { AtPhone } from '../../support/at-phone';
import { smsBody } from '../../support/at-bodies';
import { eventually, startGatewayStack, type GatewayStack } from '../../support/gateway-stack';

const ADMIN = 'admin-token-0123456789abcdef';
const ONLY_2016 = 'only-2016-token-0123456789';
let counter = 0;

describe('many packs on one gateway', () => {
  let stack: GatewayStack;
  beforeAll(async () => {
    stack = await startGatewayStack({ env: { ADMIN_TOKENS: `admin:${ADMIN},admin:${ONLY_2016}:egov2016` } });
  });
  afterAll(async () => { await stack.close(); });

  async function text(from: string, body: string, to = '15001'): Promise<void> {
    counter += 1;
    await request(stack.gateway.app).post('/webhooks/africastalking/sms').type('form').send(smsBody({ from, to, text: body, id: `ATXid_packs${Date.now().toString(16)}${counter}` })).expect(200);
  }

  /** Waits for the phone's inbox to hold `count` messages; returns the newest. */
  async function reply(phone: string, count: number): Promise<string> {
    return eventually(async () => {
      const messages = await listOutbox(stack.gateway.redis, stack.gateway.keys, { phone, limit: 50 });
      return messages.length >= count ? messages[0]?.message : undefined;
    }, 10000, `${count} messages for ${phone}`);
  }

  it('serves both packs, sorted, with the first as default', () => {
    expect(stack.gateway.services.packs.map((p) => p.id)).toEqual(['egov2015', 'egov2016']);
    expect(stack.gateway.services.defaultPack).toBe('egov2015');
  });

  it('answers each USSD code with its own pack, and registers into that pack', async () => {
    const phone2015 = new AtPhone(stack.gateway.app, '+255713100001', '*384*2015#');
    expect(await phone2015.dial()).toMatch(/^CON Karibu Mkutano wa Serikali Mtandao 2015\n/);
    const phone = new AtPhone(stack.gateway.app, '+255713100002', '*384*2016#');
    expect(await phone.dial()).toMatch(/^CON Karibu Mkutano wa Serikali Mtandao 2016\n1\. Jisajili/);
    for (const input of ['1', 'Neema Said Mollel', 'Wakala ya Serikali Mtandao', '3']) await phone.send(input);
    expect(phone.screens.at(-1)).toContain('Kundi 3 (11/5)');
    await phone.send('3');
    await phone.send('1');
    expect(phone.screens.at(-1)).toMatch(/^CON Asante Neema Said Mollel, umesajiliwa\.[\s\S]*1\. Ratiba yangu/);
    expect(await stack.gateway.services.delegates.get('egov2016', '+255713100002')).toMatchObject({ cohort: '3' });
    expect(await stack.gateway.services.delegates.get('egov2015', '+255713100002')).toBeNull();
    expect(await reply('+255713100002', 1)).toMatch(/EGOV2016 RATIBA kwenda 15001/);
  });

  it('routes SMS on the shared short code by the leading pack keyword, else to the default pack', async () => {
    const phone = '+255713100003';
    await text(phone, 'EGOV2016 RATIBA');
    expect(await reply(phone, 1)).toMatch(/^Ratiba \(Ratiba ya mfano\):[\s\S]*9\/5/);
    await text(phone, 'RATIBA');
    const plain = await reply(phone, 2);
    expect(plain).toMatch(/17\/8/);
    expect(plain).not.toMatch(/9\/5/);
    await text(phone, 'egov2016 session a101');
    expect(await reply(phone, 3)).toMatch(/^A101 Delegate registration and welcome[\s\S]*EGOV2016 REMIND A101/);
    await text(phone, 'EGOV2016 KUMBUSHA A102');
    await reply(phone, 4);
    expect(await stack.gateway.services.reminders.listForPhone('egov2016', phone)).toEqual(['A102']);
    expect(await stack.gateway.services.reminders.listForPhone('egov2015', phone)).toEqual([]);
  });

  it('a short code no pack claims follows the same rule over all packs', async () => {
    const phone = '+255713100004';
    await text(phone, 'EGOV2016 MSAADA', '15999');
    expect(await reply(phone, 1)).toMatch(/^Mkutano wa Serikali Mtandao 2016: tuma kwenda 15001 EGOV2016/);
  });

  it('switches the admin API by ?pack, keeps broadcasts apart, and refuses a limited token the other pack', async () => {
    const admin = { Authorization: `Bearer ${ADMIN}` };
    expect((await request(stack.gateway.app).get('/api/v1/packs').set(admin).expect(200)).body.map((p: { id: string }) => p.id)).toEqual(['egov2015', 'egov2016']);
    const delegates2016 = await request(stack.gateway.app).get('/api/v1/delegates?pack=egov2016').set(admin).expect(200);
    expect(delegates2016.body.items.map((d: { phone: string }) => d.phone)).toContain('+255713100002');
    const delegates2015 = await request(stack.gateway.app).get('/api/v1/delegates').set(admin).expect(200);
    expect(delegates2015.body.items.map((d: { phone: string }) => d.phone)).not.toContain('+255713100002');

    const created = await request(stack.gateway.app).post('/api/v1/broadcasts?pack=egov2016').set(admin).set('Idempotency-Key', 'packs-bc-00000001')
      .send({ audience: { all: true }, messages: { sw: 'Karibu {name}', en: 'Welcome {name}' }, urgent: true }).expect(201);
    expect(created.body.total).toBe(1);
    const id = created.body.id as string;
    await request(stack.gateway.app).get(`/api/v1/broadcasts/${id}?pack=egov2016`).set(admin).expect(200);
    await request(stack.gateway.app).get(`/api/v1/broadcasts/${id}`).set(admin).expect(404);
    expect((await request(stack.gateway.app).get('/api/v1/broadcasts').set(admin).expect(200)).body.items.map((b: { id: string }) => b.id)).not.toContain(id);
    // The same Idempotency-Key in the other pack is another broadcast, not this one.
    const other = await request(stack.gateway.app).post('/api/v1/broadcasts').set(admin).set('Idempotency-Key', 'packs-bc-00000001')
      .send({ audience: { phones: ['+255713100009'] }, messages: { sw: 'Habari' }, urgent: true }).expect(201);
    expect(other.body.id).not.toBe(id);
    expect(await reply('+255713100002', 2)).toBe('Karibu Neema Said Mollel');

    const limited = { Authorization: `Bearer ${ONLY_2016}` };
    expect((await request(stack.gateway.app).get('/api/v1/agenda').set(limited).expect(200)).body.id).toBe('egov2016');
    expect((await request(stack.gateway.app).get('/api/v1/stats?pack=egov2015').set(limited).expect(403)).body.code).toBe('AUTH.FORBIDDEN');
  });

  it('reports each pack\'s own SMS in /stats; a message sent for no pack counts in neither', async () => {
    const { messaging } = stack.gateway.services;
    const own = await messaging.outbound.enqueue({ to: '+255713100005', text: 'Lango', purpose: 'reply', idempotencyKey: 'packs-no-pack-1' });
    expect((await messaging.getMessage(own.messageId))?.packId).toBeUndefined();
    const admin = { Authorization: `Bearer ${ADMIN}` };
    const recipients = async (pack: string): Promise<number> => {
      const { sms } = (await request(stack.gateway.app).get(`/api/v1/stats?pack=${pack}`).set(admin).expect(200)).body as { sms: { byState: Record<string, number> } };
      return Object.values(sms.byState).reduce((sum, n) => sum + n, 0);
    };
    // egov2016: the USSD registration SMS, four keyword replies (one via the unclaimed short code), the broadcast.
    expect(await recipients('egov2016')).toBe(6);
    // egov2015: the plain RATIBA reply and its broadcast.
    expect(await recipients('egov2015')).toBe(2);
    const every = await messaging.listMessages({ limit: 100 });
    const perPack = [...await messaging.listMessages({ limit: 100, packId: 'egov2015' }), ...await messaging.listMessages({ limit: 100, packId: 'egov2016' })];
    expect(every).toContain(own.messageId);
    expect(perPack).not.toContain(own.messageId);
    expect(every.length).toBe(perPack.length + 1);
    for (const id of await messaging.listMessages({ limit: 100, packId: 'egov2016' })) expect((await messaging.getMessage(id))?.packId).toBe('egov2016');
  });
});

describe('boot validation of settings that name packs', () => {
  const FLOWS = join(__dirname, '../../../flows');

  it('DEFAULT_PACK picks the default pack', () => {
    expect(loadGatewayPacks(loadConfig({ FLOWS_DIR: FLOWS, DEFAULT_PACK: 'egov2016' })).defaultPack).toBe('egov2016');
    expect(loadGatewayPacks(loadConfig({ FLOWS_DIR: FLOWS })).defaultPack).toBe('egov2015');
  });

  it('refuses an unknown DEFAULT_PACK or token pack, naming the entry but never the token', () => {
    const config = loadConfig({ FLOWS_DIR: FLOWS, DEFAULT_PACK: 'egov2099', ADMIN_TOKENS: 'admin:aaaaaaaaaaaaaaaa,viewer:the-secret-token-value:egov2015+egov2017' });
    let error: unknown;
    try {
      loadGatewayPacks(config);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FlowPackError);
    const message = (error as Error).message;
    expect(message).toContain("DEFAULT_PACK: no pack 'egov2099'");
    expect(message).toContain("ADMIN_TOKENS: entry 2 (viewer) names pack 'egov2017', which is not loaded (packs: egov2015, egov2016)");
    expect(message).not.toContain('the-secret-token-value');
  });
});
