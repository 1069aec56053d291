/**
 * The projector page: a read-only page under `public/projector/` that shows one session's approved
 * questions in large type, polling the admin API's projector feed with the session's read token
 * (carried in the link's #fragment, so it never reaches a server log). Served with a strict CSP.
 */
import express, { type Router } from 'express';
import { pageSecurityHeaders, publicDir, trailingSlash } from '../static-pages';

const securityHeaders = pageSecurityHeaders("'none'");

/** The folder holding the page (found from src/ and dist/src/ alike). */
export function projectorPublicDir(from: string = __dirname): string {
  return publicDir('projector', from);
}

/** The router to mount at `/projector`. It holds no data: the page calls the API itself. */
export function createProjectorRouter(dir: string = projectorPublicDir()): Router {
  const router = express.Router({ strict: true });
  router.use(securityHeaders);
  router.get('/', trailingSlash);
  router.use(express.static(dir, { index: 'index.html', dotfiles: 'ignore', redirect: false, fallthrough: true }));
  return router;
}
