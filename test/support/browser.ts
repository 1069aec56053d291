/**
 * Browser tests: Debian's chromium driven by playwright-core (no downloaded browsers), one fresh
 * context per test, screenshots under test-output/screenshots/, and a real app on port 0.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type RequestListener } from 'node:http';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createApp, type Mount } from '../../src/http/app';
import { createMetrics } from '../../src/kernel/metrics';
import { createLogger } from '../../src/kernel/logger';
import { redisReachable } from '../../src/infra/redis/client';
import { closeRedis, connectTestRedis } from './redis';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve(__dirname, '../../test-output/screenshots');

/**
 * True when browser tests should run: a chromium binary exists and KIUNGO_SKIP_BROWSER is not 1.
 * Under CI (CI=true) a missing chromium is an error, not a skip: .ci/run installs it.
 */
export function browserAvailable(): boolean {
  if (process.env.KIUNGO_SKIP_BROWSER === '1') return false;
  const present = existsSync(CHROMIUM_PATH);
  if (!present && process.env.CI === 'true') throw new Error(`CI=true but ${CHROMIUM_PATH} is missing: install Debian's chromium (.ci/run does)`);
  return present;
}

/** Launches headless chromium with everything that could reach the network turned off. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
  });
}

/** A fresh context (own storage, own cookies) and page; a 360 px wide phone when `phone` is set. */
export async function newPage(browser: Browser, options: { phone?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(
    options.phone
      ? { viewport: { width: 360, height: 760 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
      : { viewport: { width: 1280, height: 900 } },
  );
  context.setDefaultTimeout(5000);
  return { context, page: await context.newPage() };
}

/** Saves a full-page screenshot as test-output/screenshots/<name>.png and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The real HTTP app (middleware, error handler) with the given mounts, listening on 127.0.0.1 on
 * a free port. Pass the full gateway's mounts to test the page against the real webhooks.
 */
export async function startTestServer(mounts: Mount[]): Promise<TestServer> {
  const redis = await connectTestRedis('browser-test');
  const app = createApp({ logger: createLogger('silent'), metrics: createMetrics({ defaultMetrics: false }), ready: () => redisReachable(redis), trustProxy: false, mounts });
  return serveApp(app, () => closeRedis(redis));
}

/**
 * Listens with any request listener (an express app, or a whole gateway's listener with its USSD
 * fast path) on 127.0.0.1:0; `close` ends open connections, stops listening, then runs `onClose`.
 */
export async function serveApp(listener: RequestListener, onClose: () => Promise<void> = async () => {}): Promise<TestServer> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await onClose();
    },
  };
}

/**
 * Collects the page's script errors, console errors and CSP violations into `problems`. A 404
 * from a path in `expected404` (an endpoint the gateway under test may lack, e.g. the pack list)
 * is left out: the page is built to do without it.
 */
export function watchPageProblems(page: Page, problems: string[], options: { expected404?: string[]; label?: string } = {}): void {
  const prefix = options.label ? `${options.label}: ` : '';
  const expected = (url: string) => url !== '' && (options.expected404 ?? []).includes(new URL(url).pathname);
  page.on('pageerror', (error) => problems.push(`${prefix}${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Chromium reports a failed fetch as a console error located at the resource's URL.
    const url = message.location().url;
    if (/status of 404/.test(message.text()) && expected(url)) return;
    problems.push(`${prefix}${message.text()} ${url}`.trim());
  });
}
