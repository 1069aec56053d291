/**
 * What an organiser under time pressure sees in the console on the real gateway (Redis, BullMQ,
 * outbox provider with slow delivery reports, quiet hours 20:00-08:00 EAT), in Kiswahili and
 * English, on a desktop and on a 360 px phone: messages that stay and read in the console's
 * language, bad pasted numbers counted and listed, plurals, an EAT date picker, a quiet-hours
 * hold stated before sending with a "send now" after, delivery reports arriving after
 * "completed", a cancelled broadcast that does not look finished, the USSD funnel in flow order
 * by screen name, and the simulator's inbox stamped in EAT.
 */
import type { Browser, Page } from 'playwright-core';
import { eventually, startGatewayStack, type GatewayStack } from '../../support/gateway-stack';
import { browserAvailable, launchBrowser, serveApp, type TestServer, newPage, saveScreenshot, watchPageProblems } from '../../support/browser';

const describeBrowser = browserAvailable() ? describe : describe.skip;

const TOKEN = 'organiser-admin-token-0123456789';
const SERVICE_CODE = '*384*2015#';
type Lang = 'sw' | 'en';

const TEXT = {
  sw: { list: 'Orodha ya namba', paste: 'Bandika namba (moja kwa mstari) au CSV', msgSw: 'Ujumbe kwa Kiswahili', send: 'Tuma', schedule: 'Panga muda', time: 'Saa (EAT, 24h)', yes: 'Ndiyo, tuma', no: 'Ghairi',
    testPhone: 'Namba ya majaribio', testSend: 'Tuma jaribio', badPhone: 'Hii si namba ya simu', ucs: 'yanahitaji UCS-2', onePerson: 'kwa mtu 1', held: 'saa za utulivu (20:00-08:00)', sendNow: 'Tuma sasa',
    cancelled: 'Imesitishwa: 0 %', cancel: 'Sitisha kabisa', delivered: 'Imefika', home: 'Menyu kuu', badToken: 'Tokeni si sahihi' },
  en: { list: 'List of numbers', paste: 'Paste numbers (one per line) or CSV', msgSw: 'Message in Kiswahili', send: 'Send', schedule: 'Schedule', time: 'Time (EAT, 24h)', yes: 'Yes, send', no: 'Cancel',
    testPhone: 'Test phone number', testSend: 'Send a test', badPhone: 'not a mobile number', ucs: 'needs UCS-2', onePerson: 'goes to 1 person', held: 'Quiet hours (20:00-08:00)', sendNow: 'Send now',
    cancelled: 'Cancelled: 0 %', cancel: 'Cancel broadcast', delivered: 'Delivered', home: 'Main menu', badToken: 'token is not valid' },
} as const;

const ENGLISH_MONTHS = /January|February|March|April|May|June|July|August|September|October|November|December/;

async function ussdHop(url: string, sessionId: string, phoneNumber: string, text: string, networkCode = '64004'): Promise<string> {
  const response = await fetch(`${url}/webhooks/africastalking/ussd`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ sessionId, serviceCode: SERVICE_CODE, phoneNumber, networkCode, text }).toString(),
  });
  return response.text();
}

