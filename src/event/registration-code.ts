/**
 * Registration codes: short, read aloud over a phone and typed on a keypad, so only characters
 * that cannot be confused (no 0/O, 1/I/L, 2/Z, 5/S, 8/B).
 */
import { randomInt } from 'node:crypto';

export const CODE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';

/** A new random code such as `K7MQ4`; uniqueness is checked by the store. */
export function newRegistrationCode(length = 5): string {
  let code = '';
  for (let i = 0; i < length; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}
