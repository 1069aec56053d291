/**
 * The console's releases page on a whole gateway, as an organiser sees it: the live version from
 * FLOWS_DIR and who released it, a new version uploaded and staged to a phone, promoted and rolled
 * back, a broken version refused with its flows:check problems; in Kiswahili and English, and at
 * 360 px wide. Screenshots go to test-output/screenshots/console-releases-*.png.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { browserAvailable, launchBrowser, newPage, saveScreenshot, serveApp, watchPageProblems, type TestServer } from '../../support/browser';
import { startGatewayStack, type GatewayStack } from '../../support/gateway-stack';

const describeBrowser = browserAvailable() ? describe : describe.skip;
const ADMIN = 'admin-token-0123456789abcdef';

function packFiles(change: (name: string, text: string) => string): Array<{ name: string; mimeType: string; buffer: Buffer }> {
  const dir = path.resolve(__dirname, '../../../flows/egov2015');
  return readdirSync(dir).filter((n) => n.endsWith('.yaml')).map((name) => ({ name, mimeType: 'application/yaml', buffer: Buffer.from(change(name, readFileSync(path.join(dir, name), 'utf8'))) }));
}
const newTitle = (name: string, text: string): string => (name === 'messages.sw.yaml' ? text.replace('title: "Karibu {event.shortName}"', 'title: "Karibu tena {event.shortName}"') : text);
const broken = (name: string, text: string): string => (name === 'ussd.yaml' ? text.replace('next: reg_name', 'next: reg_nmae') : newTitle(name, text));

describeBrowser('console releases page', () => {
  let browser: Browser;
  let stack: GatewayStack;
  let server: TestServer;
  beforeAll(async () => {
    browser = await launchBrowser();
    stack = await startGatewayStack({ env: { ADMIN_TOKENS: `admin:${ADMIN}` }, workers: false });
    server = await serveApp(stack.gateway.app);
  }, 30000);
  afterAll(async () => {
    await server?.close();
    await stack?.close();
    await browser?.close();
  });

  async function openReleases(page: Page, problems: string[]): Promise<void> {
    watchPageProblems(page, problems);
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${server.url}/console/`);
    await page.getByLabel('Tokeni ya msimamizi').fill(ADMIN);
    await page.getByRole('button', { name: 'Ingia' }).click();
    await page.locator('#kpi-total').waitFor();
    await page.getByRole('link', { name: 'Matoleo' }).click();
    await page.locator('#release-live').waitFor();
  }

  it('stages, promotes and rolls back a version, and shows why a broken one is refused', async () => {
    const { context, page } = await newPage(browser);
    const problems: string[] = [];
    try {
      await openReleases(page, problems);
      await page.getByRole('heading', { name: 'Matoleo ya menyu ya USSD' }).waitFor();
      const original = (await page.locator('#release-live').textContent()) ?? '';
      expect(original).toMatch(/^[0-9a-f]{12}$/);
      expect(await page.locator(`#release-versions tr[data-version="${original}"]`).textContent()).toMatch(/Linatumika.*FLOWS_DIR \(operator\)/);

      await page.locator('#release-files').setInputFiles(packFiles(newTitle));
      await page.locator('#release-phones').fill('0713600001');
      await page.getByRole('button', { name: 'Kagua na uhifadhi' }).click();
      await page.locator('#release-staged code').waitFor();
      const next = (await page.locator('#release-staged code').textContent()) ?? '';
      expect(await page.locator('#release-staged').textContent()).toContain('kwa simu 1: +255713600001');
      expect(await page.locator(`#release-versions tr[data-version="${next}"]`).textContent()).toMatch(/Majaribio.*admin token 1 \(admin\).*Kupakiwa/);
      await saveScreenshot(page, 'console-releases-staged-sw');

      await page.getByRole('button', { name: 'Litumike kwa wote' }).click();
      await page.locator('#release-live', { hasText: next }).waitFor();
      await page.locator(`#release-versions tr[data-version="${original}"]`).getByRole('button', { name: 'Rudisha toleo hili' }).click();
      await page.locator('#release-live', { hasText: original }).waitFor();
      expect(await page.locator('#release-history li').first().textContent()).toMatch(/lilirudishwa \(admin token 1\)/);

      await page.locator('#release-files').setInputFiles(packFiles(broken));
      await page.locator('#release-phones').fill('');
      await page.getByRole('button', { name: 'Kagua na uhifadhi' }).click();
      const refusal = page.getByRole('alert');
      await refusal.waitFor();
      expect(await refusal.textContent()).toMatch(/Toleo halikupita flows:check[\s\S]*egov2015\/ussd\.yaml[\s\S]*reg_nmae/);
      await saveScreenshot(page, 'console-releases-refused-sw');

      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { name: 'USSD menu releases' }).waitFor();
      expect(await page.locator(`#release-versions tr[data-version="${original}"]`).textContent()).toMatch(/Live.*FLOWS_DIR \(at start\)/);
      await saveScreenshot(page, 'console-releases-en');
      expect(problems.filter((p) => !/status of 422/.test(p))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60000);

  it('fits a 360 px phone screen in both languages', async () => {
    const { context, page } = await newPage(browser, { phone: true });
    const problems: string[] = [];
    try {
      await openReleases(page, problems);
      const overflow = () => page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(await overflow()).toBeLessThanOrEqual(0);
      await saveScreenshot(page, 'console-releases-360-sw');
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { name: 'USSD menu releases' }).waitFor();
      expect(await overflow()).toBeLessThanOrEqual(0);
      await saveScreenshot(page, 'console-releases-360-en');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60000);
});
