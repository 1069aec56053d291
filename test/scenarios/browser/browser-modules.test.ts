/**
 * The browser's shared modules (public/shared/, served at /assets/) against their server-side
 * twins: the AT handset protocol against scripts/lib/at-protocol.ts and the GSM-7 table against
 * src/kernel/text/gsm.ts, evaluated in real Chromium.
 */
import type { Browser } from 'playwright-core';
import { gsmSeptets } from '../../../src/kernel/text/gsm';
import { atDate, newMessageId, newSessionId, parseUssdAnswer, SANDBOX_NETWORK, SERVICE_CODE, ussdText } from '../../../scripts/lib/at-protocol';
import { browserAvailable, launchBrowser, newPage } from '../../support/browser';
import { createFakeGateway } from './fake-gateway';
import { simulatorDeps, startSimulator as start } from './simulator-page';

const describeBrowser = browserAvailable() ? describe : describe.skip;
const SESSION_ID = /^ATUid_[0-9a-f]{32}$/;

describeBrowser('shared browser modules', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('speaks the AT handset protocol exactly like scripts/lib/at-protocol.ts', async () => {
    const server = await start(createFakeGateway(), simulatorDeps());
    const { context, page } = await newPage(browser);
    try {
      await page.goto(`${server.url}/simulator/`);
      const answers = ['CON Karibu\n1. Ratiba', 'END', 'END Asante', 'CON', 'CON ', 'CONKaribu', 'con Karibu', ' END x', 'END  two', '', 'OK', 'END a\r\nb'];
      const codes = ['*384*2015#', '*384#', '*384*2015', '384#', '*38a#', '*#'];
      const inputs = [[], ['1'], ['1', 'Juma*Hamisi', '']];
      const vectors = JSON.stringify({ answers, codes, inputs });
      // A string, not a function: the test transpiler would rewrite import() into require().
      const inPage = await page.evaluate<{ parsed: unknown[]; codes: boolean[]; texts: string[]; date: string; ids: string[]; network: string }>(`import('../assets/at-protocol.js').then((at) => {
        const v = ${vectors};
        return {
          parsed: v.answers.map((body) => at.parseUssdAnswer(body)),
          codes: v.codes.map((code) => at.SERVICE_CODE.test(code)),
          texts: v.inputs.map((list) => at.ussdText(list)),
          date: at.atDate(new Date(2015, 7, 17, 8, 5, 9)),
          ids: [at.newSessionId(), at.newMessageId()],
          network: at.SANDBOX_NETWORK,
        };
      })`);
      expect(inPage.parsed).toEqual(answers.map((body) => {
        const screen = parseUssdAnswer(body);
        return screen ? { kind: screen.kind, text: screen.text } : null;
      }));
      expect(inPage.parsed.filter(Boolean)).toHaveLength(7);
      expect(inPage.codes).toEqual(codes.map((code) => SERVICE_CODE.test(code)));
      expect(inPage.texts).toEqual(inputs.map((list) => ussdText(list)));
      expect(inPage.date).toBe(atDate(new Date(2015, 7, 17, 8, 5, 9)));
      expect(inPage.date).toBe('2015-08-17 08:05:09');
      expect(inPage.network).toBe(SANDBOX_NETWORK);
      const [sessionId, messageId] = inPage.ids;
      expect(sessionId).toMatch(SESSION_ID);
      expect(newSessionId()).toMatch(SESSION_ID);
      expect(messageId).toMatch(/^ATXid_[0-9a-f]{32}$/);
      expect(newMessageId()).toMatch(/^ATXid_[0-9a-f]{32}$/);
    } finally {
      await context.close();
      await server.close();
    }
  });

  it('measures with exactly the GSM-7 table of src/kernel/text/gsm.ts', async () => {
    const server = await start(createFakeGateway(), simulatorDeps());
    const { context, page } = await newPage(browser);
    try {
      await page.goto(`${server.url}/simulator/`);
      // A string, not a function: the test transpiler would rewrite import() into require().
      // Every BMP character's cost, as "code:septets" for the ones in the alphabet.
      const inPage = await page.evaluate<string[]>(`import('../assets/gsm.js').then((gsm) => {
        const costs = [];
        for (let code = 0; code <= 0xffff; code += 1) {
          const septets = gsm.gsmSeptets(String.fromCharCode(code));
          if (septets > 0) costs.push(code + ':' + septets);
        }
        return costs;
      })`);
      const inNode: string[] = [];
      for (let code = 0; code <= 0xffff; code += 1) {
        const septets = gsmSeptets(String.fromCharCode(code));
        if (septets !== undefined) inNode.push(`${code}:${septets}`);
      }
      expect(inNode.length).toBeGreaterThan(120);
      expect(inPage).toEqual(inNode);
    } finally {
      await context.close();
      await server.close();
    }
  });
});
