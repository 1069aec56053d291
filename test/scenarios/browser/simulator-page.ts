/** The simulator page on a fake gateway, for the browser tests: its settings, server and phones. */
import type { Page } from 'playwright-core';
import { createSimulatorRouter, type InboxItem, type SimulatorDeps } from '../../../src/http/simulator/simulator-router';
import { startTestServer, watchPageProblems, type TestServer } from '../../support/browser';
import type { FakeGateway } from './fake-gateway';

/** The one message the default inbox holds, for +255712345678. */
export const reminder: InboxItem = { id: 'msg-1', to: '+255712345678', text: 'Kumbusho: Ufunguzi saa 09:00, Ukumbi Kilimanjaro.', at: '2015-08-17T05:30:00.000Z', state: 'sent' };

/** One service code, short code 15001, a 160-character budget, no key, the inbox above. */
export function simulatorDeps(overrides: Partial<SimulatorDeps> = {}): SimulatorDeps {
  return {
    serviceCodes: ['*384*2015#'],
    shortCode: '15001',
    maxScreenChars: 160,
    webhookKeyRequired: false,
    inbox: async (phone, since) => (phone === reminder.to && since === undefined ? [reminder] : []),
    ...overrides,
  };
}

/** The fake webhooks and the simulator on one test server. */
export async function startSimulator(gateway: FakeGateway, deps: SimulatorDeps): Promise<TestServer> {
  return startTestServer([...gateway.mounts, { path: '/simulator', router: createSimulatorRouter(deps) }]);
}

/** Opens the page and records any script error or CSP violation in `problems`. */
export async function openSimulator(page: Page, server: TestServer, problems: string[]): Promise<void> {
  watchPageProblems(page, problems);
  await page.goto(`${server.url}/simulator`);
  await page.waitForSelector('body[data-ready="true"]');
}

/** The simulated phone with this ordinal (1 is the first). */
export const phone = (page: Page, ordinal: number) => page.locator(`[data-phone="${ordinal}"]`);
