/**
 * The hostile cases `npm run security` replays against the compiled gateway: each says what a
 * hardened gateway answers and reports what it observed. Start cases run `node dist/src/main.js`
 * with a hostile configuration; the others call one running gateway (production settings) over HTTP.
 */
import { gzipSync } from 'node:zlib';
import { CompiledProcess } from '../../test/scenarios/compiled/compiled-gateway';

export interface Target {
  base: string;
  webhookKey: string;
  adminToken: string;
  viewerToken: string;
  metricsToken: string;
  /** The environment the running gateway was started with (start cases copy it). */
  env: Record<string, string>;
}

export interface SecurityCase {
  name: string;
  expected: string;
  /** What happened, in the words of `expected` when it went as it should. */
  observe(target: Target): Promise<string>;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const ussd = (id: string, phone = '+255716000901'): string => `sessionId=${id}&serviceCode=*384*2015%23&phoneNumber=${encodeURIComponent(phone)}&networkCode=64004&text=`;

async function status(response: Promise<Response>): Promise<number> {
  const answer = await response;
  await answer.arrayBuffer();
  return answer.status;
}

/** Starts the compiled gateway with `env`; its exit code and whether its output shows `secret`. */
async function refusedAtStart(env: Record<string, string>, secret?: string): Promise<string> {
  const child = new CompiledProcess('start-case', env);
  const code = await Promise.race([child.exited, new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 20_000))]);
  if (code === 'running') {
    await child.stop();
    return 'started';
  }
  if (secret && child.log.includes(secret)) return `exit ${String(code)}, secret shown`;
  return `exit ${String(code)}`;
}

const startCase = (name: string, change: (env: Record<string, string>) => Record<string, string>, secret?: string): SecurityCase => ({
  name, expected: 'exit 1', observe: (t) => refusedAtStart(change({ ...t.env, PORT: '0' }), secret),
});

