/**
 * Releasing a changed flow without cutting anyone off, across two gateway processes sharing one
 * Redis: a new version of egov2015 is uploaded to one process, staged to two phones, promoted and
 * rolled back, while a third phone that dialled before the release finishes its session on the
 * version it started on. The other process serves the same versions as the one that took the
 * release.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { AtPhone } from '../../support/at-phone';
import { smsBody } from '../../support/at-bodies';
import { listOutbox } from '../../../src/providers/outbox/outbox.redis';
import { eventually, startGatewayStack, type GatewayStack } from '../../support/gateway-stack';
import { uniquePrefix } from '../../support/redis';

const ADMIN = 'admin-token-0123456789abcdef';
const VIEWER = 'viewer-token-0123456789abcdef';
const FLOWS = path.resolve(__dirname, '../../../flows');
const OLD_TITLE = /^CON Karibu Mkutano wa Serikali Mtandao 2015\n1\. Jisajili/;
const NEW_TITLE = /^CON Karibu tena Mkutano wa Serikali Mtandao 2015\n1\. Jisajili/;

function packFiles(pack: string): Record<string, string> {
  const dir = path.join(FLOWS, pack);
  return Object.fromEntries(readdirSync(dir).filter((n) => n.endsWith('.yaml')).map((n) => [n, readFileSync(path.join(dir, n), 'utf8')]));
}

/** egov2015 with a new home title in both languages. */
function changedFiles(): Record<string, string> {
  const files = packFiles('egov2015');
  files['messages.sw.yaml'] = (files['messages.sw.yaml'] ?? '').replace('title: "Karibu {event.shortName}"', 'title: "Karibu tena {event.shortName}"');
  files['messages.en.yaml'] = (files['messages.en.yaml'] ?? '').replace('title: "Welcome to the {event.shortName}"', 'title: "Welcome back to the {event.shortName}"');
  return files;
}

