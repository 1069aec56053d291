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

/**
 * Printable ASCII characters that every step below leaves as they are (in the GSM alphabet, no
 * control, nothing to normalise or replace): all of 0x20-0x7E but the backtick.
 */
const PLAIN = new Uint8Array(0x80);
for (let code = 0x20; code < 0x7f; code++) PLAIN[code] = gsmSeptets(String.fromCharCode(code)) === undefined ? 0 : 1;

/** True when each character of `text` is {@link PLAIN}: then the cleaning below keeps every one. */
function plain(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80 || PLAIN[code] !== 1) return false;
  }
  return true;
}

/** Maps `text` onto GSM-7, replacing what has no equivalent with `fallback`. Never throws. */
export function toGsm(text: string, fallback = '?'): string {
  if (plain(text)) return text;
  let out = '';
  for (const char of toGsmFriendly(text.normalize('NFC'))) out += toGsmChar(char, fallback);
  return out;
}

/**
 * Cleans one caller input: control and format characters become spaces, emoji and symbols
 * outside GSM-7 are dropped, runs of spaces collapse, ends are trimmed. Returns '' for junk.
 */
export function sanitizeInput(raw: string): string {
  // What callers type is almost always plain: only the spaces change.
  if (plain(raw)) return raw.replace(/\s+/g, ' ').trim();
  const noControls = raw.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ');
  return toGsm(noControls, '').replace(/\s+/g, ' ').trim();
}

/** Cleans text for display (organisers' data): single line, GSM-7, '?' for the unknown. */
export function sanitizeDisplay(text: string): string {
  if (plain(text)) return text.replace(/ {2,}/g, ' ').trim();
  return toGsm(text.replace(/[\p{Cc}\p{Cf}]/gu, ' '), '?').replace(/ {2,}/g, ' ').trim();
}
