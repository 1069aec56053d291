/**
 * The phone simulator in a real browser: dial, read the screen and its character count, answer,
 * reach END, cancel, text a keyword, read the inbox, give the webhook key, switch language, and
 * fit a 360 px phone screen. Screenshots land in test-output/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { createSimulatorRouter, type InboxItem, type SimulatorDeps } from '../../../src/http/simulator/simulator-router';
import { gsmSeptets } from '../../../src/kernel/text/gsm';
import { atDate, newMessageId, newSessionId, parseUssdAnswer, SANDBOX_NETWORK, SERVICE_CODE, ussdText } from '../../../scripts/lib/at-protocol';
import { browserAvailable, launchBrowser, newPage, saveScreenshot, startTestServer, type TestServer } from '../../support/browser';
import { createFakeGateway, type FakeGateway } from './fake-gateway';

const describeBrowser = browserAvailable() ? describe : describe.skip;
const KEY = 'k'.repeat(20);
const SESSION_ID = /^ATUid_[0-9a-f]{32}$/;

const reminder: InboxItem = { id: 'msg-1', to: '+255712345678', text: 'Kumbusho: Ufunguzi saa 09:00, Ukumbi Kilimanjaro.', at: '2015-08-17T05:30:00.000Z', state: 'sent' };

function simulatorDeps(overrides: Partial<SimulatorDeps> = {}): SimulatorDeps {
  return {
    serviceCodes: ['*384*2015#'],
    shortCode: '15001',
    maxScreenChars: 160,
    webhookKeyRequired: false,
    inbox: async (phone, since) => (phone === reminder.to && since === undefined ? [reminder] : []),
    ...overrides,
  };
}

async function start(gateway: FakeGateway, deps: SimulatorDeps): Promise<TestServer> {
  return startTestServer([...gateway.mounts, { path: '/simulator', router: createSimulatorRouter(deps) }]);
}

/** Opens the page and fails the test on any script error or CSP violation. */
async function openSimulator(page: Page, server: TestServer, problems: string[]): Promise<void> {
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
  await page.goto(`${server.url}/simulator`);
  await page.waitForSelector('body[data-ready="true"]');
}

const phone = (page: Page, ordinal: number) => page.locator(`[data-phone="${ordinal}"]`);

