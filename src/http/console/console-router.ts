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
  // The menu map's frame: the one page that may be framed (by the console) and style inline.
  router.use('/menu-graph', pageSecurityHeaders("'none'", true));
  router.use((req, res, next) => (req.path.startsWith('/menu-graph/') ? next() : securityHeaders(req, res, next)));
  router.get('/', trailingSlash);
  router.use(express.static(publicDir, { index: 'index.html', dotfiles: 'ignore', redirect: false, fallthrough: true }));
  return router;
}
