/**
 * The browser modules the console and the simulator share, served at `/assets/`: the static files
 * of `public/shared/` and `gsm-table.js`, an ES module rendered from the server's own GSM-7
 * alphabet so that no page carries a copy of it.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Router } from 'express';
import { gsmSeptets } from '../../kernel/text/gsm';
import { pageSecurityHeaders, publicDir } from '../static-pages';

/** The folder holding the shared modules (found from src/ and dist/src/ alike). */
export function sharedPublicDir(from: string = __dirname): string {
  return publicDir('shared', from);
}

/** The GSM-7 alphabet as the server counts it: characters costing one septet, then two. */
export function gsmAlphabet(): { basic: string; extended: string } {
  let basic = '';
  let extended = '';
  // Asking gsmSeptets itself, character by character, keeps this table equal to the server's by
  // construction. GSM-7 lies inside the Basic Multilingual Plane.
  for (let code = 0; code <= 0xffff; code += 1) {
    const char = String.fromCharCode(code);
    const septets = gsmSeptets(char);
    if (septets === 1) basic += char;
    else if (septets === 2) extended += char;
  }
  return { basic, extended };
}

let gsmTableModule: string | undefined;

/**
 * `gsm-table.js`: the alphabet as an ES module (`BASIC`, `EXTENDED`). Rendered once per process
 * (asking for all 65,536 characters takes a while; every app built in the process shares it).
 */
export function renderGsmTableModule(): string {
  if (gsmTableModule !== undefined) return gsmTableModule;
  const { basic, extended } = gsmAlphabet();
  gsmTableModule = [
    '// Rendered by the gateway from src/kernel/text/gsm.ts: the GSM 03.38 alphabet it counts with.',
    `export const BASIC = ${JSON.stringify(basic)};`,
    `export const EXTENDED = ${JSON.stringify(extended)};`,
    '',
  ].join('\n');
  return gsmTableModule;
}

/** Browser libraries the pages use, served from the installed packages (no CDN): URL folder -> package folder. */
export function vendorDirs(): Record<string, string> {
  const packageDir = (name: string): string => path.dirname(createRequire(__filename).resolve(`${name}/package.json`));
  return { uplot: path.join(packageDir('uplot'), 'dist'), mermaid: path.join(packageDir('mermaid'), 'dist') };
}

/** The router to mount at `/assets`: page security headers, the table module, the shared files, `vendor/<library>/`. */
export function createAssetsRouter(dir: string = sharedPublicDir()): Router {
  const router = express.Router({ strict: true });
  const gsmTable = renderGsmTableModule();
  router.use(pageSecurityHeaders("'none'"));
  router.get('/gsm-table.js', (_req, res) => {
    res.type('text/javascript; charset=utf-8').send(gsmTable);
  });
  router.use(express.static(dir, { index: false, dotfiles: 'ignore', redirect: false, fallthrough: true }));
  for (const [name, folder] of Object.entries(vendorDirs())) {
    router.use(`/vendor/${name}`, express.static(folder, { index: false, dotfiles: 'ignore', redirect: false, fallthrough: true, maxAge: '1d' }));
  }
  return router;
}
