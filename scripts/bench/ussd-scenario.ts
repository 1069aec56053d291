/**
 * The USSD register session the bench plays: dial, choose Register, type a name, type an
 * institution (4 hops), then a new session with a new session id and the next phone of the pool.
 * Bodies are form-encoded exactly as Africa's Talking posts them.
 */

export const SERVICE_CODE = '*384*2015#';
export const NETWORK_CODE = '63902';
export const HOPS = 4;

const NAMES = ['Asha Juma Mrisho', 'Baraka Peter Mushi', 'Neema John Kimaro', 'Juma Ali Hassan', 'Rehema Saidi Mwakyusa'];
const INSTITUTIONS = ['Wizara ya Fedha', 'Halmashauri ya Jiji la Arusha', 'TANESCO', 'Wakala ya Serikali Mtandao'];

/** Phones a pool can hold: +25575 and seven digits. */
export const MAX_PHONE_POOL = 10_000_000;

/**
 * A valid Tanzanian mobile number of the pool: +25575 and seven digits (a pool of up to
 * 10,000,000; a fixed width, so no index makes a number too long).
 */
export function poolPhone(index: number, poolSize: number): string {
  if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > MAX_PHONE_POOL) throw new RangeError(`a phone pool holds 1 to ${MAX_PHONE_POOL} numbers, not ${poolSize}`);
  return `+25575${String(index % poolSize).padStart(7, '0')}`;
}

/** The `text` field AT sends at `hop` (0-based) of session number `n`. */
export function hopText(hop: number, n: number): string {
  const name = NAMES[n % NAMES.length] ?? 'Asha Juma';
  const institution = INSTITUTIONS[n % INSTITUTIONS.length] ?? 'TANESCO';
  return ['', '1', `1*${name}`, `1*${name}*${institution}`][hop] ?? '';
}

export function hopBody(sessionId: string, phone: string, hop: number, n: number): string {
  return new URLSearchParams({ sessionId, serviceCode: SERVICE_CODE, phoneNumber: phone, networkCode: NETWORK_CODE, text: hopText(hop, n) }).toString();
}

/** What a correct answer of each hop starts with (a whole screen must start so). */
export type ExpectedScreens = readonly string[];

/** Baselines answer `CON ...` to every hop; only the protocol prefix is checked. */
export const ANY_CON: ExpectedScreens = Array.from({ length: HOPS }, () => 'CON ');

/** True when `body` is a well-formed USSD answer and the screen expected at this hop. */
export function isExpected(body: string, expectedStart: string | undefined): boolean {
  if (!body.startsWith('CON ') && !body.startsWith('END ')) return false;
  return body.startsWith(expectedStart ?? '');
}
