/**
 * The whole event, end to end, in real Chromium against the real gateway (webhooks, flow pack,
 * Redis, BullMQ workers, outbox provider): a delegate registers in Kiswahili on the phone
 * simulator and gets the confirmation SMS, a second phone registers, the organiser sends a
 * bilingual broadcast to cohort 1 from the console and follows it to 100 %, and the broadcast
 * lands in the first phone's inbox.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { startGatewayStack, type GatewayStack } from '../../support/gateway-stack';
import { browserAvailable, launchBrowser, serveApp, type TestServer, newPage, saveScreenshot, watchPageProblems } from '../../support/browser';

const describeBrowser = browserAvailable() ? describe : describe.skip;

const TOKEN = 'e2e-admin-token-0123456789abcdef';
const SERVICE_CODE = '*384*2015#';
const FIRST_PHONE = '+255712345678';
const SECOND_PHONE = '+255754000002';
const MESSAGE_SW = 'Habari {name}, Kundi 1 linaanza kesho saa 2:00 asubuhi AICC Arusha.';
const MESSAGE_EN = 'Hello {name}, cohort 1 starts tomorrow at 08:00 at AICC Arusha.';

/** One USSD hop as Africa's Talking sends it: `text` is every answer so far joined by `*`. */
async function ussdHop(url: string, sessionId: string, phoneNumber: string, text: string): Promise<string> {
  const response = await fetch(`${url}/webhooks/africastalking/ussd`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ sessionId, serviceCode: SERVICE_CODE, phoneNumber, networkCode: '63902', text }).toString(),
  });
  expect(response.status).toBe(200);
  return response.text();
}

/** Types `answer` on a simulated phone, presses Tuma and waits for the next screen, which must contain `expected`. */
async function answer(phone: Locator, reply: string, expected: string | RegExp, kind: 'CON' | 'END' = 'CON'): Promise<string> {
  await phone.getByLabel('Msimbo au jibu').fill(reply);
  await phone.getByRole('button', { name: 'Tuma', exact: true }).click();
  return screenShows(phone, expected, kind);
}

async function screenShows(phone: Locator, expected: string | RegExp, kind: 'CON' | 'END'): Promise<string> {
  const screen = phone.locator(`.screen[data-kind="${kind}"]`).filter({ hasText: expected });
  try {
    await screen.waitFor({ timeout: 5000 });
  } catch {
    const shown = await phone.locator('.screen').getAttribute('data-kind');
    const text = await phone.locator('.screen pre').textContent();
    throw new Error(`expected a ${kind} screen with ${String(expected)}, the phone shows ${shown}: ${JSON.stringify(text)}`);
  }
  return (await screen.locator('pre').textContent()) ?? '';
}

/** Waits until the phone's inbox lists a message containing `text` (the page polls every 2 s). */
async function inboxShows(phone: Locator, text: string | RegExp, what: string): Promise<void> {
  try {
    await phone.locator('.messages .message .body').filter({ hasText: text }).first().waitFor({ state: 'attached', timeout: 10_000 });
  } catch {
    const bodies = await phone.locator('.messages .message .body').allTextContents();
    throw new Error(`${what} not in the inbox after 10 s; the inbox holds ${JSON.stringify(bodies)}`);
  }
}

/** Any script error or failed request is a problem, except the pack list a one-pack gateway may lack. */
function watchProblems(page: Page, problems: string[], label: string): void {
  const expected404 = ['/api/v1/packs'];
  watchPageProblems(page, problems, { label, expected404 });
  page.on('response', (response) => {
    if (response.status() === 404 && expected404.includes(new URL(response.url()).pathname)) return;
    if (response.status() >= 400) problems.push(`${label}: HTTP ${response.status()} ${response.request().method()} ${response.url()}`);
  });
}

