/**
 * Making text safe for a USSD screen. Decision: every screen is GSM-7. Text a caller types is
 * cleaned on the way in (control characters become spaces, letters with accents outside GSM-7 lose
 * the accent, anything else - emoji, symbols - is removed); text from organisers' data is cleaned on
 * the way out the same way, except that an unknown character shows as '?'. Nothing typed can add a
 * line or a "CON"/"END" prefix: the host writes the prefix before our text, so "CON END" just shows.
 */
import { gsmSeptets, toGsmFriendly } from '../kernel/text/gsm';

function toGsmChar(char: string, fallback: string): string {
  if (gsmSeptets(char) !== undefined) return char;
  const base = char.normalize('NFD').replace(/\p{M}/gu, '');
  if (base.length > 0 && Array.from(base).every((c) => gsmSeptets(c) !== undefined)) return base;
  return fallback;
}

/** Maps `text` onto GSM-7, replacing what has no equivalent with `fallback`. Never throws. */
export function toGsm(text: string, fallback = '?'): string {
  let out = '';
  for (const char of toGsmFriendly(text.normalize('NFC'))) out += toGsmChar(char, fallback);
  return out;
}

/**
 * Cleans one caller input: control and format characters become spaces, emoji and symbols
 * outside GSM-7 are dropped, runs of spaces collapse, ends are trimmed. Returns '' for junk.
 */
export function sanitizeInput(raw: string): string {
  const noControls = raw.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ');
  return toGsm(noControls, '').replace(/\s+/g, ' ').trim();
}

/** Cleans text for display (organisers' data): single line, GSM-7, '?' for the unknown. */
export function sanitizeDisplay(text: string): string {
  return toGsm(text.replace(/[\p{Cc}\p{Cf}]/gu, ' '), '?').replace(/ {2,}/g, ' ').trim();
}
