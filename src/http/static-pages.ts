/**
 * What the console and the simulator pages share: strict security headers (nothing inline,
 * nothing from elsewhere, no framing) and finding their folder under `public/` from src/ (tsx)
 * and from dist/src/ (compiled) alike.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';
import { AppError } from '../kernel/errors';

/**
 * Security headers for a page and its assets; `formAction` is 'self' or 'none'. `frame` is for a
 * page the console shows in a same-origin frame to draw a diagram: framed by 'self' only, with
 * inline styles allowed (the drawing library writes them); scripts stay 'self' everywhere.
 */
export function pageSecurityHeaders(formAction: "'self'" | "'none'", frame = false): RequestHandler {
  const policy =
    `default-src 'self'; script-src 'self'; style-src 'self'${frame ? " 'unsafe-inline'" : ''}; img-src 'self' data:; connect-src 'self'; ` +
    `object-src 'none'; base-uri 'none'; form-action ${formAction}; frame-ancestors ${frame ? "'self'" : "'none'"}`;
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', policy);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', frame ? 'SAMEORIGIN' : 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-cache');
    next();
  };
}

/** `public/<name>` of the project: walks up from `from` to the folder holding package.json. */
export function publicDir(name: string, from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'public', name);
    const parent = path.dirname(dir);
    if (parent === dir) throw new AppError('CONFIG.PUBLIC_MISSING', `No package.json above ${from}: cannot find public/${name}.`);
    dir = parent;
  }
}

/** Redirects `/console` to `/console/`: relative asset URLs in a page only resolve under a trailing slash. */
export const trailingSlash: RequestHandler = (req, res, next) => {
  const [pathname = '', query] = req.originalUrl.split('?', 2);
  if (pathname.endsWith('/')) {
    next();
    return;
  }
  res.redirect(301, `${pathname}/${query === undefined ? '' : `?${query}`}`);
};