describeBrowser('phone simulator page', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('dials, shows each screen with its count, answers and closes on END', async () => {
    const gateway = createFakeGateway();
    const server = await start(gateway, simulatorDeps());
    const { context, page } = await newPage(browser);
    const problems: string[] = [];
    try {
      await openSimulator(page, server, problems);
      const first = phone(page, 1);
      await expect(first.getByLabel('Namba ya simu').inputValue()).resolves.toBe('+255712345678');
      await first.getByRole('button', { name: 'Piga' }).click();
      await first.locator('pre', { hasText: 'Karibu Kiungo' }).waitFor();
      await expect(first.locator('.count').textContent()).resolves.toBe('42/160 GSM-7');
      await first.getByRole('button', { name: '1', exact: true }).click();
      await first.getByRole('button', { name: 'Tuma', exact: true }).click();
      await first.locator('pre', { hasText: 'Ratiba ya leo' }).waitFor();
      await first.getByLabel('Msimbo au jibu').fill('1');
      await first.getByLabel('Msimbo au jibu').press('Enter');
      await first.locator('pre', { hasText: 'Umejiandikisha' }).waitFor();
      await expect(first.getByText('Kipindi kimeisha')).toBeTruthy();
      await expect(first.getByRole('button', { name: 'Katisha' }).isDisabled()).resolves.toBe(true);
      await first.locator('summary', { hasText: '1 mpya' }).waitFor();
      await saveScreenshot(page, 'simulator-desktop-end');
      await first.locator('summary').click();
      await first.getByText('Kumbusho: Ufunguzi').waitFor();
      await expect(first.locator('.badge').isHidden()).resolves.toBe(true);
      await saveScreenshot(page, 'simulator-desktop-inbox');

      expect(gateway.ussdHops.map((hop) => hop.text)).toEqual(['', '1', '1*1']);
      const ids = new Set(gateway.ussdHops.map((hop) => hop.sessionId));
      expect(ids.size).toBe(1);
      expect([...ids][0]).toMatch(SESSION_ID);
      expect(gateway.ussdHops[0]).toEqual(expect.objectContaining({ serviceCode: '*384*2015#', phoneNumber: '+255712345678', networkCode: '99999' }));
      await waitFor(() => gateway.ussdEvents.length === 1);
      expect(gateway.ussdEvents[0]).toEqual(expect.objectContaining({ status: 'Success', input: '1*1', hopsCount: '3', lastAppResponse: 'END Umejiandikisha kwa Ufunguzi. Asante!' }));
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      await server.close();
    }
  });

  it('cancels a session with an Incomplete notification, texts a keyword and adds a phone', async () => {
    const gateway = createFakeGateway();
    const server = await start(gateway, simulatorDeps());
    const { context, page } = await newPage(browser);
    const problems: string[] = [];
    try {
      await openSimulator(page, server, problems);
      const first = phone(page, 1);
      await first.getByRole('button', { name: 'Piga' }).click();
      await first.locator('pre', { hasText: 'Karibu' }).waitFor();
      await first.getByRole('button', { name: 'Katisha' }).click();
      await first.getByText('Umekatisha kipindi.').waitFor();
      await waitFor(() => gateway.ussdEvents.length === 1);
      const event = gateway.ussdEvents[0] ?? {};
      expect(event).toEqual(expect.objectContaining({ status: 'Incomplete', input: '', hopsCount: '1', phoneNumber: '+255712345678', serviceCode: '*384*2015#', lastAppResponse: expect.stringMatching(/^CON Karibu/) }));
      expect(event.sessionId).toBe(gateway.ussdHops[0]?.sessionId);
      expect(Number(event.durationInMillis)).toBeGreaterThanOrEqual(0);
      expect(event.date).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

      await first.getByLabel('Tuma SMS kwa 15001').fill('MSAADA');
      await first.getByRole('button', { name: 'Tuma SMS' }).click();
      await first.getByText('SMS imetumwa.').waitFor();
      expect(gateway.sms[0]).toEqual(expect.objectContaining({ from: '+255712345678', to: '15001', text: 'MSAADA', networkCode: '99999', id: expect.stringMatching(/^ATXid_[0-9a-f]{32}$/) }));

      await page.getByRole('button', { name: 'Ongeza simu' }).click();
      await expect(phone(page, 2).getByLabel('Namba ya simu').inputValue()).resolves.toBe('+255754000001');
      await phone(page, 2).getByRole('button', { name: 'Piga' }).click();
      await phone(page, 2).locator('pre', { hasText: 'Karibu' }).waitFor();
      await phone(page, 2).getByRole('button', { name: '3', exact: true }).click();
      await phone(page, 2).getByRole('button', { name: 'Tuma', exact: true }).click();
      await phone(page, 2).locator('pre', { hasText: 'Karibu 😀' }).waitFor();
      await expect(phone(page, 2).locator('.count').textContent()).resolves.toBe('9/70 UCS-2');
      await saveScreenshot(page, 'simulator-desktop-two-phones');
      await phone(page, 2).getByRole('button', { name: 'Ondoa simu' }).click();
      await expect(page.locator('[data-phone]').count()).resolves.toBe(1);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      await server.close();
    }
  });

  it('asks for the webhook key once, sends it as ?key= and asks again when it is refused', async () => {
    const gateway = createFakeGateway({ key: KEY });
    const server = await start(gateway, simulatorDeps({ webhookKeyRequired: true }));
    const { context, page } = await newPage(browser);
    const problems: string[] = [];
    try {
      await openSimulator(page, server, problems);
      await page.getByLabel('Ufunguo wa webhook').fill('wrong-key');
      await page.getByRole('button', { name: 'Hifadhi' }).click();
      await phone(page, 1).getByRole('button', { name: 'Piga' }).click();
      await phone(page, 1).getByText('Ufunguo wa webhook umekataliwa.').waitFor();
      await page.getByLabel('Ufunguo wa webhook').waitFor();
      await page.getByLabel('Ufunguo wa webhook').fill(KEY);
      await page.getByRole('button', { name: 'Hifadhi' }).click();
      await page.reload();
      await page.waitForSelector('body[data-ready="true"]');
      await expect(page.locator('#key-form').isHidden()).resolves.toBe(true);
      await phone(page, 1).getByRole('button', { name: 'Piga' }).click();
      await phone(page, 1).locator('pre', { hasText: 'Karibu' }).waitFor();
      expect(gateway.ussdHops).toHaveLength(1);
      expect(problems.filter((problem) => !/401/.test(problem))).toEqual([]);
    } finally {
      await context.close();
      await server.close();
    }
  });

  it('fits a 360 px phone in English and says when there is no outbox', async () => {
    const gateway = createFakeGateway();
    const server = await start(gateway, simulatorDeps({ inbox: undefined }));
    const { context, page } = await newPage(browser, { phone: true });
    const problems: string[] = [];
    try {
      await openSimulator(page, server, problems);
      await page.getByRole('button', { name: 'English' }).click();
      const first = phone(page, 1);
      await first.getByRole('button', { name: 'Dial' }).click();
      await first.locator('pre', { hasText: 'Karibu Kiungo' }).waitFor();
      await first.locator('summary').click();
      await first.getByText('The inbox needs SMS_PROVIDER=outbox.').waitFor();
      await expect(page.evaluate('document.documentElement.lang')).resolves.toBe('en');
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      await saveScreenshot(page, 'simulator-phone-360');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      await server.close();
    }
  });

  it('dials the service the person picks and texts its short code, naming the keyword a shared code needs', async () => {
    const gateway = createFakeGateway();
    const services: SimulatorDeps['services'] = [
      { id: 'egov2015', name: { sw: 'Mkutano 2015', en: 'Conference 2015' }, serviceCodes: ['*384*2015#'], shortCodes: ['15001'], keyword: 'EGOV2015' },
      { id: 'egov2016', name: { sw: 'Mkutano 2016', en: 'Conference 2016' }, serviceCodes: ['*384*2016#'], shortCodes: ['15001'], keyword: 'EGOV2016' },
      { id: 'afya', name: { sw: 'Afya', en: 'Health' }, serviceCodes: ['*384*77#'], shortCodes: ['15077'] },
    ];
    const server = await start(gateway, simulatorDeps({ serviceCodes: ['*384*2015#', '*384*2016#', '*384*77#'], services }));
    const { context, page } = await newPage(browser, { phone: true });
    const problems: string[] = [];
    try {
      await openSimulator(page, server, problems);
      const first = phone(page, 1);
      const code = first.getByLabel('Msimbo wa huduma');
      await expect(code.locator('option').allTextContents()).resolves.toEqual(['*384*2015# · Mkutano 2015', '*384*2016# · Mkutano 2016', '*384*77# · Afya']);
      await code.selectOption('*384*2016#');
      await first.getByRole('button', { name: 'Piga' }).click();
      await first.locator('pre', { hasText: 'Karibu Kiungo' }).waitFor();
      expect(gateway.ussdHops[0]).toEqual(expect.objectContaining({ serviceCode: '*384*2016#' }));
      await first.getByRole('button', { name: 'Katisha' }).click();

      // Both conferences answer on 15001: the SMS box says which keyword reaches 2016.
      const sms = first.getByLabel('Tuma SMS kwa 15001');
      await expect(sms.getAttribute('placeholder')).resolves.toBe('mf. EGOV2016 MSAADA');
      await expect(first.getByLabel('Namba fupi ya SMS').inputValue()).resolves.toBe('15001');
      await saveScreenshot(page, 'simulator-services-360');
      await page.setViewportSize({ width: 1280, height: 900 });
      await saveScreenshot(page, 'simulator-services-desktop');
      await page.setViewportSize({ width: 360, height: 760 });
      await code.selectOption('*384*77#');
      await first.getByLabel('Tuma SMS kwa 15077').fill('MSAADA');
      await expect(first.getByLabel('Tuma SMS kwa 15077').getAttribute('placeholder')).resolves.toBe('mf. MSAADA');
      await first.getByRole('button', { name: 'Tuma SMS' }).click();
      await first.getByText('SMS imetumwa.').waitFor();
      expect(gateway.sms[0]).toEqual(expect.objectContaining({ to: '15077', text: 'MSAADA' }));

      await page.reload();
      await page.waitForSelector('body[data-ready="true"]');
      await expect(phone(page, 1).getByLabel('Msimbo wa huduma').inputValue()).resolves.toBe('*384*77#');
      await expect(phone(page, 1).getByLabel('Namba fupi ya SMS').inputValue()).resolves.toBe('15077');
      await page.getByRole('button', { name: 'English' }).click();
      await expect(phone(page, 1).getByLabel('Service code').locator('option:checked').textContent()).resolves.toBe('*384*77# · Health');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      await server.close();
    }
  });

  it('offers a single short code without a picker', async () => {
    const server = await start(createFakeGateway(), simulatorDeps());
    const { context, page } = await newPage(browser);
    try {
      await openSimulator(page, server, []);
      await expect(phone(page, 1).locator('[data-role="short-code-field"]').isHidden()).resolves.toBe(true);
      await expect(phone(page, 1).getByLabel('Msimbo wa huduma').locator('option').allTextContents()).resolves.toEqual(['*384*2015#']);
    } finally {
      await context.close();
      await server.close();
    }
  });

  it('speaks the AT handset protocol exactly like scripts/lib/at-protocol.ts', async () => {
    const server = await start(createFakeGateway(), simulatorDeps());
    const { context, page } = await newPage(browser);
    try {
      await page.goto(`${server.url}/simulator/`);
      const answers = ['CON Karibu\n1. Ratiba', 'END', 'END Asante', 'CON', 'CON ', 'CONKaribu', 'con Karibu', ' END x', 'END  two', '', 'OK', 'END a\r\nb'];
      const codes = ['*384*2015#', '*384#', '*384*2015', '384#', '*38a#', '*#'];
      const inputs = [[], ['1'], ['1', 'Juma*Hamisi', '']];
      const vectors = JSON.stringify({ answers, codes, inputs });
      // A string, not a function: the test transpiler would rewrite import() into require().
      const inPage = await page.evaluate<{ parsed: unknown[]; codes: boolean[]; texts: string[]; date: string; ids: string[]; network: string }>(`import('../assets/at-protocol.js').then((at) => {
        const v = ${vectors};
        return {
          parsed: v.answers.map((body) => at.parseUssdAnswer(body)),
          codes: v.codes.map((code) => at.SERVICE_CODE.test(code)),
          texts: v.inputs.map((list) => at.ussdText(list)),
          date: at.atDate(new Date(2015, 7, 17, 8, 5, 9)),
          ids: [at.newSessionId(), at.newMessageId()],
          network: at.SANDBOX_NETWORK,
        };
      })`);
      expect(inPage.parsed).toEqual(answers.map((body) => {
        const screen = parseUssdAnswer(body);
        return screen ? { kind: screen.kind, text: screen.text } : null;
      }));
      expect(inPage.parsed.filter(Boolean)).toHaveLength(7);
      expect(inPage.codes).toEqual(codes.map((code) => SERVICE_CODE.test(code)));
      expect(inPage.texts).toEqual(inputs.map((list) => ussdText(list)));
      expect(inPage.date).toBe(atDate(new Date(2015, 7, 17, 8, 5, 9)));
      expect(inPage.date).toBe('2015-08-17 08:05:09');
      expect(inPage.network).toBe(SANDBOX_NETWORK);
      const [sessionId, messageId] = inPage.ids;
      expect(sessionId).toMatch(SESSION_ID);
      expect(newSessionId()).toMatch(SESSION_ID);
      expect(messageId).toMatch(/^ATXid_[0-9a-f]{32}$/);
      expect(newMessageId()).toMatch(/^ATXid_[0-9a-f]{32}$/);
    } finally {
      await context.close();
      await server.close();
    }
  });

  it('measures with exactly the GSM-7 table of src/kernel/text/gsm.ts', async () => {
    const server = await start(createFakeGateway(), simulatorDeps());
    const { context, page } = await newPage(browser);
    try {
      await page.goto(`${server.url}/simulator/`);
      // A string, not a function: the test transpiler would rewrite import() into require().
      // Every BMP character's cost, as "code:septets" for the ones in the alphabet.
      const inPage = await page.evaluate<string[]>(`import('../assets/gsm.js').then((gsm) => {
        const costs = [];
        for (let code = 0; code <= 0xffff; code += 1) {
          const septets = gsm.gsmSeptets(String.fromCharCode(code));
          if (septets > 0) costs.push(code + ':' + septets);
        }
        return costs;
      })`);
      const inNode: string[] = [];
      for (let code = 0; code <= 0xffff; code += 1) {
        const septets = gsmSeptets(String.fromCharCode(code));
        if (septets !== undefined) inNode.push(`${code}:${septets}`);
      }
      expect(inNode.length).toBeGreaterThan(120);
      expect(inPage).toEqual(inNode);
    } finally {
      await context.close();
      await server.close();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
