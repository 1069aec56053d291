/**
 * Registration codes in a fixed sequence (EG-0427, EG-0428, ...) instead of random ones, so that
 * transcripts can pin the screens and SMS that show a code, as they pin the clock. A test file
 * swaps it in for the real generator with:
 *
 *   jest.mock('../../src/event/registration-code', () => jest.requireActual('../support/fixed-registration-codes'));
 *
 * The Redis store still allocates the code (its Lua script checks uniqueness); only the draw is fixed.
 */
import type * as RealCodes from '../../src/event/registration-code';

/** The real module's alphabet (read around the mock, which would otherwise be this file). */
export const CODE_ALPHABET = jest.requireActual<typeof RealCodes>('../../src/event/registration-code').CODE_ALPHABET;

let queued: string[] = [];
let next = 427;

/** The next code: one queued by `queueRegistrationCodes`, else the next of the sequence. */
export function newRegistrationCode(): string {
  const code = queued.shift();
  if (code !== undefined) return code;
  return `EG-${String(next++).padStart(4, '0')}`;
}

/** Restarts the sequence at EG-`first` and drops queued codes. */
export function resetRegistrationCodes(first = 427): void {
  queued = [];
  next = first;
}

/** The next registrations get exactly these codes (e.g. a delegate seeded with a known code). */
export function queueRegistrationCodes(...codes: string[]): void {
  queued.push(...codes);
}
