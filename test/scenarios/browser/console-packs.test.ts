/**
 * The console on a gateway with two packs: the switcher lists the packs the token may see,
 * every pack-scoped call names the chosen one as ?pack=, the other pack's agenda and figures
 * replace the first's, and a reload keeps the choice. With a single pack there is no switcher
 * and no parameter, only the pack's name.
 */
import type { Browser, Page } from 'playwright-core';
import { createConsoleRouter } from '../../../src/http/console/console-router';
import type { AgendaRepository } from '../../../src/event/agenda';
import type { EventData } from '../../../src/event/event-schema';
import { browserAvailable, launchBrowser, newPage, saveScreenshot, startTestServer, watchPageProblems, type TestServer } from '../../support/browser';
import { samplePacks } from '../../support/ussd-stack';
import { ADMIN, PACK, createAdminStack, type AdminStack } from '../../http/admin/support/admin-stack';
import { createFakePackApi, type FakePackApi, type PackSummary } from './fake-gateway';

const describeBrowser = browserAvailable() ? describe : describe.skip;

const PACK_2016 = 'egov2016';
const SUMMARY_2015: PackSummary = {
  id: PACK, name: { sw: 'Mkutano wa Serikali Mtandao 2015', en: 'e-Government Conference 2015' },
  serviceCodes: ['*384*2015#'], shortCodes: ['15001'], keyword: 'EGOV2015', sample: true,
};
// Not marked as sample data, so the header's sample badge must come and go with the pack.
const SUMMARY_2016: PackSummary = {
  id: PACK_2016, name: { sw: 'Mkutano wa Serikali Mtandao 2016', en: 'e-Government Conference 2016' },
  serviceCodes: ['*384*2016#'], shortCodes: ['15001'], keyword: 'EGOV2016', sample: false,
};

/** The 2015 sample with two sessions of its own, so the two agendas cannot be mistaken. */
function event2016(): EventData {
  const base = samplePacks()[0]!.event;
  const [first, second] = base.sessions;
  return {
    ...base,
    sessions: [
      { ...first!, code: 'N101', title: { sw: 'Akili bandia katika huduma za umma', en: 'Artificial intelligence in public services' } },
      { ...second!, code: 'N102', title: { sw: 'Usalama wa mifumo ya Serikali', en: 'Securing government systems' } },
    ],
  };
}

function memoryAgenda(packId: string, event: EventData): AgendaRepository {
  const events = new Map([[packId, event]]);
  return {
    get: async (id) => events.get(id) ?? event,
    put: async (id, next) => { events.set(id, next); },
    seed: async (id, next) => (events.has(id) ? false : (events.set(id, next), true)),
  };
}

async function register(stack: AdminStack, pack: string, phones: string[]): Promise<void> {
  for (const phone of phones) {
    await stack.delegates.register(pack, { phone, name: `Mjumbe ${phone.slice(-2)}`, institution: 'Taasisi', institutionType: 'agency', cohort: '1', language: 'sw', channel: 'ussd' }, new Date('2015-08-01T08:00:00Z'));
  }
}

async function signIn(page: Page, server: TestServer, problems: string[]): Promise<void> {
  watchPageProblems(page, problems);
  await page.goto(`${server.url}/console/`);
  await page.getByLabel('Tokeni ya msimamizi').fill(ADMIN);
  await page.getByRole('button', { name: 'Ingia' }).click();
  await page.locator('#kpi-total').waitFor();
}

