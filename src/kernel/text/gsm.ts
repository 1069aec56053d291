/**
 * GSM 03.38 text measurement: which alphabet a text needs, how many units it costs and how many
 * SMS segments it takes. USSD screens use the same alphabet rules (one non-GSM character turns the
 * whole screen into UCS-2).
 */

// The GSM 7-bit default alphabet (one septet each).
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
// The extension table: each costs an escape plus the character (two septets).
const EXTENDED = '^{}\\[]~|€\f';

// Septets per UTF-16 code unit below U+0400 (0 = not in the alphabet); only the euro sign lies above.
const LOW = new Uint8Array(0x400);
for (const char of BASIC) LOW[char.charCodeAt(0)] = 1;
for (const char of EXTENDED) if (char.charCodeAt(0) < 0x400) LOW[char.charCodeAt(0)] = 2;
const EURO = '\u20AC';

export type Encoding = 'GSM-7' | 'UCS-2';

export interface TextMeasure {
  encoding: Encoding;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  /** Number of SMS segments (1 when it fits a single message). */
  segments: number;
  /** Capacity of one segment at this length: 160/70 for a single message, 153/67 when concatenated. */
  perSegment: number;
  /** Distinct characters that force UCS-2, in order of first appearance. */
  nonGsmCharacters: string[];
}

/** Septets one character costs in GSM-7, or undefined when it is not in the GSM alphabet. */
export function gsmSeptets(char: string): 1 | 2 | undefined {
  if (char.length === 1) {
    const code = char.charCodeAt(0);
    if (code < 0x400) {
      const septets = LOW[code];
      return septets === 1 || septets === 2 ? septets : undefined;
    }
  }
  return char === EURO ? 2 : undefined;
}

/** Characters of `text` outside GSM-7 (distinct, in order). Never throws. */
export function nonGsmCharacters(text: string): string[] {
  const seen = new Set<string>();
  for (const char of text) if (gsmSeptets(char) === undefined) seen.add(char);
  return [...seen];
}

export function isGsm7(text: string): boolean {
  for (const char of text) if (gsmSeptets(char) === undefined) return false;
  return true;
}

/** Cost of `text` in its own encoding's units (septets or UTF-16 code units). */
export function textUnits(text: string, encoding?: Encoding): number {
  if (encoding === 'UCS-2') return text.length;
  let septets = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const cost = code < 0x400 ? LOW[code] : code === 0x20ac ? 2 : 0;
    if (cost === 0 || cost === undefined) {
      if (encoding === 'GSM-7') septets += 1; // asked to count as GSM-7 anyway: one septet
      else return text.length; // one character outside the alphabet makes the whole text UCS-2
    } else septets += cost;
  }
  return septets;
}

/** Measures an SMS: encoding, units, segments (153/67 per part once concatenated). */
export function measureSms(text: string): TextMeasure {
  const nonGsm = nonGsmCharacters(text);
  const encoding: Encoding = nonGsm.length === 0 ? 'GSM-7' : 'UCS-2';
  const units = textUnits(text, encoding);
  const single = encoding === 'GSM-7' ? 160 : 70;
  const part = encoding === 'GSM-7' ? 153 : 67;
  const segments = units === 0 ? 1 : units <= single ? 1 : Math.ceil(units / part);
  return { encoding, units, segments, perSegment: segments === 1 ? single : part, nonGsmCharacters: nonGsm };
}

/**
 * Replaces common typographic characters pasted from editors with their GSM-7 equivalents
 * (curly quotes, dashes, ellipsis, non-breaking space). Everything else is left alone.
 */
export function toGsmFriendly(text: string): string {
  return text
    .replace(/[\u2018\u2019\u201A\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u2033]/g, '"')
    .replace(/[\u2013\u2014\u2212]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/[\u00A0\u2007\u202F]/g, ' ');
}