describe('flow releases across processes', () => {
  let a: GatewayStack;
  let b: GatewayStack;
  const env = { ADMIN_TOKENS: `admin:${ADMIN},viewer:${VIEWER}` };

  beforeAll(async () => {
    const prefix = uniquePrefix('rel');
    a = await startGatewayStack({ env, prefix, workers: false });
    b = await startGatewayStack({ env, prefix, workers: false });
  }, 30000);
  afterAll(async () => {
    await b.gateway.close();
    await a.close();
  });

  const api = (stack: GatewayStack, method: 'get' | 'post' | 'delete', route: string, token = ADMIN) =>
    request(stack.gateway.app)[method](`/api/v1${route}${route.includes('?') ? '&' : '?'}pack=egov2015`).set('Authorization', `Bearer ${token}`);

  /** Dials from `phone` on `stack` until the home screen matches (the other process follows the pointer within moments). */
  const dialsTo = (stack: GatewayStack, phone: string, screen: RegExp): Promise<string> =>
    eventually(async () => {
      const answer = await new AtPhone(stack.gateway.app, phone).dial();
      return screen.test(answer) ? answer : undefined;
    }, 10000, `${phone} to see ${String(screen)}`);

  it('stages to two phones, promotes and rolls back while a live session finishes on its version', async () => {
    const [staged1, staged2, inSession, other] = ['+255713200001', '+255713200002', '+255713200003', '+255713200004'];
    const first = await api(a, 'get', '/releases').expect(200);
    const original = first.body.live as string;
    expect(first.body.versions).toEqual([expect.objectContaining({ version: original, source: 'flows_dir', status: 'live', by: { role: 'operator', label: 'FLOWS_DIR' } })]);

    // A caller is mid-session on the original version (served by the other process) when the release lands.
    const caller = new AtPhone(b.gateway.app, inSession);
    expect(await caller.dial()).toMatch(OLD_TITLE);
    expect(await caller.send('3')).toMatch(/^CON /);

    const upload = await api(a, 'post', '/releases').send({ files: changedFiles(), stage: { phones: [staged1, '0713200002'] } }).expect(201);
    const next = upload.body.release.version as string;
    expect(next).not.toBe(original);
    expect(upload.body.release).toMatchObject({ source: 'upload', by: { role: 'admin', label: 'admin token 1' } });
    expect(JSON.stringify(upload.body)).not.toContain(ADMIN);
    expect(upload.body.listing).toMatchObject({ live: original, staged: { version: next, phones: [staged1, staged2] } });

    // Staged phones get the new screen on both processes; everyone else the live one.
    await dialsTo(a, staged1, NEW_TITLE);
    await dialsTo(b, staged2, NEW_TITLE);
    expect(await new AtPhone(b.gateway.app, other).dial()).toMatch(OLD_TITLE);
    expect(await caller.send('0')).toMatch(OLD_TITLE);
    // A staged phone's session started on the new version keeps it through what follows.
    const stagedCaller = new AtPhone(a.gateway.app, staged1);
    expect(await stagedCaller.dial()).toMatch(NEW_TITLE);

    const promoted = await api(a, 'post', '/releases/promote').expect(200);
    expect(promoted.body).toMatchObject({ live: next, staged: null });
    expect(await new AtPhone(a.gateway.app, other).dial()).toMatch(NEW_TITLE);
    await dialsTo(b, other, NEW_TITLE);
    expect(await caller.send('3')).toMatch(/^CON /);
    expect(await caller.send('00')).toMatch(OLD_TITLE);

    const rolledBack = await api(a, 'post', '/releases/rollback').expect(200);
    expect(rolledBack.body.live).toBe(original);
    await dialsTo(b, staged1, OLD_TITLE);
    expect(await new AtPhone(a.gateway.app, staged2).dial()).toMatch(OLD_TITLE);
    expect(await stagedCaller.send('3')).toMatch(/^CON /);
    expect(await stagedCaller.send('00')).toMatch(NEW_TITLE);

    // The caller who dialled before all of it was never cut off.
    for (const screen of caller.screens) expect(screen).not.toMatch(/^END/);
    expect(caller.screens).toHaveLength(5);

    const listing = await api(b, 'get', '/releases', VIEWER).expect(200);
    expect(listing.body.live).toBe(original);
    expect(listing.body.versions.map((v: { version: string; status: string }) => [v.version, v.status])).toEqual(expect.arrayContaining([[original, 'live'], [next, 'previous']]));
    expect(listing.body.history.map((e: { action: string }) => e.action)).toEqual(['rolled_back', 'promoted', 'staged', 'live']);
    expect(listing.body.history[0].by).toEqual({ role: 'admin', label: 'admin token 1' });

    // Rolling forward again names the version; promoting what is live is refused with a reason.
    await api(a, 'post', '/releases/promote').send({ version: next }).expect(200);
    const again = await api(a, 'post', '/releases/promote').send({ version: next }).expect(409);
    expect(again.body.code).toBe('RELEASE.CONFLICT');
  }, 60000);

  it('resumes a session dropped before a release on the version it started on', async () => {
    const phone = '+255713200005';
    const live = (await api(a, 'get', '/releases').expect(200)).body.live as string;
    const dropped = new AtPhone(a.gateway.app, phone);
    expect(await dropped.dial()).toMatch(/^CON Karibu (tena )?Mkutano/);
    const before = dropped.screens[0] ?? '';
    expect(await dropped.send('1')).toMatch(/^CON /);
    // The call drops mid-registration; meanwhile another version goes live.
    const files = changedFiles();
    files['messages.sw.yaml'] = (files['messages.sw.yaml'] ?? '').replace('Karibu tena', 'Karibu sana');
    const { body } = await api(a, 'post', '/releases').send({ files }).expect(201);
    await api(a, 'post', '/releases/promote').send({ version: body.release.version }).expect(200);
    expect(await new AtPhone(a.gateway.app, '+255713200006').dial()).toMatch(/^CON Karibu sana Mkutano/);

    const again = new AtPhone(a.gateway.app, phone);
    expect(await again.dial()).toMatch(/1\. Endelea/);
    expect(await again.send('1')).toBe(dropped.screens[1]);
    expect(await again.send('00')).toBe(before);
    await api(a, 'post', '/releases/rollback').send({ version: live }).expect(200);
  }, 30000);

  it('refuses a version that fails flows:check, or clashes with another pack, and stores nothing', async () => {
    const before = (await api(a, 'get', '/releases').expect(200)).body.versions.length as number;
    const broken = changedFiles();
    broken['ussd.yaml'] = (broken['ussd.yaml'] ?? '').replace('next: reg_name', 'next: reg_nmae');
    const refused = await api(a, 'post', '/releases').send({ files: broken }).expect(422);
    expect(refused.body.code).toBe('RELEASE.UNPROCESSABLE');
    expect(refused.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ file: 'ussd.yaml', text: expect.stringContaining("reg_name") })]));

    const clash = changedFiles();
    clash['pack.yaml'] = (clash['pack.yaml'] ?? '').replace('"*384*2015#"', '"*384*2016#"');
    const clashing = await api(a, 'post', '/releases').send({ files: clash }).expect(422);
    expect(JSON.stringify(clashing.body.details)).toMatch(/\*384\*2016#/);

    const otherPack = await api(a, 'post', '/releases').send({ files: packFiles('egov2016') }).expect(422);
    expect(JSON.stringify(otherPack.body.details)).toMatch(/not 'egov2015'/);

    expect(await api(a, 'post', '/releases').set('Authorization', `Bearer ${VIEWER}`).send({ files: changedFiles() }).then((r) => r.status)).toBe(403);
    expect((await api(a, 'get', '/releases').expect(200)).body.versions).toHaveLength(before);
    expect((await api(a, 'post', '/releases/rollback').send({ version: 'abcdefabcdef' }).expect(404)).body.code).toBe('RELEASE.NOT_FOUND');
    expect((await api(a, 'delete', '/releases/staged').expect(409)).body.code).toBe('RELEASE.CONFLICT');
  }, 30000);
});

