/**
 * Phone numbers: normalisation to E.164 and masking for logs.
 *
 * Uses libphonenumber-js with the `max` metadata, so mobile and fixed-line ranges are told apart.
 * For Tanzania that metadata (1.13.x) calls `+255 6[0-35-9]` and `+255 7x` mobile: every prefix
 * in 61–63, 65–69, 71, 73–79, plus 60, 70 and 72, which the older google-libphonenumber copy
 * bundled with the Africa's Talking SDK does not know. `+255 64…` is invalid in both.
 */
import { parsePhoneNumberFromString, validatePhoneNumberLength, type CountryCode } from 'libphonenumber-js/max';

export type PhoneRejection = 'empty' | 'invalid' | 'not_mobile' | 'too_long';
export type NormalisedPhone = { ok: true; e164: string } | { ok: false; reason: PhoneRejection };

// Longer input is junk, not a phone number; refusing early keeps the parser off huge strings.
const MAX_INPUT_LENGTH = 40;
const MOBILE_TYPES = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

/**
 * Normalises what a person typed (`0712 345 678`, `255712345678`, `+255 712-345-678`,
 * `00255…`) to E.164 (`+255712345678`). Accepts mobile numbers only (an SMS has to reach a
 * handset); numbers that may be either, such as North American ones, are accepted. Returns a
 * reason instead of throwing, for any input.
 */
/** libphonenumber-js's Tanzanian mobile pattern, `(?:6[0-35-9]|7\d)\d{7}`, in E.164; a test checks they agree. */
export const TZ_MOBILE_E164 = /^\+255(?:6[0-35-9]|7\d)\d{7}$/;

export function normalisePhone(input: string, defaultCountry = 'TZ'): NormalisedPhone {
  const trimmed = typeof input === 'string' ? input.trim() : '';
  if (trimmed === '') return { ok: false, reason: 'empty' };
  if (trimmed.length > MAX_INPUT_LENGTH) return { ok: false, reason: 'too_long' };
  // Fast path for what AT sends on every hop: an E.164 Tanzanian mobile (same ranges as the metadata).
  if (TZ_MOBILE_E164.test(trimmed)) return { ok: true, e164: trimmed };
  const country = defaultCountry as CountryCode;
  // "00" is the international prefix people carry over from other countries; TZ's own is 000/005/006.
  const candidates = /^00[1-9]/.test(trimmed) ? [trimmed, `+${trimmed.slice(2)}`] : [trimmed];
  let firstRejection: PhoneRejection | undefined;
  for (const candidate of candidates) {
    const outcome = normaliseOne(candidate, country);
    if (outcome.ok) return outcome;
    firstRejection ??= outcome.reason;
  }
  return { ok: false, reason: firstRejection ?? 'invalid' };
}

function normaliseOne(text: string, country: CountryCode): NormalisedPhone {
  let parsed;
  try {
    parsed = parsePhoneNumberFromString(text, { defaultCountry: country, extract: false });
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (!parsed || parsed.ext !== undefined) return { ok: false, reason: 'invalid' };
  if (!parsed.isValid()) {
    const length = safeLengthVerdict(text, country);
    return { ok: false, reason: length === 'TOO_LONG' ? 'too_long' : 'invalid' };
  }
  const type = parsed.getType();
  if (type === undefined || !MOBILE_TYPES.has(type)) return { ok: false, reason: 'not_mobile' };
  return { ok: true, e164: parsed.number };
}

function safeLengthVerdict(text: string, country: CountryCode): string | undefined {
  try {
    return validatePhoneNumberLength(text, country);
  } catch {
    return undefined;
  }
}

/**
 * Masks a number for logs: keeps the country code and the first digit of the national number,
 * X's the middle and shows the last three digits (`+255712345678` → `+2557XXXXX678`). Works for
 * any country; input that does not parse still comes back masked (all but the last three digits),
 * and nothing ever throws.
 */
export function maskPhone(input: string): string {
  const text = typeof input === 'string' ? input : '';
  const digits = text.replace(/\D/g, '');
  if (digits.length === 0) return text.length === 0 ? '' : 'X'.repeat(Math.min(text.length, 16));
  let parsed;
  try {
    parsed = text.trim().startsWith('+') ? parsePhoneNumberFromString(text.trim()) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed && parsed.nationalNumber.length > 4) {
    const national = String(parsed.nationalNumber);
    const middle = 'X'.repeat(national.length - 4);
    return `+${parsed.countryCallingCode}${national.slice(0, 1)}${middle}${national.slice(-3)}`;
  }
  if (digits.length <= 3) return 'X'.repeat(digits.length);
  return `${'X'.repeat(Math.min(digits.length - 3, 12))}${digits.slice(-3)}`;
}

/** The country calling code of an E.164 number (`255` for +255...), or `unknown`. Never throws. */
export function countryCallingCode(e164: string): string {
  return parsePhoneNumberFromString(e164)?.countryCallingCode ?? 'unknown';
}
