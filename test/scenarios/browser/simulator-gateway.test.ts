/**
 * The simulator page against the whole gateway (real USSD webhook, flow packs, Redis sessions):
 * what a person sees when they open /simulator on `npm start`.
 */
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { buildGateway, type Gateway } from '../../../src/compose/gateway';
import { loadConfig } from '../../../src/config/load';
import { createLogger } from '../../../src/kernel/logger';
import { browserAvailable, launchBrowser, newPage, saveScreenshot, serveApp, type TestServer } from '../../support/browser';
import { testRedisUrl, uniquePrefix } from '../../support/redis';

const describeBrowser = browserAvailable() ? describe : describe.skip;

describeBrowser('phone simulator on the full gateway', () => {
  let browser: Browser;
  let gateway: Gateway;
  let server: TestServer;
  beforeAll(async () => {
    const config = loadConfig({ REDIS_PREFIX: uniquePrefix('sim'), SMS_PROVIDER: 'outbox', LOG_LEVEL: 'silent', SPOOL_DIR: path.join(os.tmpdir(), 'kiungo-spool-simulator') });
    gateway = await buildGateway({ config, logger: createLogger('silent'), redisUrl: testRedisUrl(), defaultMetrics: false });
    server = await serveApp(gateway.app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await gateway?.close();
  });

  it('dials the real USSD webhook and shows its first screen within the budget', async () => {
    const { context, page } = await newPage(browser, { phone: true });
    try {
      await page.goto(`${server.url}/simulator`);
      await page.waitForSelector('body[data-ready="true"]');
      const phone = page.locator('[data-phone="1"]');
      await phone.getByRole('button', { name: 'Piga' }).click();
      await phone.locator('.screen[data-kind="CON"]').waitFor();
      const count = (await phone.locator('.count').textContent()) ?? '';
      const [units, budget] = count.split(' ')[0]?.split('/').map(Number) ?? [];
      expect(units).toBeGreaterThan(0);
      expect(units).toBeLessThanOrEqual(budget ?? 0);
      await phone.getByLabel('Msimbo au jibu').fill('1');
      await phone.getByRole('button', { name: 'Tuma', exact: true }).click();
      await phone.locator('.screen:is([data-kind="CON"], [data-kind="END"])').waitFor();
      await saveScreenshot(page, 'simulator-gateway-360');
      if ((await phone.locator('.screen').getAttribute('data-kind')) === 'CON') {
        await phone.getByRole('button', { name: 'Katisha' }).click();
        await phone.getByText('Umekatisha kipindi.').waitFor();
      }
    } finally {
      await context.close();
    }
  });

  it('texts a keyword to the real SMS webhook and shows the reply in the inbox', async () => {
    await gateway.startWorkers();
    const { context, page } = await newPage(browser);
    try {
      await page.goto(`${server.url}/simulator`);
      await page.waitForSelector('body[data-ready="true"]');
      const phone = page.locator('[data-phone="1"]');
      await phone.getByLabel('Tuma SMS kwa').fill('MSAADA');
      await phone.getByRole('button', { name: 'Tuma SMS' }).click();
      await phone.getByText('SMS imetumwa.').waitFor();
      await phone.locator('.badge:not([hidden])').waitFor({ timeout: 10000 });
      await phone.locator('summary').click();
      await expect(phone.locator('.message').count()).resolves.toBeGreaterThan(0);
      await saveScreenshot(page, 'simulator-gateway-inbox');
    } finally {
      await context.close();
    }
  });
});
