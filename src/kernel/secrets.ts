/**
 * Comparing secrets (webhook keys, admin tokens) in constant time. Both sides are hashed first,
 * so neither the time taken nor `timingSafeEqual`'s equal-length rule says anything about how
 * long the expected secret is or how much of a guess was right.
 */
import { hash, timingSafeEqual } from 'node:crypto';

/** The SHA-256 of a secret, the form in which it is kept and compared. */
export function secretDigest(value: string): Buffer {
  // The one-shot hash (no Hash object): every webhook call is checked with it.
  return hash('sha256', value, 'buffer');
}

/**
 * A check of given values against one expected secret, hashed once. Anything but a string (a
 * missing or repeated query parameter) never matches.
 */
export function secretMatcher(expected: string): (given: unknown) => boolean {
  const digest = secretDigest(expected);
  return (given) => typeof given === 'string' && timingSafeEqual(secretDigest(given), digest);
}