async function apiCall(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> & { id?: string; items?: unknown } }> {
  const response = await fetch(`${url}/api/v1${path}`, {
    method, headers: { Authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Signs in (the form is in Kiswahili first) and switches to `lang`. */
async function signIn(page: Page, url: string, lang: Lang, problems: string[]): Promise<void> {
  watchPageProblems(page, problems, { expected404: ['/api/v1/packs'] });
  await page.goto(`${url}/console/`);
  await page.getByLabel('Tokeni ya msimamizi').fill(TOKEN);
  await page.getByRole('button', { name: 'Ingia' }).click();
  await page.locator('#kpi-total').waitFor();
  if (lang === 'en') await page.getByRole('button', { name: 'English' }).click();
  await page.locator('body[data-ready="true"]').waitFor();
}

async function noSideScroll(page: Page): Promise<void> {
  await expect(page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).resolves.toBeLessThanOrEqual(0);
}

describeBrowser('the console for an organiser, on the real gateway', () => {
  let browser: Browser;
  let stack: GatewayStack;
  let url: string;
  let served: TestServer | undefined;
  beforeAll(async () => {
    stack = await startGatewayStack({
      now: '2015-08-16T07:00:00.000Z',
      // Delivery reports come 6 s after sending, so "completed" is seen before "delivered".
      env: { ADMIN_TOKENS: `admin:${TOKEN}`, QUIET_HOURS: '20:00-08:00', SMS_RATE_PER_SECOND: '50', SMS_OUTBOX_DLR_DELAY_MS: '6000' },
    });
    served = await serveApp(stack.gateway.listener, () => stack.close());
    url = served.url;
    // Two callers walk into the registration menu; one registers.
    for (const text of ['', '1', '1*Asha Juma', '1*Asha Juma*Wizara ya Fedha', '1*Asha Juma*Wizara ya Fedha*1', '1*Asha Juma*Wizara ya Fedha*1*1', '1*Asha Juma*Wizara ya Fedha*1*1*1']) await ussdHop(url, 'funnel-1', '+255712000101', text);
    for (const text of ['', '1']) await ussdHop(url, 'funnel-2', '+255712000102', text, '64009');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await (served ? served.close() : stack?.close());
  });

  it.each<[Lang, boolean]>([['sw', false], ['en', true]])('refuses a wrong token in the console\'s language (%s, phone %s)', async (lang, phone) => {
    const { context, page } = await newPage(browser, { phone });
    try {
      await page.goto(`${url}/console/`);
      if (lang === 'en') await page.getByRole('button', { name: 'English' }).click();
      await page.locator('#token').fill('wrong-token-0123456789');
      await page.locator('form.signin button[type=submit]').click();
      await page.getByRole('alert').filter({ hasText: TEXT[lang].badToken }).waitFor();
      await saveScreenshot(page, `organiser-signin-error-${lang}${phone ? '-360' : ''}`);
    } finally {
      await context.close();
    }
  });

  it.each<[Lang, boolean]>([['sw', false], ['en', true], ['sw', true]])('composes: the test error stays, bad numbers are listed, plurals, EAT picker, the hold is stated and sent now (%s, phone %s)', async (lang, phone) => {
    const { context, page } = await newPage(browser, { phone });
    const problems: string[] = [];
    const L = TEXT[lang];
    const shot = (name: string) => saveScreenshot(page, `organiser-${name}-${lang}${phone ? '-360' : ''}`);
    try {
      await signIn(page, url, lang, problems);
      await page.goto(`${url}/console/#/compose`);
      await page.getByLabel(L.msgSw).waitFor();
      await page.getByRole('radio', { name: L.list }).check();
      await page.getByLabel(L.paste).fill('0712000001\nabc\n12345');
      await page.getByLabel(L.msgSw).fill('Habari – karibu AICC');
      // A test to a bad number, sent before the preview refresh that typing started: its error must stay.
      await page.getByLabel(L.testPhone).fill('12');
      await page.getByRole('button', { name: L.testSend }).click();
      await page.locator('#test-errors [role=alert]').filter({ hasText: L.badPhone }).waitFor();
      await page.locator('#recipients', { hasText: /^1$/ }).waitFor();
      await page.waitForTimeout(800);
      await expect(page.locator('#test-errors [role=alert]').textContent()).resolves.toContain(L.badPhone);
      // The two bad lines are counted and shown; the UCS-2 warning reads in the console's language.
      await expect(page.locator('#invalid-count').textContent()).resolves.toBe('2');
      await expect(page.locator('#invalid-list li').allTextContents()).resolves.toEqual(['abc', '12345']);
      await expect(page.locator('#preview .problem').allTextContents()).resolves.toEqual([expect.stringContaining(L.ucs)]);
      // Dates are offered in the console's language, and the time is EAT whatever the browser's zone.
      await expect(page.locator('input[type=datetime-local]').count()).resolves.toBe(0);
      const firstDay = (await page.locator('#send-day option').first().textContent()) ?? '';
      if (lang === 'sw') expect(firstDay).not.toMatch(ENGLISH_MONTHS); else expect(firstDay).toMatch(ENGLISH_MONTHS);
      await noSideScroll(page);
      await shot('compose');

      // Now: one person, in the singular.
      await page.getByRole('button', { name: L.send, exact: true }).click();
      await expect(page.locator('#confirm-text').textContent()).resolves.toContain(L.onePerson);
      await page.getByRole('dialog').getByRole('button', { name: L.no }).click();

      // At 23:00 EAT: quiet hours, said in the confirmation; the broadcast page offers "send now".
      await page.getByRole('radio', { name: L.schedule }).check();
      await page.getByLabel(L.time).fill('23:00');
      await page.locator('#preview .warn[role=alert]').waitFor();
      await page.getByRole('button', { name: L.send, exact: true }).click();
      await expect(page.locator('#confirm-held').textContent()).resolves.toContain(L.held);
      await shot('confirm-held');
      await page.getByRole('button', { name: L.yes }).click();
      await page.waitForURL(/#\/broadcast\/[^/]+$/);
      await page.locator('#bc-held').waitFor();
      await shot('broadcast-held');
      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: L.sendNow }).click();
      // Completed first; the delivery report arrives later and shows up without a reload.
      await page.locator('#bc-awaiting').waitFor({ timeout: 10_000 });
      await expect(page.locator('dd[data-state="delivered"]').textContent()).resolves.toBe('0');
      await page.locator('dd[data-state="delivered"]', { hasText: /^1$/ }).waitFor({ timeout: 15_000 });
      await expect(page.locator('#bc-state').textContent()).resolves.toBe(lang === 'sw' ? 'Imekamilika' : 'Completed');
      await shot('broadcast-delivered');
      // The one refusal is the test to a bad number, asked for on purpose.
      expect(problems.filter((p) => !/400 \(Bad Request\) .*\/broadcasts\/test-send/.test(p))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it.each<[Lang, boolean]>([['sw', false], ['en', true]])('previews a merge sheet row by row and lists the rows it cannot send (%s, phone %s)', async (lang, phone) => {
    const { context, page } = await newPage(browser, { phone });
    const problems: string[] = [];
    try {
      await signIn(page, url, lang, problems);
      await page.goto(`${url}/console/#/compose`);
      await page.getByRole('radio', { name: lang === 'sw' ? /Karatasi ya kuunganisha/ : /Merge sheet/ }).check();
      await page.locator('#merge-paste').fill('phone,seat\n0712000701,A12\n0712000702,\nabc,B1\n0712000703,B7 – mbele\n');
      await page.getByLabel(TEXT[lang].msgSw).fill('Kiti chako ni {seat}.');
      await page.locator('#merge-rows tbody tr').nth(1).waitFor();
      const rows = await page.locator('#merge-rows tbody tr').allTextContents();
      expect(rows).toEqual([expect.stringContaining('Kiti chako ni A12.'), expect.stringMatching(/Kiti chako ni B7 – mbele\.UCS-2/)]);
      await expect(page.locator('#merge-invalid li').allTextContents()).resolves.toEqual([
        lang === 'sw' ? 'Mstari 3: +255712000702 · {seat} haina thamani' : 'Line 3: +255712000702 · {seat} is empty',
        lang === 'sw' ? 'Mstari 4: abc · namba si sahihi' : 'Line 4: abc · invalid number']);
      await expect(page.locator('#recipients').textContent()).resolves.toBe('2');
      await noSideScroll(page);
      await saveScreenshot(page, `organiser-merge-${lang}${phone ? '-360' : ''}`);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it.each<[Lang, boolean]>([['sw', false], ['en', true]])('shows a cancelled broadcast as stopped, not as a full green bar (%s, phone %s)', async (lang, phone) => {
    const created = await apiCall(url, 'POST', '/broadcasts', { name: `Kesho ${lang}${phone}`, audience: { phones: ['+255712000201'] }, messages: { sw: 'Habari' }, sendAt: '2015-08-16T20:00:00.000Z' }, { 'Idempotency-Key': `cancel-${lang}-${String(phone)}` });
    expect(created.status).toBe(201);
    const { context, page } = await newPage(browser, { phone });
    const problems: string[] = [];
    try {
      await signIn(page, url, lang, problems);
      await page.goto(`${url}/console/#/broadcast/${String(created.json.id)}`);
      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: TEXT[lang].cancel }).click();
      await page.locator('.bar.cancelled[role=progressbar]').waitFor();
      await expect(page.locator('[role=progressbar]').getAttribute('aria-valuenow')).resolves.toBe('0');
      await expect(page.locator('[role=progressbar] .pct').textContent()).resolves.toContain(TEXT[lang].cancelled);
      await saveScreenshot(page, `organiser-broadcast-cancelled-${lang}${phone ? '-360' : ''}`);
      await page.goto(`${url}/console/#/dashboard`);
      await page.locator('#recent .bar.cancelled').first().waitFor();
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it.each<[Lang, boolean]>([['sw', false], ['en', true]])('draws the USSD funnel in flow order by screen name (%s, phone %s)', async (lang, phone) => {
    const { context, page } = await newPage(browser, { phone });
    const problems: string[] = [];
    try {
      await signIn(page, url, lang, problems);
      await page.goto(`${url}/console/#/funnel`);
      await page.locator('#funnel-table tbody tr').first().waitFor();
      const nodes = await page.locator('#funnel-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-node')));
      const path = ['home', 'reg_name', 'reg_institution', 'reg_type', 'reg_cohort', 'reg_confirm', 'reg_submit', 'reg_done'];
      expect(nodes.slice(0, 2)).toEqual(['home', 'reg_name']);
      const positions = path.map((n) => nodes.indexOf(n));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      await expect(page.locator('#funnel-table tbody tr').first().locator('td').first().textContent()).resolves.toBe(TEXT[lang].home);
      const names = await page.locator('#funnel-table tbody td:first-child').allTextContents();
      expect(names.filter((n) => /^[a-z]+(_[a-z]+)+$/.test(n))).toEqual([]);
      await noSideScroll(page);
      await saveScreenshot(page, `organiser-funnel-${lang}${phone ? '-360' : ''}`);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it.each<[Lang, boolean]>([['sw', false], ['en', true]])('shows the event: per-minute chart (uPlot), networks, and the menu graph with counts (Mermaid) (%s, phone %s)', async (lang, phone) => {
    const { context, page } = await newPage(browser, { phone });
    const problems: string[] = [];
    const elsewhere: string[] = [];
    page.on('request', (request) => { if (!request.url().startsWith(url) && !request.url().startsWith('data:')) elsewhere.push(request.url()); });
    try {
      await signIn(page, url, lang, problems);
      await page.locator('#minute-chart canvas').first().waitFor();
      await expect(page.locator('#minute-chart .u-legend').textContent()).resolves.toContain(lang === 'sw' ? 'Usajili' : 'Registrations');
      await expect(page.locator('#minute-totals').textContent()).resolves.toMatch(lang === 'sw' ? /Usajili 1 · Imetumwa [1-9]/ : /Registrations 1 · Sent [1-9]/);
      await expect(page.locator('#networks').textContent()).resolves.toMatch(/Vodacom[\s\S]*Halotel|Halotel[\s\S]*Vodacom/);
      await noSideScroll(page);
      await saveScreenshot(page, `organiser-dashboard-${lang}${phone ? '-360' : ''}`);
      await page.goto(`${url}/console/#/funnel`);
      await page.locator('#menu-graph[data-drawn="true"]').waitFor({ timeout: 15_000 });
      const svg = page.frameLocator('#menu-graph iframe').locator('svg');
      const labels = await svg.locator('g.node').allTextContents();
      expect(labels.find((l) => l.includes(TEXT[lang].home))).toMatch(/2/);
      expect(labels.length).toBe(8);
      await noSideScroll(page);
      await saveScreenshot(page, `organiser-menu-graph-${lang}${phone ? '-360' : ''}`);
      await page.locator('#graph-all').check();
      await page.locator('#menu-graph[data-drawn="true"]').waitFor({ timeout: 15_000 });
      await expect(svg.locator('g.node').count()).resolves.toBeGreaterThan(30);
      await saveScreenshot(page, `organiser-menu-graph-all-${lang}${phone ? '-360' : ''}`);
      expect(elsewhere).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 40_000);

  it.each<[Lang, boolean]>([['sw', false], ['en', true]])('lists opt-outs with their source, opts one back in with a reason, and shows it in the audit trail (%s, phone %s)', async (lang, phone) => {
    const number = lang === 'sw' ? '+255712000401' : '+255712000402';
    const optOut = await fetch(`${url}/webhooks/africastalking/opt-outs`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ phoneNumber: number }).toString() });
    expect(optOut.status).toBe(200);
    const { context, page } = await newPage(browser, { phone });
    const problems: string[] = [];
    const reason = lang === 'sw' ? 'Aliomba tena kwa barua pepe' : 'Asked again by email';
    try {
      await signIn(page, url, lang, problems);
      await page.goto(`${url}/console/#/optouts`);
      await page.locator('#optout-search').fill(number.slice(-6));
      const row = page.locator(`#optout-table tr[data-phone="${number}"]`);
      await row.waitFor();
      await expect(row.textContent()).resolves.toContain(lang === 'sw' ? 'Kupitia mtandao' : 'Through the network');
      await noSideScroll(page);
      await saveScreenshot(page, `organiser-optouts-${lang}${phone ? '-360' : ''}`);
      // A test message to the opted-out number is not sent: the "not sent" page says why.
      const refused = await apiCall(url, 'POST', '/broadcasts/test-send', { draft: { audience: { all: true }, messages: { sw: 'Habari' } }, phone: number });
      expect(refused.status).toBe(422);
      await page.goto(`${url}/console/#/skipped`);
      await page.locator('#skip-reasons').waitFor();
      await expect(page.locator('#skip-reasons').textContent()).resolves.toContain(lang === 'sw' ? 'Amejitoa' : 'Opted out');
      await saveScreenshot(page, `organiser-skipped-${lang}${phone ? '-360' : ''}`);
      await page.goto(`${url}/console/#/optouts`);
      await page.locator('#optout-search').fill(number.slice(-6));
      await row.waitFor();
      page.once('dialog', (dialog) => void dialog.accept(reason));
      await row.getByRole('button').click();
      await page.locator('#optout-empty').waitFor();
      await page.goto(`${url}/console/#/audit`);
      const entry = page.locator('#audit-table tbody tr').filter({ hasText: reason });
      await entry.waitFor();
      await expect(entry.textContent()).resolves.toContain(lang === 'sw' ? 'Alimrudisha aliyejitoa' : 'Opted a number back in');
      await expect(entry.textContent()).resolves.toMatch(/admin · tok-[0-9a-f]{8}/);
      await expect(entry.textContent()).resolves.not.toContain(number);
      await expect(page.locator('#audit-table').textContent()).resolves.toContain(lang === 'sw' ? 'Aliingia' : 'Signed in');
      await expect(page.locator('#audit-table').textContent()).resolves.not.toContain(TOKEN);
      await noSideScroll(page);
      await saveScreenshot(page, `organiser-audit-${lang}${phone ? '-360' : ''}`);
      const csv = await fetch(`${url}/api/v1/audit.csv`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(csv.status).toBe(200);
      const text = await csv.text();
      expect(text).toContain(reason);
      // Every cell quoted (a spreadsheet cannot split or run one), the number masked.
      expect(text).toMatch(/,"login",/);
      expect(text).toMatch(new RegExp(`,"opt-in","'\\+2557XXXXX${number.slice(-3)}","",${JSON.stringify(reason)}\r\n`));
      expect(text).not.toContain(number);
      expect(text).not.toContain(TOKEN);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 30_000);

  it.each<[Lang, boolean]>([['sw', false], ['sw', true], ['en', false], ['en', true]])('every console page fits and is saved as a screenshot (%s, phone %s)', async (lang, phone) => {
    const listed = await apiCall(url, 'GET', '/broadcasts?limit=1');
    const firstBroadcast = String((listed.json.items as Array<{ id: string }>)[0]?.id ?? '');
    const { context, page } = await newPage(browser, { phone });
    const problems: string[] = [];
    try {
      await signIn(page, url, lang, problems);
      for (const name of ['dashboard', 'compose', 'agenda', 'delegates', 'funnel', 'inbox', 'optouts', 'skipped', 'audit', ...(firstBroadcast ? [`broadcast/${firstBroadcast}`] : [])]) {
        await page.goto(`${url}/console/#/${name}`);
        await page.locator('body[data-ready="true"]').waitFor();
        await page.locator('main h1').first().waitFor();
        await noSideScroll(page);
        await saveScreenshot(page, `console-page-${name.split('/')[0]}-${lang}${phone ? '-360' : ''}`);
      }
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 40_000);

  it.each<[Lang, boolean]>([['sw', false], ['en', true]])('keeps inbound SMS no keyword handled and replies from the console through the pipeline (%s, phone %s)', async (lang, phone) => {
    const from = lang === 'sw' ? '+255712000501' : '+255712000502';
    const question = lang === 'sw' ? 'Je, kuna maegesho AICC?' : 'Is there parking at AICC?';
    const posted = await fetch(`${url}/webhooks/africastalking/sms`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ from, to: '15001', text: question, id: `in-${lang}-${String(phone)}`, date: '2015-08-16 07:00:00', networkCode: '64004' }).toString() });
    expect(posted.status).toBe(200);
    await eventually(async () => {
      const inbox = await apiCall(url, 'GET', '/inbox');
      return (inbox.json.items as Array<{ text: string }>).some((m) => m.text === question) ? true : undefined;
    }, 10_000, 'the unmatched SMS in the inbox');
    const { context, page } = await newPage(browser, { phone });
    const problems: string[] = [];
    const answer = lang === 'sw' ? 'Ndiyo, maegesho yapo upande wa mashariki.' : 'Yes, parking is on the east side.';
    try {
      await signIn(page, url, lang, problems);
      await page.goto(`${url}/console/#/inbox`);
      const item = page.locator('.inbox-item').filter({ hasText: question });
      await item.waitFor();
      await item.locator('textarea').fill(answer);
      await item.getByRole('button').click();
      await page.locator('.inbox-item').filter({ hasText: question }).locator('.badge').waitFor();
      await noSideScroll(page);
      await saveScreenshot(page, `organiser-inbox-${lang}${phone ? '-360' : ''}`);
      const sent = await eventually(async () => {
        const outbox = await apiCall(url, 'GET', `/outbox?phone=${encodeURIComponent(from)}`);
        return (outbox.json.items as Array<{ text: string }>).find((m) => m.text === answer);
      }, 10_000, 'the reply in the outbox');
      expect(sent).toBeDefined();
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 40_000);

  it('stamps the simulator inbox in EAT, like the console, whatever the browser\'s zone, and shows each message\'s delivery state', async () => {
    const sent = await apiCall(url, 'POST', '/broadcasts/test-send', { draft: { audience: { all: true }, messages: { sw: 'Jaribio la saa' } }, phone: '+255712345678' });
    expect(sent.status).toBe(200);
    const context = await browser.newContext({ viewport: { width: 360, height: 760 }, timezoneId: 'America/New_York' });
    const page = await context.newPage();
    try {
      await page.goto(`${url}/simulator/`);
      await page.waitForSelector('body[data-ready="true"]');
      const message = page.locator('[data-phone="1"] .messages .message').filter({ hasText: 'Jaribio la saa' });
      await message.waitFor({ state: 'attached', timeout: 10_000 });
      const outbox = await apiCall(url, 'GET', '/outbox?phone=%2B255712345678');
      const at = new Date((outbox.json.items as Array<{ text: string; at: string }>).find((i) => i.text.includes('Jaribio la saa'))?.at ?? '');
      const eat = at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Africa/Dar_es_Salaam' });
      await page.locator('[data-phone="1"] summary').click();
      const meta = (await message.locator('.meta').textContent()) ?? '';
      expect(meta).toMatch(/EAT (Imetumwa|Imefika)$/);
      expect(meta).toContain(eat);
      // The delivery report arrives later: the inbox shows it without a reload.
      await message.locator('.state-delivered', { hasText: 'Imefika' }).waitFor({ state: 'attached', timeout: 15_000 });
      await saveScreenshot(page, 'simulator-inbox-states-sw-360');
    } finally {
      await context.close();
    }
  });
});
