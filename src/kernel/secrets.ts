/**
 * Comparing secrets (webhook keys, admin tokens) in constant time: neither the time taken nor
 * the answer's path says anything about how long the expected secret is or how much of a guess
 * was right. Kept secrets (admin tokens) are SHA-256 digests; a secret known in full (a webhook
 * key from the config) is compared as text, over a fixed span, with no branch on its characters.
 */
import { hash } from 'node:crypto';

/** The SHA-256 of a secret, the form in which it is kept and compared. */
export function secretDigest(value: string): Buffer {
  // The one-shot hash (no Hash object).
  return hash('sha256', value, 'buffer');
}

/** The fewest UTF-16 units every comparison walks, so a short secret takes as long as one of this length. */
const MIN_SPAN = 128;

/**
 * A check of given values against one expected secret. Anything but a string (a missing or
 * repeated query parameter) never matches. Every guess is walked over the same span (the longer
 * of {@link MIN_SPAN} and the secret), unit by unit, differences OR-ed together: the time depends
 * on nothing of the secret but that span, fixed for the process. This is the webhook's check on
 * every hop, where hashing each guess cost more than the rest of the key check.
 */
export function secretMatcher(expected: string): (given: unknown) => boolean {
  const span = Math.max(MIN_SPAN, expected.length);
  const units = new Uint16Array(span);
  for (let i = 0; i < expected.length; i++) units[i] = expected.charCodeAt(i);
  const length = expected.length;
  return (given) => {
    if (typeof given !== 'string') return false;
    let diff = given.length ^ length;
    // Past a guess's end charCodeAt gives NaN, which `| 0` turns into 0 (the padding of `units`).
    for (let i = 0; i < span; i++) diff |= (given.charCodeAt(i) | 0) ^ (units[i] as number);
    return diff === 0;
  };
}
