/**
 * The check-in desk, the moderation queue with its projector page, and the feedback view in real
 * Chromium against the whole gateway: the desk at 360 px (search by a local phone number, one tap
 * to check in), a question approved and shown on the projector, ratings per session; both
 * languages; screenshots under test-output/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { listOutbox } from '../../../src/providers/outbox/outbox.redis';
import { smsBody } from '../../support/at-bodies';
import { browserAvailable, launchBrowser, newPage, saveScreenshot, serveApp, watchPageProblems, type TestServer } from '../../support/browser';
import { eventually, startGatewayStack, type GatewayStack } from '../../support/gateway-stack';

const describeBrowser = browserAvailable() ? describe : describe.skip;
const ADMIN = 'admin-token-console-engage-0123456789';
const NOW = '2015-08-20T07:00:00.000Z';

describeBrowser('console: check-in, questions and feedback', () => {
  let browser: Browser;
  let stack: GatewayStack;
  let server: TestServer;
  let n = 0;
  const text = async (from: string, body: string) => {
    const before = (await listOutbox(stack.gateway.redis, stack.gateway.keys, { phone: from, limit: 50 })).length;
    await request(stack.gateway.app).post('/webhooks/africastalking/sms').type('form').send(smsBody({ from, text: body, id: `ATXid_ce${(n += 1)}` }));
    await eventually(async () => ((await listOutbox(stack.gateway.redis, stack.gateway.keys, { phone: from, limit: 50 })).length > before ? true : undefined), 10000, 'a reply');
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    stack = await startGatewayStack({ now: NOW, env: { ADMIN_TOKENS: `admin:${ADMIN}`, DIGEST_TIME: 'off', SMS_PER_PHONE_HOURLY_CAP: '0' } });
    await stack.gateway.services.delegates.register('egov2015', { phone: '+255787654321', name: 'Bw. Juma Kibwana', institution: 'Ofisi ya Rais, Tawala za Mikoa na Serikali za Mitaa (TAMISEMI)', institutionType: 'central', cohort: '2', language: 'sw', channel: 'api' }, new Date(NOW));
    await text('+255713600001', 'SWALI S403 Je, mfumo wa malipo utaunganishwa na halmashauri zote lini?');
    await text('+255713600002', 'TATHMINI S101 5 Mpangilio mzuri');
    await text('+255713600003', 'RATE S101 4 Good start');
    server = await serveApp(stack.gateway.app);
  });
  afterAll(async () => {
    await server?.close();
    await stack?.close();
    await browser?.close();
  });

  async function signIn(page: Page, problems: string[]): Promise<void> {
    watchPageProblems(page, problems);
    await page.goto(`${server.url}/console/`);
    await page.getByLabel('Tokeni ya msimamizi').fill(ADMIN);
    await page.getByRole('button', { name: 'Ingia' }).click();
    await page.locator('#kpi-total').waitFor();
  }

  it('the desk at 360 px: finds a delegate by a local number and checks them in with one tap', async () => {
    const { context, page } = await newPage(browser, { phone: true });
    const problems: string[] = [];
    try {
      await signIn(page, problems);
      await page.goto(`${server.url}/console/#/checkin`);
      await page.getByLabel('Tafuta kwa namba ya usajili, simu au jina').fill('0787 654 321');
      await page.getByText('Bw. Juma Kibwana').waitFor();
      await page.getByRole('button', { name: 'Thibitisha kufika' }).click();
      await page.getByText(/^Amefika /).waitFor();
      await page.getByText(/Wamefika: 1 kati ya 1/).waitFor();
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect(width).toBeLessThanOrEqual(360);
      await saveScreenshot(page, 'console-checkin-360');
      expect((await request(stack.gateway.app).post('/api/v1/checkin').set('Authorization', `Bearer ${ADMIN}`).send({ phone: '0787654321' })).body.created).toBe(false);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('approves a question and the projector page shows it in large type', async () => {
    const { context, page } = await newPage(browser);
    const problems: string[] = [];
    try {
      await signIn(page, problems);
      await page.getByRole('button', { name: 'English' }).click();
      await page.goto(`${server.url}/console/#/questions/S403`);
      await page.getByText('Je, mfumo wa malipo utaunganishwa na halmashauri zote lini?').waitFor();
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.getByText(/^Approved · /).waitFor();
      await page.getByRole('button', { name: 'Projector link' }).click();
      const link = await page.getByRole('link', { name: 'Open the projector' }).getAttribute('href');
      await saveScreenshot(page, 'console-questions-en');
      const projector = await context.newPage();
      watchPageProblems(projector, problems, { label: 'projector' });
      await projector.goto(link ?? '');
      await projector.getByText('Je, mfumo wa malipo utaunganishwa na halmashauri zote lini?').waitFor();
      expect(await projector.locator('#title').textContent()).toMatch(/^S403: /);
      const size = await projector.evaluate<number>("parseFloat(getComputedStyle(document.querySelector('li')).fontSize)");
      expect(size).toBeGreaterThanOrEqual(36);
      await saveScreenshot(projector, 'projector-s403');
      // A link with a wrong token says so instead of showing anything.
      await projector.goto(`${server.url}/projector/#pack=egov2015&session=S403&token=wrong`);
      await projector.getByRole('alert').filter({ hasText: 'This link is not valid' }).waitFor();
      expect(problems.filter((p) => !/401/.test(p))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows ratings per session and the survey', async () => {
    const { context, page } = await newPage(browser);
    const problems: string[] = [];
    try {
      await signIn(page, problems);
      await page.goto(`${server.url}/console/#/feedback`);
      await page.getByText('Tathmini 2, wastani 4.5/5').waitFor();
      await page.getByText('5/5 · Mpangilio mzuri').waitFor();
      await page.getByText(/Walioanza: 0/).waitFor();
      await saveScreenshot(page, 'console-feedback-sw');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
