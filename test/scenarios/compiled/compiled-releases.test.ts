/**
 * Flow releases on the compiled gateway: two API processes and a worker on one redis-server. The
 * release goes to one API process; the other serves the same versions (it follows the pointer in
 * Redis), while a session it started before the release finishes on its own version.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, startPrivateRedis, type PrivateRedis } from '../../../src/infra/redis/private-redis';
import { ussdBody } from '../../support/at-bodies';
import { buildDist, CompiledProcess, ROOT } from './compiled-gateway';

const ADMIN_TOKEN = 'compiled-releases-admin-token';
const OLD_TITLE = /^CON Karibu Mkutano wa Serikali Mtandao 2015\n/;
const NEW_TITLE = /^CON Karibu tena Mkutano wa Serikali Mtandao 2015\n/;

function changedFiles(): Record<string, string> {
  const dir = path.join(ROOT, 'flows/egov2015');
  const files = Object.fromEntries(readdirSync(dir).filter((n) => n.endsWith('.yaml')).map((n) => [n, readFileSync(path.join(dir, n), 'utf8')]));
  files['messages.sw.yaml'] = (files['messages.sw.yaml'] ?? '').replace('title: "Karibu {event.shortName}"', 'title: "Karibu tena {event.shortName}"');
  return files;
}

describe('the compiled gateway: a release reaches every API process', () => {
  let redis: PrivateRedis;
  const processes: CompiledProcess[] = [];
  const bases: string[] = [];

  beforeAll(async () => {
    await buildDist();
    redis = await startPrivateRedis({ appendOnly: false, label: 'compiled-releases' });
    const env = { NODE_ENV: 'test', REDIS_URL: redis.url, REDIS_PREFIX: 'releases', SMS_PROVIDER: 'outbox', ADMIN_TOKENS: `admin:${ADMIN_TOKEN}`, LOG_LEVEL: 'warn', SHUTDOWN_GRACE_MS: '5000' };
    for (const label of ['api-1', 'api-2']) {
      const port = await freePort();
      bases.push(`http://127.0.0.1:${port}`);
      processes.push(new CompiledProcess(label, { ...env, SERVICE_MODE: 'api', PORT: String(port) }));
    }
    processes.push(new CompiledProcess('worker', { ...env, SERVICE_MODE: 'worker' }));
    await Promise.all(processes.map((p) => p.started()));
  }, 300_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await redis?.stop();
  }, 30_000);

  const hop = async (base: string, sessionId: string, phone: string, text: string): Promise<string> => {
    const response = await fetch(`${base}/webhooks/africastalking/ussd`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: ussdBody({ sessionId, phoneNumber: phone, serviceCode: '*384*2015#', text }) });
    return response.text();
  };
  let dials = 0;
  const dial = (base: string, phone: string): Promise<string> => hop(base, `ATUid_rel${(dials += 1)}`, phone, '');
  const admin = async (base: string, route: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
    const response = await fetch(`${base}/api/v1${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  /** Dials until the screen matches: the other process follows the pointer within moments. */
  async function dialsTo(base: string, phone: string, screen: RegExp): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const answer = await dial(base, phone);
      if (screen.test(answer)) return;
      if (Date.now() > deadline) throw new Error(`${phone} at ${base} still sees ${JSON.stringify(answer.slice(0, 60))}\n${processes.map((p) => `${p.label}:\n${p.log}`).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('stages on one API process, serves it on the other, promotes, and keeps a running session on its version', async () => {
    const [one, two] = bases as [string, string];
    expect(await hop(two, 'ATUid_pinned', '+255713700003', '')).toMatch(OLD_TITLE);
    expect(await hop(two, 'ATUid_pinned', '+255713700003', '2')).toMatch(/^CON /);

    const upload = await admin(one, '/releases', { files: changedFiles(), stage: { phones: ['+255713700001'] } });
    expect(upload.status).toBe(201);
    await dialsTo(two, '+255713700001', NEW_TITLE);
    expect(await dial(two, '+255713700002')).toMatch(OLD_TITLE);

    expect((await admin(one, '/releases/promote', {})).status).toBe(200);
    await dialsTo(two, '+255713700002', NEW_TITLE);
    expect(await hop(two, 'ATUid_pinned', '+255713700003', '2*0')).toMatch(OLD_TITLE);

    expect((await admin(two, '/releases/rollback', {})).status).toBe(200);
    await dialsTo(one, '+255713700002', OLD_TITLE);
    expect((await admin(one, '/releases')).json).toMatchObject({ live: expect.stringMatching(/^[0-9a-f]{12}$/), staged: null });
  }, 120_000);
});
