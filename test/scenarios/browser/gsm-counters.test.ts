/**
 * The character counters people read in the console (SMS composer) and the simulator (USSD
 * screen) against the gateway's own measure, src/kernel/text/gsm.ts, for the strings that trip
 * counters up: the euro sign and the other two-septet characters, emoji, Latin letters outside
 * GSM-7, typographic punctuation pasted into Kiswahili text, and the segment boundaries.
 */
import type { Browser } from 'playwright-core';
import { measureSms } from '../../../src/kernel/text/gsm';
import { createConsoleRouter } from '../../../src/http/console/console-router';
import { createSimulatorRouter } from '../../../src/http/simulator/simulator-router';
import { browserAvailable, launchBrowser, newPage, saveScreenshot, startTestServer, watchPageProblems, type TestServer } from '../../support/browser';
import { ADMIN, createAdminStack, type AdminStack } from '../../http/admin/support/admin-stack';
import { createFakeGateway } from './fake-gateway';

const describeBrowser = browserAvailable() ? describe : describe.skip;

const TRICKY = [
  'Ada ni €20',
  '^_^ {jina} [kikao] ~ | \\ ni herufi mbili kila moja',
  'Karibu 😀',
  'Mkutano wa Serikali Mtandao: Habari za asubuhi, kikao kinaanza 09:00 Ukumbi wa Simba.',
  'Ng’ombe — si GSM',
  'Dkt. Zuhura Báruti',
  'Ärzte, Øystein, Ñandú, ¿sí? ¡Ndiyo! £5 §2 Δ',
  '€'.repeat(80),
  '€'.repeat(81),
  'a'.repeat(160),
  'Kikao kimehamishwa '.repeat(9),
  '😀'.repeat(35),
  '😀'.repeat(36),
];

describeBrowser('GSM-7 counters in the pages agree with the gateway', () => {
  let browser: Browser;
  let stack: AdminStack;
  let server: TestServer;
  beforeAll(async () => {
    browser = await launchBrowser();
    stack = await createAdminStack();
    // Each USSD screen is one tricky string; answering 1 moves to the next.
    const screens = Object.fromEntries(TRICKY.map((text, i) => [Array(i).fill('1').join('*'), `CON ${text}`]));
    const simulator = createSimulatorRouter({ serviceCodes: ['*384*2015#'], shortCode: '15001', maxScreenChars: 160, webhookKeyRequired: false });
    server = await startTestServer([...createFakeGateway({ screens }).mounts, { path: '/api/v1', router: stack.router }, { path: '/console', router: createConsoleRouter() }, { path: '/simulator', router: simulator }]);
  });
  afterAll(async () => {
    await server?.close();
    await stack?.close();
    await browser?.close();
  });

  it('counts every string in the broadcast composer as measureSms does', async () => {
    const { context, page } = await newPage(browser);
    const problems: string[] = [];
    try {
      watchPageProblems(page, problems, { expected404: ['/api/v1/packs'] });
      await page.goto(`${server.url}/console/`);
      await page.getByLabel('Tokeni ya msimamizi').fill(ADMIN);
      await page.getByRole('button', { name: 'Ingia' }).click();
      await page.locator('#kpi-total').waitFor();
      await page.getByRole('link', { name: 'Tuma ujumbe' }).click();
      const box = page.getByLabel('Ujumbe kwa Kiswahili');
      const counter = page.locator('#count-sw');
      for (const text of TRICKY) {
        const expected = measureSms(text);
        await box.fill(text);
        await page.locator(`#count-sw[data-units="${expected.units}"]`).waitFor();
        const shown = { encoding: await counter.getAttribute('data-encoding'), units: Number(await counter.getAttribute('data-units')), segments: Number(await counter.getAttribute('data-segments')) };
        expect({ text, ...shown }).toEqual({ text, encoding: expected.encoding, units: expected.units, segments: expected.segments });
        const line = (await counter.textContent()) ?? '';
        expect(line.startsWith(`${expected.units} herufi · ${expected.encoding} · ${expected.segments} SMS (${expected.perSegment})`)).toBe(true);
        for (const char of expected.nonGsmCharacters) expect(line).toContain(`"${char}"`);
      }
      await box.fill(TRICKY[4]!);
      await saveScreenshot(page, 'console-gsm-counter');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 30_000);

  it('counts every USSD screen in the simulator as the gateway does', async () => {
    const { context, page } = await newPage(browser, { phone: true });
    const problems: string[] = [];
    try {
      watchPageProblems(page, problems);
      await page.goto(`${server.url}/simulator/`);
      await page.waitForSelector('body[data-ready="true"]');
      const phone = page.locator('[data-phone="1"]');
      await phone.getByRole('button', { name: 'Piga' }).click();
      for (const [i, text] of TRICKY.entries()) {
        if (i > 0) {
          await phone.getByLabel('Msimbo au jibu').fill('1');
          await phone.getByRole('button', { name: 'Tuma', exact: true }).click();
        }
        await phone.locator('.screen[data-kind="CON"] pre').filter({ hasText: text.slice(0, 12) }).waitFor();
        const expected = measureSms(text);
        const budget = expected.encoding === 'GSM-7' ? 160 : 70;
        await expect(phone.locator('.count').textContent()).resolves.toBe(`${expected.units}/${budget} ${expected.encoding}`);
        await expect(phone.locator('.count').evaluate((el) => el.classList.contains('over'))).resolves.toBe(expected.units > budget);
        if (i === 2) await saveScreenshot(page, 'simulator-gsm-emoji-360');
      }
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 30_000);
});
