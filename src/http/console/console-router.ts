/**
 * The organiser console: a static page under `public/console/` (plain HTML, CSS and scripts, no
 * framework) that signs in with an admin token and talks to /api/v1. Served with a strict CSP.
 */
import express, { type Router } from 'express';
import { pageSecurityHeaders, publicDir, trailingSlash } from '../static-pages';

const securityHeaders = pageSecurityHeaders("'self'");

/** The folder holding the page (found from src/ and dist/src/ alike). */
export function consolePublicDir(from: string = __dirname): string {
  return publicDir('console', from);
}

/** The router to mount at `/console`. It holds no data: the page calls the admin API itself. */
export function createConsoleRouter(publicDir: string = consolePublicDir()): Router {
  const router = express.Router({ strict: true });
  router.use(securityHeaders);
  router.get('/', trailingSlash);
  router.use(express.static(publicDir, { index: 'index.html', dotfiles: 'ignore', redirect: false, fallthrough: true }));
  return router;
}
