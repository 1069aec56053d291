/**
 * The phone simulator in a real browser: dial, read the screen and its character count, answer,
 * reach END, cancel, text a keyword, read the inbox, give the webhook key, switch language, and
 * fit a 360 px phone screen. Screenshots land in test-output/screenshots/.
 */
import type { Browser } from 'playwright-core';
import { browserAvailable, launchBrowser, newPage, saveScreenshot } from '../../support/browser';
import { createFakeGateway } from './fake-gateway';
import { openSimulator, phone, simulatorDeps, startSimulator as start } from './simulator-page';

const describeBrowser = browserAvailable() ? describe : describe.skip;
const KEY = 'k'.repeat(20);
const SESSION_ID = /^ATUid_[0-9a-f]{32}$/;

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
      await first.getByText('Kipindi kimeisha').waitFor();
      await expect(first.getByRole('button', { name: 'Katisha' }).isDisabled()).resolves.toBe(true);
      await first.locator('summary', { hasText: '1 mpya' }).waitFor();
      await saveScreenshot(page, 'simulator-desktop-end');
      await first.locator('summary').click();
      await first.getByText('Kumbusho: Ufunguzi').waitFor();
      // The badge clears on the inbox's toggle event, which the browser fires a task after the click.
      await first.locator('.badge').waitFor({ state: 'hidden', timeout: 5000 });
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
});

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
