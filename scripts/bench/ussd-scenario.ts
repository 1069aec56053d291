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

/** A valid Tanzanian mobile number of the pool: +2557540xxxxx. */
export function poolPhone(index: number, poolSize: number): string {
  return `+2557540${String(index % poolSize).padStart(5, '0')}`;
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
