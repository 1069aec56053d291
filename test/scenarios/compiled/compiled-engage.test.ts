/**
 * Questions to the panel and check-in on the compiled gateway (`dist/`), API and worker apart, on
 * the real clock (the sample agenda of 2015 is over): an SMS question gets its answer through the
 * worker, `NIPO` checks the sender in and the stats count them, and the projector page and its
 * token-guarded feed are served from dist.
 */
import { smsBody } from '../../support/at-bodies';
import { startCompiledPair, type CompiledPair, type CompiledProcess } from './compiled-gateway';

const ADMIN_TOKEN = 'compiled-engage-admin-token';
const WEBHOOK_KEY = 'compiled-engage-webhook-key';

describe('the compiled gateway: questions, projector and check-in', () => {
  let pair: CompiledPair;
  let api: CompiledProcess;
  let worker: CompiledProcess;
  let base = '';

  beforeAll(async () => {
    pair = await startCompiledPair('compiled-engage', { admin: ADMIN_TOKEN, webhookKey: WEBHOOK_KEY });
    ({ api, worker, base } = pair);
  }, 300_000);

  afterAll(async () => {
    await pair?.stop();
  }, 30_000);

  const sms = (from: string, text: string, id: string): Promise<Response> => pair.webhook('sms', smsBody({ from, text, id }));
  const admin = (route: string, init: { method?: string; body?: unknown } = {}): Promise<Response> => pair.admin(route, init);
  /** Polls `read` until it returns something, or fails with both processes' logs. */
  async function until<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const value = await read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`${what} did not happen\napi:\n${api.log}\nworker:\n${worker.log}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const outbox = async (phone: string): Promise<string[]> => ((await (await admin(`/outbox?phone=${encodeURIComponent(phone)}`)).json()) as { items: Array<{ text: string }> }).items.map((m) => m.text);

  it('an SMS question to a session that is over gets its answer through the worker', async () => {
    const phone = '+255754200001';
    // The sample agenda is in August 2015: every session is over by now, so the reply says so.
    expect((await sms(phone, 'SWALI S403 Je, slaidi zitapatikana?', 'ATXid_compiled_engage_1')).status).toBe(200);
    expect(await until(async () => (await outbox(phone))[0], 'the reply')).toMatch(/^Samahani, kikao S403 .* kimekwisha/);
  });

  it('NIPO checks the sender in through the worker and the stats count them', async () => {
    const phone = '+255754200002';
    expect((await sms(phone, 'SAJILI Neema Mollel, e-GA', 'ATXid_compiled_engage_2')).status).toBe(200);
    await until(async () => ((await outbox(phone)).length > 0 ? true : undefined), 'the registration reply');
    const delegate = (await (await admin(`/delegates/${encodeURIComponent(phone)}`)).json()) as { code: string };
    expect((await sms(phone, `NIPO ${delegate.code}`, 'ATXid_compiled_engage_3')).status).toBe(200);
    expect(await until(async () => (await outbox(phone)).find((t) => t.startsWith('Karibu Neema Mollel')), 'the check-in reply')).toMatch(/kumethibitishwa/);
    const stats = (await (await admin('/stats')).json()) as { attendance: { checkedInAtLeastOnce: number } };
    expect(stats.attendance.checkedInAtLeastOnce).toBe(1);
  });

  it('serves the projector page from dist, and its feed only with the session token', async () => {
    const page = await fetch(`${base}/projector/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('projector.js');
    expect((await fetch(`${base}/api/v1/projector/S101`)).status).toBe(401);
    const link = (await (await admin('/questions/S101/projector-token', { method: 'POST' })).json()) as { token: string };
    const feed = await fetch(`${base}/api/v1/projector/S101`, { headers: { 'x-projector-token': link.token } });
    expect(feed.status).toBe(200);
    expect(((await feed.json()) as { questions: unknown[] }).questions).toEqual([]);
  });
});
