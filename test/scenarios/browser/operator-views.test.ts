/**
 * The operators' views on the real gateway in Chromium: the queue dashboard (bull-board) behind
 * an admin token, refused to viewers and to callers without one, and the interactive API
 * documentation read from /api/v1/openapi.json, served without anything from elsewhere.
 */
import type { Browser } from 'playwright-core';
import { startGatewayStack, type GatewayStack } from '../../support/gateway-stack';
import { browserAvailable, launchBrowser, serveApp, type TestServer, saveScreenshot, watchPageProblems } from '../../support/browser';

const describeBrowser = browserAvailable() ? describe : describe.skip;
const ADMIN = 'operator-admin-token-0123456789';
const VIEWER = 'operator-viewer-token-0123456789';

describeBrowser('operator views', () => {
  let browser: Browser;
  let stack: GatewayStack;
  let served: TestServer | undefined;
  let url: string;
  beforeAll(async () => {
    stack = await startGatewayStack({ env: { ADMIN_TOKENS: `admin:${ADMIN},viewer:${VIEWER}` } });
    served = await serveApp(stack.gateway.listener, () => stack.close());
    url = served.url;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await (served ? served.close() : stack?.close());
  });

  it('keeps the queue dashboard for admin tokens', async () => {
    const none = await fetch(`${url}/operator/queues`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic /);
    const viewer = await fetch(`${url}/operator/queues`, { headers: { Authorization: `Bearer ${VIEWER}` } });
    expect(viewer.status).toBe(403);
    const wrong = await fetch(`${url}/operator/queues/api/queues`, { headers: { Authorization: `Basic ${Buffer.from('ops:not-the-token-000000').toString('base64')}` } });
    expect(wrong.status).toBe(401);
    const admin = await fetch(`${url}/operator/queues/api/queues`, { headers: { Authorization: `Bearer ${ADMIN}` } });
    expect(admin.status).toBe(200);
    const names = ((await admin.json()) as { queues: Array<{ name: string }> }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['broadcast-fanout', 'reminders', 'sms-bulk', 'sms-inbound', 'sms-priority']);
  });

  it.each([false, true])('opens the queue dashboard from the address bar with the token as password (phone %s)', async (phone) => {
    const context = await browser.newContext({ httpCredentials: { username: 'operator', password: ADMIN }, viewport: phone ? { width: 360, height: 760 } : { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(`${url}/operator/queues`);
      await page.getByText('broadcast-fanout').first().waitFor({ timeout: 10_000 });
      await page.getByText('Loading...').first().waitFor({ state: 'hidden', timeout: 10_000 });
      await saveScreenshot(page, `operator-queues${phone ? '-360' : ''}`);
    } finally {
      await context.close();
    }
  });

  it.each([false, true])('shows the API documentation from the OpenAPI document, served locally (phone %s)', async (phone) => {
    const context = await browser.newContext({ viewport: phone ? { width: 360, height: 760 } : { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    const elsewhere: string[] = [];
    watchPageProblems(page, problems);
    page.on('request', (request) => { if (!request.url().startsWith(url) && !request.url().startsWith('data:')) elsewhere.push(request.url()); });
    try {
      await page.goto(`${url}/api/docs/`);
      await page.locator('.swagger-ui .info .title', { hasText: 'Kiungo' }).waitFor({ timeout: 10_000 });
      await page.locator('.opblock-summary-path', { hasText: '/broadcasts/{id}/send-now' }).first().waitFor();
      await saveScreenshot(page, `operator-api-docs${phone ? '-360' : ''}`);
      expect(elsewhere).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
