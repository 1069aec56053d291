/**
 * The simulator on a gateway with several services: the person picks the service code to dial,
 * the SMS box names the short code (and the keyword a shared one needs), and both choices
 * survive a reload and a change of language.
 */
import type { Browser } from 'playwright-core';
import type { SimulatorDeps } from '../../../src/http/simulator/simulator-router';
import { browserAvailable, launchBrowser, newPage, saveScreenshot } from '../../support/browser';
import { createFakeGateway } from './fake-gateway';
import { openSimulator, phone, simulatorDeps, startSimulator as start } from './simulator-page';

const describeBrowser = browserAvailable() ? describe : describe.skip;

describeBrowser('simulator services', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => { await browser?.close(); });

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
});
