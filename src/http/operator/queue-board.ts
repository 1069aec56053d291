/**
 * The queue dashboard for operators (bull-board) at /operator/queues: every BullMQ queue of the
 * gateway, its waiting, delayed, failed and completed jobs, retry and clean. Admin tokens only:
 * sent as `Authorization: Bearer <token>`, or typed into the browser's sign-in prompt as the
 * password (any user name), so an operator can open it straight from the address bar.
 */
import { createBullBoard } from '@bull-board/api';
import type { BaseAdapter } from '@bull-board/api/baseAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type RequestHandler, type Router } from 'express';
import { AppError } from '../../kernel/errors';
import { createAuthenticator, type AdminToken, type AuthOptions } from '../admin/auth';

export const QUEUE_BOARD_PATH = '/operator/queues';

/** Reads a Basic password as the bearer token, then lets only admin tokens through. */
function adminOnly(tokens: readonly AdminToken[], options: AuthOptions | undefined): RequestHandler {
  const auth = createAuthenticator(tokens, options);
  return (req, res, next) => {
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.get('authorization') ?? '');
    if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      req.headers.authorization = `Bearer ${decoded.slice(decoded.indexOf(':') + 1)}`;
    }
    auth.authorise(req, 'write').then(() => next(), (error: unknown) => {
      if (error instanceof AppError && error.code === 'AUTH.UNAUTHENTICATED') res.setHeader('WWW-Authenticate', 'Basic realm="Kiungo queues (password: admin token)", charset="UTF-8"');
      next(error);
    });
  };
}

/** The router to mount at QUEUE_BOARD_PATH, showing `queues` (bull-board adapters). */
export function createQueueBoardRouter(queues: BaseAdapter[], tokens: readonly AdminToken[], options?: AuthOptions): Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues, serverAdapter: adapter, options: { uiConfig: { boardTitle: 'Kiungo queues' } } });
  const router = express.Router();
  router.use(adminOnly(tokens, options), (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  router.use(adapter.getRouter() as Router);
  return router;
}
