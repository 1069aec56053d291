/**
 * Smoke test of the compiled gateway (`dist/`, what `npm start` runs): an API process and a worker
 * process against their own redis-server, the outbox as SMS provider, driven over HTTP the way AT,
 * a handset and the console do: a USSD registration hop by hop, an SMS keyword whose reply lands
 * in the outbox, and the console's "send a test".
 */
import { freePort } from '../../../src/infra/redis/private-redis';
import { form, smsBody, ussdBody } from '../../support/at-bodies';
import { CompiledProcess, startCompiledPair, type CompiledPair } from './compiled-gateway';

const ADMIN_TOKEN = 'compiled-smoke-admin-token';
const WEBHOOK_KEY = 'compiled-smoke-webhook-key';
const SERVICE_CODE = '*384*2015#';

interface OutboxItem { id: string; to: string; text: string }

describe('the compiled gateway, API and worker apart', () => {
  let pair: CompiledPair;
  let api: CompiledProcess;
  let worker: CompiledProcess;
  let env: Record<string, string> = {};
  let base = '';

  beforeAll(async () => {
    pair = await startCompiledPair('smoke', { admin: ADMIN_TOKEN, webhookKey: WEBHOOK_KEY });
    ({ api, worker, env, base } = pair);
  }, 300_000);

  afterAll(async () => {
    await pair?.stop();
  }, 30_000);

  const webhook = (route: string, body: string): Promise<Response> => pair.webhook(route, body);
  const admin = (route: string, init: { method?: string; body?: unknown } = {}): Promise<Response> => pair.admin(route, init);

  /** Polls the outbox until a message to `phone` matching `text` is there. */
  async function outboxMessage(phone: string, text: RegExp): Promise<OutboxItem> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const response = await admin(`/outbox?phone=${encodeURIComponent(phone)}`);
      expect(response.status).toBe(200);
      const found = ((await response.json()) as { items: OutboxItem[] }).items.find((item) => text.test(item.text));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no outbox message to ${phone} matching ${String(text)}\napi:\n${api.log}\nworker:\n${worker.log}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('answers health and serves the console from dist', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const console = await fetch(`${base}/console/`);
    expect(console.status).toBe(200);
    expect(await console.text()).toMatch(/<html/i);
  });

  it('registers a caller over USSD, hop by hop, and the worker sends the confirmation', async () => {
    const phone = '+255754100001';
    const sessionId = 'ATUid_compiled_smoke_registration';
    const inputs: string[] = [];
    const hop = async (input?: string): Promise<string> => {
      if (input !== undefined) inputs.push(input);
      const response = await webhook('ussd', ussdBody({ sessionId, phoneNumber: phone, text: inputs.join('*'), serviceCode: SERVICE_CODE }));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      return response.text();
    };
    expect(await hop()).toMatch(/^CON Karibu Mkutano wa Serikali Mtandao 2015\n1\. Jisajili/);
    expect(await hop('1')).toBe('CON Tafadhali andika jina lako kamili pamoja na cheo (mfano: Dkt. Asha Juma):');
    expect(await hop('Asha Juma Mwinyi')).toBe('CON Tafadhali andika jina la taasisi yako:');
    expect(await hop('Wizara ya Fedha')).toMatch(/^CON Chagua aina ya taasisi yako:\n1\. Wizara/);
    expect(await hop('1')).toMatch(/^CON Chagua kundi:/);
    expect(await hop('1')).toMatch(/^CON Tafadhali hakiki:\nAsha Juma Mwinyi\nWizara ya Fedha\nWizara, Kundi 1/);
    const done = await hop('1');
    expect(done).toMatch(/^CON Asante Asha Juma Mwinyi, umesajiliwa\. Namba yako ya usajili: [A-Z0-9]{5,6}\.\n1\. Ratiba yangu/);
    const code = /usajili: ([A-Z0-9]{5,6})\./.exec(done)?.[1] ?? '';
    const delegate = await admin(`/delegates/${encodeURIComponent(phone)}`);
    expect(delegate.status).toBe(200);
    expect(await delegate.json()).toMatchObject({ name: 'Asha Juma Mwinyi', code });
    expect((await outboxMessage(phone, new RegExp(code))).to).toBe(phone);
  });

  it('serves 40 sessions at once, each hop its own screen, and a hop sent three times at once gets one answer', async () => {
    const sessions = Array.from({ length: 40 }, (_, n) => ({ sessionId: `ATUid_compiled_many_${n}`, phone: `+2557542${String(n).padStart(5, '0')}` }));
    const hop = async (session: { sessionId: string; phone: string }, text: string): Promise<string> => {
      const response = await webhook('ussd', ussdBody({ ...session, phoneNumber: session.phone, text, serviceCode: SERVICE_CODE }));
      expect(response.status).toBe(200);
      return response.text();
    };
    const screens = await Promise.all(sessions.map(async (session, n) => {
      const dial = await hop(session, '');
      const name = await hop(session, '1');
      // AT retrying the same hop: three copies at once, each answered with the same bytes.
      const copies = await Promise.all([0, 1, 2].map(() => hop(session, `1*Mjumbe ${n}`)));
      return { dial, name, copies };
    }));
    for (const { dial, name, copies } of screens) {
      expect(dial).toMatch(/^CON Karibu Mkutano wa Serikali Mtandao 2015\n1\. Jisajili/);
      expect(name).toBe('CON Tafadhali andika jina lako kamili pamoja na cheo (mfano: Dkt. Asha Juma):');
      expect(new Set(copies)).toEqual(new Set(['CON Tafadhali andika jina la taasisi yako:']));
    }
  });

  it('answers an SMS keyword through the worker into the outbox', async () => {
    const phone = '+255754100002';
    const response = await webhook('sms', smsBody({ from: phone, text: 'MSAADA', id: 'ATXid_compiled_smoke_keyword', to: '15001' }));
    expect(response.status).toBe(200);
    const reply = await outboxMessage(phone, /RATIBA|SAJILI/);
    expect(reply.to).toBe(phone);
  });

  it("sends the console's test message", async () => {
    const phone = '+255754100003';
    const response = await admin('/broadcasts/test-send', {
      method: 'POST',
      body: { phone, draft: { audience: { all: true }, messages: { sw: 'Jaribio la ujumbe kutoka dist', en: 'A test message from dist' } } },
    });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`test-send answered ${response.status}: ${body}\napi:\n${api.log}`);
    expect(JSON.parse(body)).toMatchObject({ messageId: expect.any(String) });
    expect((await outboxMessage(phone, /Jaribio la ujumbe kutoka dist/)).to).toBe(phone);
  });

  it('creates one broadcast for three identical requests sent at once with one Idempotency-Key', async () => {
    const body = JSON.stringify({ name: 'Compiled once', audience: { phones: ['+255754100005'] }, messages: { sw: 'Mara moja tu kutoka dist', en: 'Only once from dist' }, urgent: true });
    const send = () => fetch(`${base}/api/v1/broadcasts`, {
      method: 'POST', body,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', 'idempotency-key': 'compiled-once-0001' },
    });
    const answers = await Promise.all([send(), send(), send()]);
    const bodies = await Promise.all(answers.map(async (r) => ({ status: r.status, id: ((await r.json()) as { id: string }).id })));
    expect(bodies.map((b) => b.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
    await outboxMessage('+255754100005', /Mara moja tu kutoka dist/);
    const listed = ((await (await admin('/broadcasts')).json()) as { items: Array<{ name: string }> }).items.filter((b) => b.name === 'Compiled once');
    expect(listed).toHaveLength(1);
  });

  it('refuses a webhook without its key', async () => {
    const response = await fetch(`${base}/webhooks/africastalking/sms`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ from: '+255754100004', text: 'HELP' }) });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
  it('ends a slow registration late and sends its result, and resumes a cut session by its dial string, across API processes', async () => {
    // A second API on the same Redis and worker, whose 200 ms hop budget leaves no time for any action.
    const port = await freePort();
    const lateApi = new CompiledProcess('api-late', { ...env, SERVICE_MODE: 'api', PORT: String(port), USSD_DEADLINE_MS: '200' });
    try {
      await lateApi.started();
      const at = (route: string, body: string): Promise<Response> =>
        fetch(`http://127.0.0.1:${port}/webhooks/africastalking/${route}?key=${WEBHOOK_KEY}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      const phone = '+255754100077';
      const inputs: string[] = [];
      let screen = '';
      for (const input of [undefined, '1', 'Baraka Mushi', 'Ofisi ya Rais', '1', '1', '1']) {
        if (input !== undefined) inputs.push(input);
        screen = await (await at('ussd', ussdBody({ sessionId: 'ATUid_compiled_late', phoneNumber: phone, text: inputs.join('*'), serviceCode: SERVICE_CODE }))).text();
      }
      expect(screen).toBe('END Ombi lako bado linashughulikiwa. Tutakutumia majibu kwa SMS muda mfupi ujao.');
      const deadline = Date.now() + 20_000;
      let late = { counts: { recovered: 0 } } as { counts: { late: number; recovered: number; lost: number } };
      while (late.counts.recovered < 1 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        late = (await (await admin('/ussd/late-results?pack=egov2015')).json()) as typeof late;
      }
      expect(late.counts).toEqual({ late: 1, recovered: 1, lost: 0 });
      // The registration's own confirmation and its result screen, once each.
      let sent: OutboxItem[] = [];
      while (sent.length < 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        sent = ((await (await admin(`/outbox?phone=${encodeURIComponent(phone)}`)).json()) as { items: OutboxItem[] }).items;
      }
      expect(sent.filter((item) => item.text.includes('Baraka Mushi'))).toHaveLength(2);

      const cutPhone = '+255754100078';
      await at('ussd', ussdBody({ sessionId: 'ATUid_compiled_cut', phoneNumber: cutPhone, text: '', serviceCode: SERVICE_CODE }));
      await at('ussd', ussdBody({ sessionId: 'ATUid_compiled_cut', phoneNumber: cutPhone, text: '2', serviceCode: SERVICE_CODE }));
      expect((await webhook('ussd-events', form({ sessionId: 'ATUid_compiled_cut', serviceCode: SERVICE_CODE, networkCode: '64009', phoneNumber: cutPhone, status: 'Incomplete', input: '2' }))).status).toBe(200);
      const digits = /\*384\*2015\*(\d{6})#/.exec((await outboxMessage(cutPhone, /\*384\*2015\*\d{6}#/)).text)?.[1] ?? '';
      const resumed = await (await at('ussd', ussdBody({ sessionId: 'ATUid_compiled_back', phoneNumber: cutPhone, text: '', serviceCode: `*384*2015*${digits}#` }))).text();
      expect(resumed).toMatch(/^CON Ratiba/);
    } finally {
      await lateApi.stop();
    }
  }, 120_000);
});
