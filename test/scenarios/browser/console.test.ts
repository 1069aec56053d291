/**
 * The organiser console in real Chromium: sign in, read the dashboard, compose a broadcast in both
 * languages (live counters, preview, confirm) and watch it reach 100 %; also at 360 px wide.
 */
import type { Browser, Page } from 'playwright-core';
import { measureSms } from '../../../src/kernel/text/gsm';
import { createConsoleRouter } from '../../../src/http/console/console-router';
import { browserAvailable, launchBrowser, newPage, saveScreenshot, startTestServer, watchPageProblems, type TestServer } from '../../support/browser';
import { ADMIN, PACK, createAdminStack, sampleSummaries, type AdminStack } from '../../http/admin/support/admin-stack';
import { createFakeBroadcasts } from '../../http/admin/support/fake-broadcasts';

const describeBrowser = browserAvailable() ? describe : describe.skip;

async function seed(stack: AdminStack): Promise<void> {
  const people = [['0712000001', 'ministry', '1', '2015-08-01T08:00:00Z'], ['0712000002', 'agency', '1', '2015-08-01T09:00:00Z'], ['0712000003', 'council', '2', '2015-08-03T09:00:00Z'],
    ['0712000004', 'agency', '2', '2015-08-04T09:00:00Z'], ['0712000005', 'agency', '1', '2015-08-04T10:00:00Z']] as const;
  for (const [phone, type, cohort, at] of people) {
    await stack.delegates.register(PACK, { phone: `+255${phone.slice(1)}`, name: `Mjumbe ${phone.slice(-1)}`, institution: 'Taasisi', institutionType: type, cohort, language: 'sw', channel: 'ussd' }, new Date(at));
  }
}

/** Signs in on a one-pack gateway, noting every API call's query. */
async function signIn(page: Page, server: TestServer, problems: string[], apiCalls: URL[] = []): Promise<void> {
  watchPageProblems(page, problems);
  page.on('request', (request) => { if (new URL(request.url()).pathname.startsWith('/api/v1/')) apiCalls.push(new URL(request.url())); });
  await page.goto(`${server.url}/console`);
  await page.getByLabel('Tokeni ya msimamizi').fill(ADMIN);
  await page.getByRole('button', { name: 'Ingia' }).click();
  await page.locator('#kpi-total').waitFor();
}

describeBrowser('organiser console', () => {
  let browser: Browser;
  let stack: AdminStack;
  let server: TestServer;
  beforeAll(async () => {
    browser = await launchBrowser();
    stack = await createAdminStack({ packs: sampleSummaries().filter((p) => p.id === PACK) }, createFakeBroadcasts({ audienceAll: 12, recipientsPerSecond: 4 }));
    await seed(stack);
    server = await startTestServer([{ path: '/api/v1', router: stack.router }, { path: '/console', router: createConsoleRouter() }]);
  });
  afterAll(async () => {
    await server?.close();
    await stack?.close();
    await browser?.close();
  });

  it('refuses a wrong token with the API message in Kiswahili and keeps the sign-in form', async () => {
    const { context, page } = await newPage(browser);
    try {
      await page.goto(`${server.url}/console/`);
      await page.getByLabel('Tokeni ya msimamizi').fill('wrong-token-0123456789');
      await page.getByRole('button', { name: 'Ingia' }).click();
      await page.getByRole('alert').filter({ hasText: 'Tokeni si sahihi' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('signs in, shows the dashboard, sends a broadcast and follows it to 100 %', async () => {
    const { context, page } = await newPage(browser);
    const problems: string[] = [];
    const apiCalls: URL[] = [];
    try {
      await signIn(page, server, problems, apiCalls);
      await expect(page.locator('#kpi-total').textContent()).resolves.toBe('5');
      // One pack on this gateway: its name, no switcher, and no call names a pack.
      await expect(page.locator('#pack-select').count()).resolves.toBe(0);
      await expect(page.locator('#pack-name').textContent()).resolves.toContain('2015');
      await expect(page.locator('svg.bars').count()).resolves.toBeGreaterThanOrEqual(3);
      await saveScreenshot(page, 'console-dashboard');

      await page.getByRole('link', { name: 'Tuma ujumbe' }).click();
      await page.getByLabel('Ujumbe kwa Kiswahili').fill('Karibu {name} kwenye mkutano – AICC');
      await page.getByLabel('Ujumbe kwa Kiingereza').fill('Welcome {name} to the conference at AICC');
      await expect(page.locator('#count-sw').textContent()).resolves.toContain('UCS-2');
      await expect(page.locator('#count-sw').textContent()).resolves.toContain('"–"');
      await expect(page.locator('#count-en').textContent()).resolves.toMatch(new RegExp(`^${measureSms('Welcome {name} to the conference at AICC').units} herufi · GSM-7 · 1 SMS`));
      await page.locator('#recipients', { hasText: '12' }).waitFor();
      await saveScreenshot(page, 'console-compose');

      await page.getByRole('button', { name: 'Tuma', exact: true }).click();
      await page.getByRole('dialog').getByText('12').waitFor();
      await page.getByRole('button', { name: 'Ndiyo, tuma' }).click();
      await page.waitForURL(/#\/broadcast\/b1$/);
      await page.locator('[role=progressbar][aria-valuenow="100"]').waitFor({ timeout: 12_000 });
      await expect(page.locator('#bc-state').textContent()).resolves.toBe('Imekamilika');
      await saveScreenshot(page, 'console-broadcast-done');
      expect(stack.broadcasts.drafts[0]).toMatchObject({ audience: { all: true }, messages: { sw: expect.stringContaining('Karibu'), en: expect.stringContaining('Welcome') } });

      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('link', { name: 'Agenda' }).click();
      await page.getByRole('columnheader', { name: 'Title (English)' }).waitFor();
      await saveScreenshot(page, 'console-agenda-en');
      await page.getByRole('link', { name: 'Delegates' }).click();
      await page.getByRole('cell', { name: 'Mjumbe 3' }).waitFor();
      await saveScreenshot(page, 'console-delegates-en');
      expect(apiCalls.map((url) => url.pathname)).toEqual(expect.arrayContaining(['/api/v1/packs', '/api/v1/stats', '/api/v1/broadcasts/preview', '/api/v1/delegates']));
      expect(apiCalls.filter((url) => url.searchParams.has('pack'))).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 40_000);

  it('fits a 360 px phone screen', async () => {
    const { context, page } = await newPage(browser, { phone: true });
    const problems: string[] = [];
    try {
      await signIn(page, server, problems);
      const overflow = () => page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      await expect(overflow()).resolves.toBeLessThanOrEqual(0);
      await saveScreenshot(page, 'console-dashboard-360');
      await page.getByRole('link', { name: 'Tuma ujumbe' }).click();
      await page.getByLabel('Ujumbe kwa Kiswahili').fill('Habari {name}');
      await page.locator('#recipients').waitFor();
      await expect(overflow()).resolves.toBeLessThanOrEqual(0);
      await saveScreenshot(page, 'console-compose-360');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
