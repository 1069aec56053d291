/**
 * Interactive API documentation at /api/docs/: swagger-ui (served from the installed
 * swagger-ui-dist package, nothing from elsewhere) reading /api/v1/openapi.json. "Authorize"
 * takes an admin or viewer token; "Try it out" then calls the real API.
 */
import express, { type Router } from 'express';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pageSecurityHeaders, publicDir, trailingSlash } from '../static-pages';

export const API_DOCS_PATH = '/api/docs';

/** The folder of swagger-ui-dist's files. */
function swaggerUiDir(): string {
  return path.dirname(createRequire(__filename).resolve('swagger-ui-dist/package.json'));
}

/** The router to mount at API_DOCS_PATH: our page and start script, then swagger-ui's files. */
export function createApiDocsRouter(page: string = publicDir('api-docs', __dirname)): Router {
  const router = express.Router({ strict: true });
  router.use(pageSecurityHeaders("'none'"));
  router.get('/', trailingSlash);
  router.use(express.static(page, { index: 'index.html', dotfiles: 'ignore', redirect: false, fallthrough: true }));
  router.use(express.static(swaggerUiDir(), { index: false, dotfiles: 'ignore', redirect: false, fallthrough: true }));
  return router;
}
