/**
 * The console's system view in real Chromium: the worker layout, the worker child's state, pid,
 * restarts and last death (with the readiness reason when it is down or looping), and the SMS
 * throughput settings, from GET /api/v1/system.
 */
import type { Browser, Page } from 'playwright-core';
import { createConsoleRouter } from '../../../src/http/console/console-router';
import type { SystemStatus } from '../../../src/http/admin/admin-deps';
import { browserAvailable, launchBrowser, newPage, saveScreenshot, startTestServer, watchPageProblems, type TestServer } from '../../support/browser';
import { ADMIN, PACK, createAdminStack, sampleSummaries, type AdminStack } from '../../http/admin/support/admin-stack';

const describeBrowser = browserAvailable() ? describe : describe.skip;

const sms = { provider: 'africastalking', ratePerSecond: 500, maxInFlight: 128, bulkInFlight: 128, workerConcurrency: 4, batchSize: 100 };
const mixed: SystemStatus['storage'] = {
  layout: 2,
  workers: {
    running: [{ about: 'worker-a pid 311', layout: 2, expiresInS: 24 }, { about: 'worker-b pid 312', layout: 2, expiresInS: 21 }],
    waiting: [{ about: 'worker-c pid 420', layout: 3, expiresInS: 28 }],
  },
};
const looping: SystemStatus = {
  mode: 'all', workerLayout: 'process', sms, process: { pid: 4100, uptimeS: 3725, node: 'v20.19.0' }, storage: mixed,
  workers: {
    layout: 'process', state: 'restarting', restarts: 7, crashLoop: true, ok: false, nextStartAt: '2015-08-10T07:00:16.000Z',
    lastExit: { at: '2015-08-10T07:00:00.000Z', code: 1, signal: null, livedMs: 1200, reason: 'exit code 1' },
    reason: 'the queue worker process is restarting in a loop: it died 7 times in a row within 60 s of starting (last: exit code 1 after 1.2 s, at 2015-08-10T07:00:00.000Z)',
  },
};
const inline: SystemStatus = { mode: 'all', workerLayout: 'inline', workers: null, sms: { ...sms, maxInFlight: 0, bulkInFlight: 4 }, process: { pid: 4100, uptimeS: 5, node: 'v20.19.0' }, storage: { layout: 2, workers: { running: [], waiting: [] } } };

/** Signs in (Kiswahili first) and waits for the dashboard. */
async function signIn(page: Page, problems: string[]): Promise<void> {
  watchPageProblems(page, problems);
  await page.goto(`${server.url}/console`);
  await page.getByLabel('Tokeni ya msimamizi').fill(ADMIN);
  await page.getByRole('button', { name: 'Ingia' }).click();
  await page.locator('#kpi-total').waitFor();
}

let server: TestServer;

describeBrowser('console system view', () => {
  let browser: Browser;
  let stack: AdminStack;
  let status: SystemStatus = looping;
  beforeAll(async () => {
    browser = await launchBrowser();
    stack = await createAdminStack({ packs: sampleSummaries().filter((p) => p.id === PACK), system: () => Promise.resolve(status) });
    server = await startTestServer([{ path: '/api/v1', router: stack.router }, { path: '/console', router: createConsoleRouter() }]);
  });
  afterAll(async () => {
    await server?.close();
    await stack?.close();
    await browser?.close();
  });

  it('shows a worker child restarting in a loop with its reason, restarts and the SMS settings; inline says so', async () => {
    const { context, page } = await newPage(browser);
    const problems: string[] = [];
    try {
      await signIn(page, problems);
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('link', { name: 'System' }).click();
      await page.locator('#sys-state').waitFor();
      await expect(page.locator('#sys-state').textContent()).resolves.toBe('Restarting in a loop');
      await expect(page.locator('#sys-reason').textContent()).resolves.toContain('died 7 times in a row');
      await expect(page.locator('[data-fact="sys.restarts"]').textContent()).resolves.toBe('7');
      await expect(page.locator('[data-fact="sys.lastReason"]').textContent()).resolves.toContain('exit code 1');
      await expect(page.locator('[data-fact="sys.workerLayout"]').textContent()).resolves.toBe('process');
      await expect(page.locator('[data-fact="sys.maxInFlight"]').textContent()).resolves.toBe('128');
      await expect(page.locator('[data-fact="sys.rate"]').textContent()).resolves.toBe('500 /s');
      await expect(page.locator('[data-fact="sys.batch"]').textContent()).resolves.toBe('100');
      // The queue workers on this Redis: two of layout 2 running, one of layout 3 waiting for them.
      await expect(page.locator('[data-fact="sys.storage.layout"]').textContent()).resolves.toBe('2');
      await expect(page.locator('#sys-storage-waiting').textContent()).resolves.toBe('Waiting: 1 of layout 3, because queue workers of layout 2 still run. Stop those for the waiting ones to start (or wait 30 s after a worker died).');
      await expect(page.locator('#sys-storage-running li').allTextContents()).resolves.toEqual(['worker-a pid 311 · layout 2 · renewed within 24 s', 'worker-b pid 312 · layout 2 · renewed within 21 s']);
      await expect(page.locator('#sys-storage-waiting-list li.warn').textContent()).resolves.toBe('worker-c pid 420 · layout 3 · renewed within 28 s');
      await saveScreenshot(page, 'console-system');

      status = inline;
      await page.locator('#sys-refresh').click();
      await page.locator('#sys-workers', { hasText: 'WORKER_LAYOUT=inline' }).waitFor();
      await expect(page.locator('[data-fact="sys.maxInFlight"]').textContent()).resolves.toBe('0 → 4');
      await expect(page.locator('#sys-state').count()).resolves.toBe(0);
      await expect(page.locator('#sys-storage-none').textContent()).resolves.toBe('No queue worker runs on this Redis: no SMS goes out.');
      await expect(page.locator('#sys-storage-waiting').count()).resolves.toBe(0);
      await expect(page.locator('#sys-storage-mixed').count()).resolves.toBe(0);

      // Workers of two layouts both running (Redis lost the registry): a red line says to stop one.
      status = { ...inline, storage: { layout: 2, workers: { running: [{ about: 'worker-a pid 311', layout: 2, expiresInS: 20 }, { about: 'worker-d pid 530', layout: 3, expiresInS: 25 }], waiting: [] } } };
      await page.locator('#sys-refresh').click();
      await expect(page.locator('#sys-storage-mixed').textContent()).resolves.toBe('Queue workers of layouts 2, 3 run together (Redis lost their list): stop those of one layout now.');

      status = { ...inline, storage: { layout: 2, workers: null } };
      await page.locator('#sys-refresh').click();
      await page.locator('#sys-storage-unknown').waitFor();
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('fits a 360 px phone screen, in Kiswahili', async () => {
    const { context, page } = await newPage(browser, { phone: true });
    const problems: string[] = [];
    status = looping;
    try {
      await signIn(page, problems);
      await page.getByRole('link', { name: 'Mfumo' }).click();
      await page.locator('#sys-state', { hasText: 'Unaanguka mara kwa mara' }).waitFor();
      await expect(page.locator('#sys-storage-waiting').textContent()).resolves.toContain('Wanaosubiri: 1 wa muundo 3');
      await expect(page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).resolves.toBeLessThanOrEqual(0);
      await saveScreenshot(page, 'console-system-360');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