export const SECURITY_CASES: readonly SecurityCase[] = [
  startCase('TRUST_PROXY=true', (env) => ({ ...env, TRUST_PROXY: 'true' })),
  startCase("AT credentials without WEBHOOK_KEY, NODE_ENV=development", (env) => {
    const { WEBHOOK_KEY: _key, ...rest } = env;
    return { ...rest, NODE_ENV: 'development', AT_USERNAME: 'kiungo', AT_API_KEY: 'atsk_0123456789', SMS_PROVIDER: 'africastalking' };
  }),
  startCase('weak WEBHOOK_KEY (16 repeated characters), not echoed', (env) => ({ ...env, WEBHOOK_KEY: 'kkkkkkkkkkkkkkkkkkkkkkkkkkkk' }), 'kkkkkkkkkkkkkkkk'),
  startCase('WEBHOOK_KEY equal to an admin token', (env) => ({ ...env, WEBHOOK_KEY: env.ADMIN_TOKENS?.split(',')[0]?.split(':')[1] ?? '' })),
  startCase('SMS_PROVIDER=outbox in production, not allowed', (env) => ({ ...env, ALLOW_OUTBOX_IN_PRODUCTION: 'false' })),
  startCase('REDIS_URL password in a bad value, not echoed', (env) => ({ ...env, REDIS_URL: 'http://kiungo:hunter2-redis-pass@redis:6379' }), 'hunter2'),
  {
    name: 'USSD webhook without a key', expected: '403',
    observe: async (t) => String(await status(fetch(`${t.base}/webhooks/africastalking/ussd`, { method: 'POST', headers: FORM, body: ussd('nokey') }))),
  },
  {
    name: 'USSD webhook with the key twice', expected: '403',
    observe: async (t) => String(await status(fetch(`${t.base}/webhooks/africastalking/ussd?key=${t.webhookKey}&key=${t.webhookKey}`, { method: 'POST', headers: FORM, body: ussd('twice') }))),
  },
  {
    name: '25 wrong webhook keys, then the right one', expected: 'wrong: 403 until the limit, then 429; right: 200 CON',
    async observe(t) {
      const codes: number[] = [];
      for (let i = 0; i < 25; i += 1) codes.push(await status(fetch(`${t.base}/webhooks/africastalking/sms?key=guess-${i}`, { method: 'POST', headers: FORM, body: 'from=%2B255716000902&text=MSAADA' })));
      const right = await fetch(`${t.base}/webhooks/africastalking/ussd?key=${t.webhookKey}`, { method: 'POST', headers: FORM, body: ussd('right') });
      const text = await right.text();
      // Earlier cases' wrong keys count too: the shape matters, not where the limit fell.
      const shape = /^(403,)+(429,)+$/.test(`${codes.join(',')},`) ? '403 until the limit, then 429' : codes.join(' ');
      return `wrong: ${shape}; right: ${right.status} ${text.slice(0, 3)}`;
    },
  },
  {
    name: 'USSD body that is not a form (fast path and express agree)', expected: '200 END',
    async observe(t) {
      const answer = await fetch(`${t.base}/webhooks/africastalking/ussd?key=${t.webhookKey}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: ussd('plain') });
      return `${answer.status} ${(await answer.text()).slice(0, 3)}`;
    },
  },
  {
    name: 'delivery report: broken gzip, 40 kB, utf-16, 80 fields', expected: '200 200 200 200',
    async observe(t) {
      const url = `${t.base}/webhooks/africastalking/delivery-reports?key=${t.webhookKey}`;
      return (await Promise.all([
        status(fetch(url, { method: 'POST', headers: { ...FORM, 'content-encoding': 'gzip' }, body: 'not gzip' })),
        status(fetch(url, { method: 'POST', headers: FORM, body: `id=1&pad=${'x'.repeat(40_000)}` })),
        status(fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-16' }, body: 'id=1' })),
        status(fetch(url, { method: 'POST', headers: FORM, body: Array.from({ length: 80 }, (_, i) => `f${i}=1`).join('&') })),
      ])).join(' ');
    },
  },
  {
    name: 'opt-out with a 40 kB body', expected: '200',
    observe: async (t) => String(await status(fetch(`${t.base}/webhooks/africastalking/opt-outs?key=${t.webhookKey}`, { method: 'POST', headers: FORM, body: `phoneNumber=1&pad=${'x'.repeat(40_000)}` }))),
  },
  {
    name: 'admin body with broken gzip; doubly encoded phone', expected: '400 400',
    async observe(t) {
      const auth = { authorization: `Bearer ${t.adminToken}` };
      const broken = await status(fetch(`${t.base}/api/v1/agenda`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync('{"a":1}').subarray(0, 10) }));
      const phone = await status(fetch(`${t.base}/api/v1/delegates/%25E0%25A4%25A`, { headers: auth }));
      return `${broken} ${phone}`;
    },
  },
  {
    name: 'a 120,000-character session title through PUT /agenda', expected: '422',
    async observe(t) {
      const auth = { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' };
      const event = await (await fetch(`${t.base}/api/v1/agenda`, { headers: auth })).json() as { sessions: Array<{ title: { sw: string } }> };
      const first = event.sessions[0];
      if (first) first.title.sw = 'x'.repeat(120_000);
      return String(await status(fetch(`${t.base}/api/v1/agenda`, { method: 'PUT', headers: auth, body: JSON.stringify(event) })));
    },
  },
  {
    name: 'agenda CSV of 60,000 rows', expected: '422, 1 problem',
    async observe(t) {
      const csv = `code,day,start,end,title_sw,title_en,short_sw,short_en,speaker,room,theme\n${'X,bad,,,,,,,,,\n'.repeat(60_000)}`;
      const answer = await fetch(`${t.base}/api/v1/agenda/import`, { method: 'POST', headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'text/csv' }, body: csv });
      const body = await answer.json() as { details?: unknown[] };
      return `${answer.status}, ${body.details?.length ?? 0} problem${body.details?.length === 1 ? '' : 's'}`;
    },
  },
  {
    name: '/metrics without and with METRICS_TOKEN', expected: '401 200',
    async observe(t) {
      const open = await status(fetch(`${t.base}/metrics`));
      const authorised = await status(fetch(`${t.base}/metrics`, { headers: { authorization: `Bearer ${t.metricsToken}` } }));
      return `${open} ${authorised}`;
    },
  },
  {
    name: '50 invented /ussd-events statuses', expected: 'labels: Failed, other',
    async observe(t) {
      for (let i = 0; i < 50; i += 1)
        await status(fetch(`${t.base}/webhooks/africastalking/ussd-events?key=${t.webhookKey}`, { method: 'POST', headers: FORM, body: `sessionId=e${i}&status=${i === 0 ? 'Failed' : `Weird${i}`}&phoneNumber=%2B255716000903` }));
      const text = await (await fetch(`${t.base}/metrics`, { headers: { authorization: `Bearer ${t.metricsToken}` } })).text();
      const labels = [...text.matchAll(/kiungo_ussd_session_ends_total\{status="([^"]+)"\}/g)].map((m) => m[1]).sort();
      return `labels: ${labels.join(', ')}`;
    },
  },
  {
    name: 'nosniff on an API answer and a USSD answer', expected: 'nosniff nosniff',
    async observe(t) {
      const api = await fetch(`${t.base}/api/v1/packs`, { headers: { authorization: `Bearer ${t.viewerToken}` } });
      const hop = await fetch(`${t.base}/webhooks/africastalking/ussd?key=${t.webhookKey}`, { method: 'POST', headers: FORM, body: ussd('sniff') });
      await api.arrayBuffer();
      await hop.arrayBuffer();
      return `${api.headers.get('x-content-type-options')} ${hop.headers.get('x-content-type-options')}`;
    },
  },
  {
    name: 'simulator inbox opened with the webhook key in production', expected: '404',
    observe: async (t) => String(await status(fetch(`${t.base}/simulator/api/inbox?key=${t.webhookKey}&phone=%2B255716000901`))),
  },
  {
    name: 'CSV export of a name with ";" and a bidi override', expected: 'quoted, clean',
    async observe(t) {
      const auth = { authorization: `Bearer ${t.adminToken}`, 'content-type': 'text/csv' };
      const csv = 'phone,name,institution,institutionType,cohort,language\n+255716000904,"Asha;\u202EJuma\u0007",eGA,agency,1,sw\n';
      await status(fetch(`${t.base}/api/v1/delegates/import`, { method: 'POST', headers: auth, body: csv }));
      const exported = await (await fetch(`${t.base}/api/v1/delegates.csv`, { headers: { authorization: `Bearer ${t.adminToken}` } })).text();
      const line = exported.split('\r\n').find((l) => l.includes('716000904')) ?? '';
      const quoted = line.includes('"Asha; Juma"') || line.includes('"Asha;Juma"');
      // eslint-disable-next-line no-control-regex -- looking for control characters on purpose
      return `${quoted ? 'quoted' : `not quoted: ${line}`}, ${/[\u0000-\u001f\u202e]/.test(line) ? 'dirty' : 'clean'}`;
    },
  },
  {
    name: '12 texts from unregistered numbers on one network (cap 5)', expected: 'unknown_cap 7',
    async observe(t) {
      for (let i = 0; i < 12; i += 1)
        await status(fetch(`${t.base}/webhooks/africastalking/sms?key=${t.webhookKey}`, { method: 'POST', headers: FORM, body: `from=%2B2557160010${String(i).padStart(2, '0')}&to=15001&text=MSAADA&id=flood-${i}&networkCode=64004&date=2015-08-17` }));
      const deadline = Date.now() + 15_000;
      let capped = 0;
      while (Date.now() < deadline) {
        const text = await (await fetch(`${t.base}/metrics`, { headers: { authorization: `Bearer ${t.metricsToken}` } })).text();
        capped = Number(/kiungo_sms_replies_capped_total\{cap="unknown_cap"\} (\d+)/.exec(text)?.[1] ?? 0);
        if (capped >= 7) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      return `unknown_cap ${capped}`;
    },
  },
];
