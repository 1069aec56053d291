/**
 * The organiser console: a static page under `public/console/` (plain HTML, CSS and scripts, no
 * framework) that signs in with an admin token and talks to /api/v1. Served with a strict CSP.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';

/** Nothing inline, nothing from elsewhere, no framing; downloads are blob: links. */
const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
      "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-cache');
  next();
};

/**
 * The folder holding the page. Walks up to the folder with package.json, so it is found from
 * `src/` (tsx) and from `dist/src/` (compiled) alike.
 */
export function consolePublicDir(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'public', 'console');
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}: cannot find public/console`);
    dir = parent;
  }
}

/** The router to mount at `/console`. It holds no data: the page calls the admin API itself. */
export function createConsoleRouter(publicDir: string = consolePublicDir()): Router {
  const router = express.Router({ strict: true });
  router.use(securityHeaders);
  // Relative asset URLs in the page only resolve under a trailing slash.
  router.get('/', (req, res, next) => {
    const [pathname = '', query] = req.originalUrl.split('?', 2);
    if (pathname.endsWith('/')) return next();
    res.redirect(301, `${pathname}/${query === undefined ? '' : `?${query}`}`);
  });
  router.use(express.static(publicDir, { index: 'index.html', dotfiles: 'ignore', redirect: false, fallthrough: true }));
  return router;
}