describeBrowser('the event end to end: simulator and console on the real gateway', () => {
  let browser: Browser;
  let stack: GatewayStack;
  let url: string;
  let served: TestServer | undefined;
  beforeAll(async () => {
    stack = await startGatewayStack({
      now: '2015-08-16T07:00:00.000Z',
      env: { ADMIN_TOKENS: `admin:${TOKEN}`, QUIET_HOURS: 'off', SMS_RATE_PER_SECOND: '50' },
    });
    served = await serveApp(stack.gateway.listener, () => stack.close());
    url = served.url;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await (served ? served.close() : stack?.close());
  });

  it('registers on USSD, broadcasts to cohort 1 from the console and delivers to the phone', async () => {
    const problems: string[] = [];
    const sim = await newPage(browser);
    const con = await newPage(browser);
    try {
      // 1. A delegate registers in Kiswahili on the simulator.
      const simPage = sim.page;
      watchProblems(simPage, problems, 'simulator');
      await simPage.goto(`${url}/simulator/`);
      await simPage.waitForSelector('body[data-ready="true"]');
      const phone = simPage.locator('[data-phone="1"]');
      await expect(phone.getByLabel('Namba ya simu').inputValue()).resolves.toBe(FIRST_PHONE);
      await phone.getByRole('button', { name: 'Piga' }).click();
      await screenShows(phone, '1. Jisajili', 'CON');
      await saveScreenshot(simPage, 'e2e-1-simulator-home');
      await answer(phone, '1', 'andika jina lako kamili');
      await answer(phone, 'Asha Juma Mrisho', 'andika jina la taasisi yako');
      await answer(phone, 'Wizara ya Fedha', /Chagua aina ya taasisi yako:[\s\S]*1\. Wizara/);
      await answer(phone, '1', /Chagua kundi:[\s\S]*1\. Kundi 1/);
      await answer(phone, '1', /Tafadhali hakiki:\nAsha Juma Mrisho\nWizara ya Fedha\nWizara, Kundi 1[\s\S]*1\. Thibitisha/);
      const done = await answer(phone, '1', 'umesajiliwa', 'CON');
      const code = /Namba yako ya usajili: ([A-Z0-9-]+)\./.exec(done)?.[1];
      expect(code).toBeDefined();
      await expect(phone.locator('.screen').textContent()).resolves.toContain('1. Ratiba yangu');
      await saveScreenshot(simPage, 'e2e-2-simulator-registered');

      await inboxShows(phone, `Namba ya usajili: ${code}`, 'the registration SMS');
      await phone.locator('summary').click();
      await expect(phone.locator('.messages .message .body').first().textContent()).resolves.toMatch(/^Asante Asha Juma Mrisho, umesajiliwa/);
      await saveScreenshot(simPage, 'e2e-3-simulator-confirmation-sms');

      // A second delegate of cohort 1 registers straight through the USSD webhook.
      const second = 'e2e-second-phone';
      for (const [text, expected] of [['', 'Jisajili'], ['1', 'jina'], ['1*Juma Hamisi', 'taasisi'], ['1*Juma Hamisi*TAMISEMI', 'aina'], ['1*Juma Hamisi*TAMISEMI*9', 'kundi'],
        ['1*Juma Hamisi*TAMISEMI*9*1', 'Kundi 1'], ['1*Juma Hamisi*TAMISEMI*9*1*1', 'CON Asante Juma Hamisi, umesajiliwa']] as const) {
        await expect(ussdHop(url, second, SECOND_PHONE, text)).resolves.toContain(expected);
      }

      // 2. The organiser broadcasts to cohort 1 from the console.
      const page = con.page;
      watchProblems(page, problems, 'console');
      await page.goto(`${url}/console/`);
      await page.getByLabel('Tokeni ya msimamizi').fill(TOKEN);
      await page.getByRole('button', { name: 'Ingia' }).click();
      await page.locator('#kpi-total', { hasText: /^2$/ }).waitFor();
      await saveScreenshot(page, 'e2e-4-console-dashboard');

      await page.getByRole('link', { name: 'Tuma ujumbe' }).click();
      await page.getByRole('radio', { name: 'Makundi' }).check();
      await page.getByRole('checkbox', { name: 'Kundi 1' }).check();
      await page.getByLabel('Jina la tangazo').fill('Kundi 1: kesho');
      await page.getByLabel('Ujumbe kwa Kiswahili').fill(MESSAGE_SW);
      await page.getByLabel('Ujumbe kwa Kiingereza').fill(MESSAGE_EN);
      await expect(page.locator('#count-sw').textContent()).resolves.toContain('GSM-7 · 1 SMS');
      await page.locator('#recipients', { hasText: /^2$/ }).waitFor();
      await saveScreenshot(page, 'e2e-5-console-compose');

      await page.getByRole('button', { name: 'Tuma', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Ujumbe utatumwa kwa watu 2').waitFor();
      await saveScreenshot(page, 'e2e-6-console-confirm');
      await dialog.getByRole('button', { name: 'Ndiyo, tuma' }).click();
      await page.waitForURL(/#\/broadcast\/[^/]+$/);
      await page.locator('[role=progressbar][aria-valuenow="100"]').waitFor({ timeout: 15_000 });
      await page.locator('#bc-state', { hasText: 'Imekamilika' }).waitFor();
      await saveScreenshot(page, 'e2e-7-console-broadcast-done');
      const counts = Object.fromEntries(await Promise.all(['sent', 'delivered', 'failed', 'skipped', 'uncertain'].map(async (s) => [s, Number(await page.locator(`dd[data-state="${s}"]`).textContent())])));
      expect(counts.sent + counts.delivered).toBe(2);
      expect(counts.failed + counts.skipped + counts.uncertain).toBe(0);

      // 3. The broadcast reaches the first phone, in Kiswahili, with the name filled in.
      await simPage.bringToFront();
      await inboxShows(phone, 'Habari Asha Juma Mrisho, Kundi 1 linaanza kesho', 'the broadcast SMS');
      await saveScreenshot(simPage, 'e2e-8-simulator-broadcast-sms');
      const outbox = await fetch(`${url}/api/v1/outbox?phone=${encodeURIComponent(SECOND_PHONE)}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(outbox.status).toBe(200);
      expect(JSON.stringify(await outbox.json())).toContain('Habari Juma Hamisi, Kundi 1 linaanza kesho');
      expect(problems).toEqual([]);
    } finally {
      await sim.context.close();
      await con.context.close();
    }
  }, 40_000);
});