describe('a promoted release and SMS', () => {
  let stack: GatewayStack;
  beforeAll(async () => {
    stack = await startGatewayStack({ env: { ADMIN_TOKENS: `admin:${ADMIN}` } });
  }, 30000);
  afterAll(async () => { await stack.close(); });

  it('answers SMS keywords with the texts of the live version', async () => {
    const files = packFiles('egov2015');
    files['messages.sw.yaml'] = (files['messages.sw.yaml'] ?? '').replace('session_usage: "Tuma KIKAO na namba ya kikao,', 'session_usage: "Tafadhali tuma KIKAO na namba ya kikao,');
    const upload = await request(stack.gateway.app).post('/api/v1/releases?pack=egov2015').set('Authorization', `Bearer ${ADMIN}`).send({ files }).expect(201);
    await request(stack.gateway.app).post('/api/v1/releases/promote?pack=egov2015').set('Authorization', `Bearer ${ADMIN}`).send({ version: upload.body.release.version }).expect(200);
    const phone = '+255713200010';
    await request(stack.gateway.app).post('/webhooks/africastalking/sms').type('form').send(smsBody({ from: phone, to: '15001', text: 'KIKAO', id: 'ATXid_release_sms_1' })).expect(200);
    const reply = await eventually(async () => (await listOutbox(stack.gateway.redis, stack.gateway.keys, { phone, limit: 5 }))[0]?.message, 10000, 'the KIKAO reply');
    expect(reply).toMatch(/^Tafadhali tuma KIKAO na namba ya kikao/);
  }, 30000);
});

describe('a promoted release and reminders', () => {
  // S102 starts 09:30 in Arusha (06:30Z); with the 30-minute lead its reminder is due at 06:00Z.
  const due = Date.parse('2015-08-17T06:00:00.000Z');
  let stack: GatewayStack;
  beforeAll(async () => {
    stack = await startGatewayStack({ now: new Date(due - 1500).toISOString(), env: { ADMIN_TOKENS: `admin:${ADMIN}`, DIGEST_TIME: 'off' } });
  }, 30000);
  afterAll(async () => { await stack.close(); });

  it('sends the reminder in the words of the version live when it fires', async () => {
    const phone = '+255713200011';
    await stack.gateway.services.reminders.subscribe('egov2015', phone, 'S102');
    await stack.gateway.services.scheduler.onSubscriptionChanged('egov2015', phone, 'S102', true);
    const files = packFiles('egov2015');
    const live = files['messages.sw.yaml'] ?? '';
    files['messages.sw.yaml'] = live.replace('reminder: "Kikumbusho: kikao {session.code}', 'reminder: "Kumbuka: kikao {session.code}');
    expect(files['messages.sw.yaml']).not.toBe(live);
    const upload = await request(stack.gateway.app).post('/api/v1/releases?pack=egov2015').set('Authorization', `Bearer ${ADMIN}`).send({ files }).expect(201);
    await request(stack.gateway.app).post('/api/v1/releases/promote?pack=egov2015').set('Authorization', `Bearer ${ADMIN}`).send({ version: upload.body.release.version }).expect(200);
    stack.clock.set(new Date(due + 1000).toISOString());
    const reminder = await eventually(async () => (await listOutbox(stack.gateway.redis, stack.gateway.keys, { phone, limit: 5 }))[0]?.message, 10000, 'the reminder');
    expect(reminder).toMatch(/^Kumbuka: kikao S102 /);
  }, 30000);
});
