/**
 * Bearer-token authentication for the admin API: tokens from ADMIN_TOKENS compared in constant
 * time, read-only viewers, and a limit on failed attempts that slows guessing down without ever
 * refusing a token that matches (a shared address behind a proxy cannot lock organisers out).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../../kernel/errors';
import { TTL } from '../../infra/redis/keys';
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
  /** Which ADMIN_TOKENS entry it is ("admin token 1"): names the caller in records, never shows the token. */
  label: string;
  /** `tok-` and 8 hex characters of the token's SHA-256, for the audit trail: tells tokens apart, never shows one. */
  fingerprint?: string;
}

/** How many failures a key may collect, and for how long one is remembered. */
export interface FailureLimits {
  points: number;
  durationS: number;
}

/** Builds the counter of failed attempts for `limits`; in memory by default, in Redis when wired. */
export type FailureStore = (limits: FailureLimits) => RateLimiterAbstract;

export interface AuthOptions {
  /** Wrong tokens allowed per client address, and per guess fingerprint, within `failureWindowS` (default 10). */
  maxFailures?: number;
  /** Window of the failure count, in seconds (default `TTL.signInFailureWindowS`). */
  failureWindowS?: number;
  /** Where failures are counted; default: this process's memory (use the Redis store so processes share it). */
  store?: FailureStore;
}

export const NO_TOKENS_MESSAGE =
  'The admin API is switched off: no ADMIN_TOKENS are configured. Set ADMIN_TOKENS=admin:<a random token of 16+ characters> ' +
  '(comma-separate more, e.g. viewer:<token> for read-only access) and restart the gateway.';

/** The in-process failure counter: enough for one process and for tests. */
export const memoryFailureStore: FailureStore = ({ points, durationS }) => new RateLimiterMemory({ points, duration: durationS });

/**
 * The keys one wrong token counts against: the client address (as express reads it under
 * TRUST_PROXY) and a fingerprint of the guess's first characters, so guesses spread over many
 * addresses are slowed too. The fingerprint is keyed with `secret` (derived from the configured
 * tokens, the same in every process): a mistyped real token leaves nothing in Redis to brute-force.
 */
export function failureKeys(ip: string, guess: string, secret: Buffer): string[] {
  const fingerprint = createHmac('sha256', secret).update(guess.slice(0, 8)).digest('hex').slice(0, 16);
  return [`ip:${ip}`, `guess:${fingerprint}`];
}

/**
 * Checks requests against the configured tokens. `authorise` resolves the caller's role or
 * throws a coded AppError (401, 403, 429); it never reveals which part of a token was wrong.
 * A matching token is accepted before any limit is looked at; only wrong ones are counted.
 */
export function createAuthenticator(tokens: readonly AdminToken[], options: AuthOptions = {}) {
  const known = tokens.map((entry, i) => {
    const hash = digest(entry.token);
    return { caller: { role: entry.role, packs: entry.packs, label: `${entry.role} token ${i + 1}`, fingerprint: `tok-${hash.toString('hex').slice(0, 8)}` } as Caller, hash };
  });
  const fingerprintKey = Buffer.concat(known.map((entry) => entry.hash));
  const failures = (options.store ?? memoryFailureStore)({ points: options.maxFailures ?? 10, durationS: options.failureWindowS ?? TTL.signInFailureWindowS });

  const callerOf = (given: string): Caller | undefined => {
    const hash = digest(given);
    let caller: Caller | undefined;
    // Compare against every token, never stopping early, so timing says nothing about which matched.
    for (const entry of known) if (timingSafeEqual(hash, entry.hash) && caller === undefined) caller = entry.caller;
    return caller;
  };

  /** Counts one failure under each key; resolves the wait (ms) when any key is over the limit, else 0. */
  const countFailure = async (keys: readonly string[]): Promise<number> => {
    const waits = await Promise.all(keys.map((key) => failures.consume(key).then(
      () => 0,
      (rejection: unknown) => {
        if (rejection instanceof RateLimiterRes) return Math.max(1, rejection.msBeforeNext);
        throw rejection;
      },
    )));
    return Math.max(0, ...waits);
  };

  return {
    /** Resolves the caller (role and packs) for a route of `access`; throws AppError otherwise. */
    async authorise(req: Request, access: Access): Promise<Caller | undefined> {
      if (access === 'public') return undefined;
      if (known.length === 0) throw new AppError('AUTH.UNAUTHENTICATED', NO_TOKENS_MESSAGE);
      const header = req.get('authorization') ?? '';
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match?.[1]) throw new AppError('AUTH.UNAUTHENTICATED', 'Send the admin token as "Authorization: Bearer <token>".');
      const caller = callerOf(match[1]);
      if (!caller) {
        const waitMs = await countFailure(failureKeys(req.ip ?? 'unknown', match[1], fingerprintKey));
        if (waitMs > 0) {
          throw new AppError('RATE_LIMITED', 'Too many failed sign-in attempts; wait and try again.', { retryAfterSeconds: Math.ceil(waitMs / 1000) });
        }
        throw new AppError('AUTH.UNAUTHENTICATED', 'The token is not valid.');
      }
      if (access === 'write' && caller.role !== 'admin') throw new AppError('AUTH.FORBIDDEN', 'This token is read-only (viewer); changes need an admin token.');
      return caller;
    },
  };
}
