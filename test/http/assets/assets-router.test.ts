/**
 * The shared browser modules at /assets/: the GSM-7 table rendered from the server's alphabet,
 * the static files of public/shared/ under the pages' security headers, and every import of
 * the console and the simulator resolving to a module that exists.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../../src/http/app';
import { createMetrics } from '../../../src/kernel/metrics';
import { createLogger } from '../../../src/kernel/logger';
import { gsmAlphabet, renderGsmTableModule, sharedPublicDir, vendorDirs } from '../../../src/http/assets/assets-router';

// The app only probes Redis on /readyz, which these tests never call.
const app = createApp({ logger: createLogger('silent'), metrics: createMetrics({ defaultMetrics: false }), ready: () => Promise.resolve(true), trustProxy: false, mounts: [] });
const PUBLIC = path.resolve(__dirname, '../../../public');

/** `BASIC` and `EXTENDED` as the browser reads them from the module text. */
function tableOf(source: string): { basic: string; extended: string } {
  const read = (name: string) => JSON.parse(new RegExp(`export const ${name} = (".*");`).exec(source)?.[1] ?? 'null') as string;
  return { basic: read('BASIC'), extended: read('EXTENDED') };
}

describe('assets router', () => {
  it('serves the GSM-7 table as a module holding the 03.38 alphabet', async () => {
    const answer = await request(app).get('/assets/gsm-table.js').expect(200).expect('content-type', /text\/javascript; charset=utf-8/);
    expect(answer.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    const { basic, extended } = tableOf(answer.text);
    // 128 basic positions less the escape to the extension table; 10 extension characters.
    expect([...basic]).toHaveLength(127);
    expect([...extended].sort()).toEqual([...'^{}\\[]~|€\f'].sort());
    for (const char of '@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà\n\r azAZ09') expect(basic).toContain(char);
    for (const char of 'áçÁ’—😀') expect(basic + extended).not.toContain(char);
    expect(answer.text).toBe(renderGsmTableModule());
    expect(gsmAlphabet()).toEqual({ basic, extended });
  });

  it('serves public/shared and nothing around it', async () => {
    for (const name of ['at-protocol.js', 'dom.js', 'gsm.js']) {
      await request(app).get(`/assets/${name}`).expect(200).expect('content-type', /javascript/);
    }
    await request(app).get('/assets/').expect(404);
    await request(app).get('/assets/../package.json').expect(404);
    await request(app).get('/assets/%2e%2e/package.json').expect(404);
    expect(sharedPublicDir()).toBe(path.join(PUBLIC, 'shared'));
  });

  it('serves the charting and diagram libraries from the installed packages, nothing around them', async () => {
    await request(app).get('/assets/vendor/uplot/uPlot.esm.js').expect(200).expect('content-type', /javascript/);
    await request(app).get('/assets/vendor/uplot/uPlot.min.css').expect(200).expect('content-type', /css/);
    await request(app).get('/assets/vendor/mermaid/mermaid.esm.min.mjs').expect(200).expect('content-type', /javascript/);
    await request(app).get('/assets/vendor/uplot/../package.json').expect(404);
    await request(app).get('/assets/vendor/other/x.js').expect(404);
  });

  it('resolves every import of the console, the simulator and the shared modules', () => {
    // URL space -> folder: /console/ and /simulator/ hold their page, /assets/ holds public/shared.
    const folders: Record<string, string> = { console: 'console', simulator: 'simulator', assets: 'shared' };
    const served = new Set(['/assets/gsm-table.js']);
    const imports: string[] = [];
    for (const [urlFolder, folder] of Object.entries(folders)) {
      for (const file of readdirSync(path.join(PUBLIC, folder)).filter((name) => name.endsWith('.js'))) {
        const source = readFileSync(path.join(PUBLIC, folder, file), 'utf8');
        expect(source).not.toMatch(/window\.KC|^\(function \(\) \{/m);
        for (const [, target] of source.matchAll(/^(?:import|export) [^;]*? from '([^']+)';$/gm)) {
          const url = new URL(target!, `http://page/${urlFolder}/${file}`).pathname;
          imports.push(url);
          const [, top, ...rest] = url.split('/');
          // /assets/vendor/<library>/... is served from the installed package (no CDN).
          const vendor = /^\/assets\/vendor\/([^/]+)\/(.+)$/.exec(url);
          const onDisk = vendor ? path.join(vendorDirs()[vendor[1]!] ?? '(unserved)', vendor[2]!) : path.join(PUBLIC, folders[top!] ?? '(unserved)', ...rest);
          if (!served.has(url)) expect({ url, exists: existsSync(onDisk) }).toEqual({ url, exists: true });
        }
      }
    }
    expect(imports).toEqual(expect.arrayContaining(['/assets/at-protocol.js', '/assets/dom.js', '/assets/gsm.js', '/assets/gsm-table.js']));
  });
});
