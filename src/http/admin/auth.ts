/**
 * Bearer-token authentication for the admin API: tokens from ADMIN_TOKENS compared in constant
 * time, read-only viewers, and a per-IP limit on failed attempts so tokens cannot be guessed.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../kernel/errors';
import { secretDigest as digest } from '../../kernel/secrets';
import type { Access, Role } from './route';

export interface AdminToken {
  role: Role;
  token: string;
  /** The packs this token may see; absent: every pack. */
  packs?: readonly string[];
}

/** Who is calling: the token's role and the packs it is limited to (undefined: every pack). */
export interface Caller {
  role: Role;
  packs: readonly string[] | undefined;
}

export interface AuthOptions {
  /** Failed attempts allowed per client IP within `failureWindowS` (default 10). */
  maxFailures?: number;
  /** Window of the failure count, in seconds (default 300). */
  failureWindowS?: number;
}

export const NO_TOKENS_MESSAGE =
  'The admin API is switched off: no ADMIN_TOKENS are configured. Set ADMIN_TOKENS=admin:<a random token of 16+ characters> ' +
  '(comma-separate more, e.g. viewer:<token> for read-only access) and restart the gateway.';

/**
 * Checks requests against the configured tokens. `authorise` resolves the caller's role or
 * throws a coded AppError (401, 403, 429); it never reveals which part of a token was wrong.
 */
export function createAuthenticator(tokens: readonly AdminToken[], options: AuthOptions = {}) {
  const known = tokens.map((entry) => ({ caller: { role: entry.role, packs: entry.packs } as Caller, hash: digest(entry.token) }));
  const points = options.maxFailures ?? 10;
  const failures = new RateLimiterMemory({ keyPrefix: 'admin-auth', points, duration: options.failureWindowS ?? 300 });

  const callerOf = (given: string): Caller | undefined => {
    const hash = digest(given);
    let caller: Caller | undefined;
    // Compare against every token, never stopping early, so timing says nothing about which matched.
    for (const entry of known) if (timingSafeEqual(hash, entry.hash) && caller === undefined) caller = entry.caller;
    return caller;
  };

  const tooMany = (retryMs: number): AppError => {
    const error = new AppError('RATE_LIMITED', 'Too many failed sign-in attempts from this address; wait and try again.', { retryAfterSeconds: Math.ceil(retryMs / 1000) });
    return error;
  };

  return {
    /** Resolves the caller (role and packs) for a route of `access`; throws AppError otherwise. */
    async authorise(req: Request, access: Access): Promise<Caller | undefined> {
      if (access === 'public') return undefined;
      if (known.length === 0) throw new AppError('AUTH.UNAUTHENTICATED', NO_TOKENS_MESSAGE);
      const ip = req.ip ?? 'unknown';
      const state = await failures.get(ip);
      if (state && state.consumedPoints >= points) throw tooMany(state.msBeforeNext);
      const header = req.get('authorization') ?? '';
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match?.[1]) throw new AppError('AUTH.UNAUTHENTICATED', 'Send the admin token as "Authorization: Bearer <token>".');
      const caller = callerOf(match[1]);
      if (!caller) {
        try {
          await failures.consume(ip);
        } catch (rejection) {
          if (rejection instanceof RateLimiterRes) throw tooMany(rejection.msBeforeNext);
          throw rejection;
        }
        throw new AppError('AUTH.UNAUTHENTICATED', 'The token is not valid.');
      }
      if (access === 'write' && caller.role !== 'admin') throw new AppError('AUTH.FORBIDDEN', 'This token is read-only (viewer); changes need an admin token.');
      return caller;
    },
  };
}