describeBrowser('console pack switcher', () => {
  let browser: Browser;
  let first: AdminStack;
  let second: AdminStack;
  beforeAll(async () => {
    browser = await launchBrowser();
    first = await createAdminStack();
    second = await createAdminStack({ defaultPack: PACK_2016, agenda: memoryAgenda(PACK_2016, event2016()) });
    await register(first, PACK, ['+255712000001', '+255712000002', '+255712000003']);
    await register(second, PACK_2016, ['+255713000001']);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await browser?.close();
  });

  async function serve(packs: PackSummary[]): Promise<{ server: TestServer; api: FakePackApi }> {
    const routers: Record<string, AdminStack['router']> = { [PACK]: first.router, [PACK_2016]: second.router };
    const api = createFakePackApi(packs.map((summary) => ({ summary, router: routers[summary.id]! })), ADMIN);
    const server = await startTestServer([api.mount, { path: '/console', router: createConsoleRouter() }]);
    return { server, api };
  }

  it('switches packs, shows the other pack\'s agenda and figures, and keeps the choice on reload', async () => {
    const { server, api } = await serve([SUMMARY_2015, SUMMARY_2016]);
    const { context, page } = await newPage(browser);
    const problems: string[] = [];
    try {
      await signIn(page, server, problems);
      const select = page.getByLabel('Huduma');
      await expect(select.inputValue()).resolves.toBe(PACK);
      await expect(select.locator('option:checked').textContent()).resolves.toBe('Mkutano wa Serikali Mtandao 2015');
      await expect(page.locator('#pack-sample').textContent()).resolves.toBe('Taarifa za mfano');
      await expect(page.locator('#kpi-total').textContent()).resolves.toBe('3');
      await page.getByRole('link', { name: 'Ratiba' }).click();
      await page.getByRole('cell', { name: 'S101', exact: true }).waitFor();
      const beforeSwitch = api.packParams.length;
      expect(api.packParams.every((call) => call.pack === PACK)).toBe(true);

      await select.selectOption(PACK_2016);
      await page.getByRole('cell', { name: 'Akili bandia katika huduma za umma' }).waitFor();
      await expect(page.locator('#pack-sample').count()).resolves.toBe(0);
      await expect(page.locator('#pack').textContent()).resolves.toBe('HudumaMkutano wa Serikali Mtandao 2015Mkutano wa Serikali Mtandao 2016');
      await expect(page.getByRole('cell', { name: 'S101', exact: true }).count()).resolves.toBe(0);
      await saveScreenshot(page, 'console-packs-agenda-2016');
      await page.getByRole('link', { name: 'Dashibodi' }).click();
      await page.locator('#kpi-total', { hasText: /^1$/ }).waitFor();
      await page.getByRole('link', { name: 'Washiriki' }).click();
      await page.getByRole('cell', { name: '+255713000001', exact: true }).waitFor();
      await saveScreenshot(page, 'console-packs-delegates-2016');
      const afterSwitch = api.packParams.slice(beforeSwitch);
      expect(afterSwitch.map((call) => call.path)).toEqual(expect.arrayContaining(['/agenda', '/stats', '/delegates']));
      expect(afterSwitch.filter((call) => call.pack !== PACK_2016)).toEqual([]);

      await page.reload();
      await page.locator('body[data-ready="true"]').waitFor();
      await expect(page.getByLabel('Huduma').inputValue()).resolves.toBe(PACK_2016);
      await page.getByRole('cell', { name: '+255713000001', exact: true }).waitFor();
      await page.getByRole('link', { name: 'Ratiba' }).click();
      await page.getByRole('cell', { name: 'N102', exact: true }).waitFor();
      await expect(page.title()).resolves.toBe('Kiungo: Ratiba · Mkutano wa Serikali Mtandao 2016');
      expect(api.packParams.filter((call) => call.pack !== PACK_2016).length).toBe(beforeSwitch);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      await server.close();
    }
  }, 30_000);

  it('sends the chosen pack with test sends and exports, and fits a 360 px screen', async () => {
    const { server, api } = await serve([SUMMARY_2015, SUMMARY_2016]);
    const { context, page } = await newPage(browser, { phone: true });
    const problems: string[] = [];
    try {
      await signIn(page, server, problems);
      await page.getByLabel('Huduma').selectOption(PACK_2016);
      await page.locator('body[data-ready="true"]').waitFor();
      await page.getByRole('link', { name: 'Tuma ujumbe' }).click();
      await page.getByLabel('Ujumbe kwa Kiswahili').fill('Habari {name}');
      await page.locator('#recipients').waitFor();
      await page.getByLabel('Namba ya majaribio').fill('+255713000001');
      await page.getByRole('button', { name: 'Tuma jaribio' }).click();
      await page.getByText('Jaribio limetumwa.').waitFor();
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      await saveScreenshot(page, 'console-packs-compose-360');
      await page.getByRole('link', { name: 'Washiriki' }).click();
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Pakua CSV' }).click();
      await download;
      const calls = (path: string) => api.packParams.filter((call) => call.path === path);
      expect(calls('/broadcasts/test-send')).toEqual([{ path: '/broadcasts/test-send', pack: PACK_2016 }]);
      expect(calls('/broadcasts/preview').every((call) => call.pack === PACK_2016)).toBe(true);
      expect(calls('/delegates.csv')).toEqual([{ path: '/delegates.csv', pack: PACK_2016 }]);
      expect(second.broadcasts.testSends).toEqual([expect.objectContaining({ phone: '+255713000001' })]);
      expect(first.broadcasts.testSends).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      await server.close();
    }
  }, 30_000);

  it('names a single pack plainly, with no switcher and no pack parameter', async () => {
    const { server, api } = await serve([SUMMARY_2015]);
    const { context, page } = await newPage(browser);
    const problems: string[] = [];
    try {
      await signIn(page, server, problems);
      await expect(page.locator('#pack-name').textContent()).resolves.toBe('Mkutano wa Serikali Mtandao 2015');
      await expect(page.locator('#pack-select').count()).resolves.toBe(0);
      await page.getByRole('link', { name: 'Ratiba' }).click();
      await page.getByRole('cell', { name: 'S101', exact: true }).waitFor();
      await saveScreenshot(page, 'console-packs-single');
      expect(api.packParams.length).toBeGreaterThan(2);
      expect(api.packParams.filter((call) => call.pack !== undefined)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      await server.close();
    }
  });
});
