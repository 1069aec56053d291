/** The admin API per pack: GET /packs, ?pack= on every pack-scoped route, tokens limited to packs. */
import request from 'supertest';
import { ADMIN, OTHER_PACK, PACK, createAdminStack, type AdminStack } from './support/admin-stack';

const ONLY_2016 = 'only-2016-token-0123456789';
const ONLY_2015_VIEWER = 'only-2015-viewer-0123456789';
const admin = { Authorization: `Bearer ${ADMIN}` };
const only2016 = { Authorization: `Bearer ${ONLY_2016}` };
const CSV = 'phone,name,institution,institutionType,cohort,language\n0712000016,Neema Said,eGA,agency,3,sw\n';

describe('admin API: packs', () => {
  let stack: AdminStack;
  beforeAll(async () => {
    stack = await createAdminStack({
      tokens: [
        { role: 'admin', token: ADMIN },
        { role: 'admin', token: ONLY_2016, packs: [OTHER_PACK] },
        { role: 'viewer', token: ONLY_2015_VIEWER, packs: [PACK] },
      ],
    });
  });
  afterAll(async () => { await stack.close(); });

  it('lists the packs a token may see, with their codes, keyword and sample mark', async () => {
    const all = await request(stack.app).get('/api/v1/packs').set(admin).expect(200);
    expect(all.body).toEqual([
      { id: 'egov2015', name: { sw: 'Mkutano wa Serikali Mtandao 2015', en: 'e-Government Conference 2015' }, serviceCodes: ['*384*2015#'], shortCodes: ['15001'], keyword: 'EGOV2015', sample: true },
      { id: 'egov2016', name: { sw: 'Mkutano wa Serikali Mtandao 2016', en: 'e-Government Conference 2016' }, serviceCodes: ['*384*2016#'], shortCodes: ['15001'], keyword: 'EGOV2016', sample: true },
    ]);
    const limited = await request(stack.app).get('/api/v1/packs').set(only2016).expect(200);
    expect(limited.body.map((p: { id: string }) => p.id)).toEqual(['egov2016']);
  });

  it('lists the default pack first (the console opens on it)', async () => {
    const other = await createAdminStack({ defaultPack: OTHER_PACK });
    try {
      const listed = await request(other.app).get('/api/v1/packs').set(admin).expect(200);
      expect(listed.body.map((p: { id: string }) => p.id)).toEqual(['egov2016', 'egov2015']);
    } finally {
      await other.close();
    }
  });

  it('switches by ?pack: the agenda, delegates and stats of each pack stay apart', async () => {
    const agenda2016 = await request(stack.app).get('/api/v1/agenda?pack=egov2016').set(admin).expect(200);
    expect(agenda2016.body.days.map((d: { date: string }) => d.date)).toEqual(['2016-05-09', '2016-05-10', '2016-05-11']);
    const agendaDefault = await request(stack.app).get('/api/v1/agenda').set(admin).expect(200);
    expect(agendaDefault.body.id).toBe('egov2015');
    await request(stack.app).post('/api/v1/delegates/import?pack=egov2016').set(admin).type('text/csv').send(CSV).expect(200);
    expect(await stack.delegates.count(OTHER_PACK)).toBe(1);
    expect(await stack.delegates.count(PACK)).toBe(0);
    expect((await request(stack.app).get('/api/v1/delegates?pack=egov2016').set(admin).expect(200)).body.total).toBe(1);
    expect((await request(stack.app).get('/api/v1/delegates').set(admin).expect(200)).body.total).toBe(0);
    expect((await request(stack.app).get('/api/v1/stats?pack=egov2016').set(admin).expect(200)).body.registrations.total).toBe(1);
    const csv = await request(stack.app).get('/api/v1/delegates.csv?pack=egov2016').set(admin).expect(200);
    expect(csv.headers['content-disposition']).toContain('delegates-egov2016.csv');
    expect(csv.text).toContain('Neema Said');
  });

  it('reports the SMS figures of the pack asked for', async () => {
    const figures = await createAdminStack({ smsStats: async (packId) => ({ byState: { delivered: packId === OTHER_PACK ? 7 : 3 }, cost: { currency: 'TZS', amount: packId === OTHER_PACK ? 140 : 60 } }) });
    try {
      expect((await request(figures.app).get('/api/v1/stats?pack=egov2016').set(admin).expect(200)).body.sms).toEqual({ byState: { delivered: 7 }, cost: { currency: 'TZS', amount: 140 } });
      expect((await request(figures.app).get('/api/v1/stats').set(admin).expect(200)).body.sms).toEqual({ byState: { delivered: 3 }, cost: { currency: 'TZS', amount: 60 } });
    } finally {
      await figures.close();
    }
  });

  it('passes the pack to agenda changes and to the broadcast service', async () => {
    await request(stack.app).patch('/api/v1/agenda/sessions/A101?pack=egov2016').set(admin).send({ room: 'Simba Hall' }).expect(200);
    expect(stack.agendaChanges.at(-1)?.pack).toBe('egov2016');
    await request(stack.app).post('/api/v1/broadcasts/preview?pack=egov2016').set(admin).send({ audience: { all: true }, messages: { sw: 'Habari' } }).expect(200);
    await request(stack.app).get('/api/v1/broadcasts').set(admin).expect(200);
    expect(stack.broadcastPacks.slice(-2)).toEqual(['egov2016', 'egov2015']);
  });

  it('a token limited to one pack uses it by default and gets 403 with a reason on another', async () => {
    expect((await request(stack.app).get('/api/v1/agenda').set(only2016).expect(200)).body.id).toBe('egov2016');
    const forbidden = await request(stack.app).get('/api/v1/agenda?pack=egov2015').set(only2016).expect(403);
    expect(forbidden.body.code).toBe('AUTH.FORBIDDEN');
    expect(forbidden.body.message).toMatch(/may not use pack 'egov2015'.*egov2016/);
    await request(stack.app).post('/api/v1/delegates/import?pack=egov2015').set(only2016).type('text/csv').send(CSV).expect(403);
    expect(await stack.delegates.count(PACK)).toBe(0);
    await request(stack.app).get('/api/v1/delegates?pack=egov2016').set({ Authorization: `Bearer ${ONLY_2015_VIEWER}` }).expect(403);
  });

  it('an unknown pack is a 404 with the packs there are; a malformed one a 400', async () => {
    const unknown = await request(stack.app).get('/api/v1/delegates?pack=egov2099').set(admin).expect(404);
    expect(unknown.body).toMatchObject({ code: 'PACK.NOT_FOUND' });
    expect(unknown.body.message).toMatch(/egov2099.*egov2015, egov2016/);
    expect((await request(stack.app).get('/api/v1/delegates?pack=EGOV%202016').set(admin).expect(400)).body.details).toEqual([{ path: 'pack', message: 'use a pack id from GET /packs' }]);
  });

  it('documents ?pack and its 403/404 on pack-scoped routes, and GET /packs', async () => {
    const doc = (await request(stack.app).get('/api/v1/openapi.json').expect(200)).body as { paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; responses: Record<string, unknown> }>> };
    const list = doc.paths['/delegates']?.get;
    expect(list?.parameters?.find((p) => p.name === 'pack')?.in).toBe('query');
    expect(Object.keys(list?.responses ?? {})).toEqual(expect.arrayContaining(['403', '404']));
    expect(doc.paths['/packs']?.get?.parameters?.some((p) => p.name === 'pack') ?? false).toBe(false);
  });
});
