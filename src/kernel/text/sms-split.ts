/**
 * Splitting long replies into separate single-segment SMS.
 *
 * Each part is sent as its own message (160 GSM-7 septets or 70 UCS-2 units, measured by
 * `measureSms`), so a part never relies on the handset re-assembling a concatenated SMS, and each
 * part is measured on its own: an emoji in part 2 does not make part 1 UCS-2.
 *
 * Decisions:
 * - Breaks fall on whitespace; the whitespace at a break is dropped, whitespace inside a part
 *   (newlines included) is kept. A word longer than a whole part is cut by characters, last resort.
 * - Packing is greedy, which gives the fewest parts because anything cut from a part that fits
 *   also fits.
 * - Counters: with more than one part, each part ends with ` (i/n)` when that costs no extra part
 *   (`counters: 'auto'`, the default); `'always'` adds them anyway, `'never'` leaves them out.
 *   They go at the end so the notification preview shows the text, not bookkeeping.
 * - `maxSegments` caps the number of parts; a reply cut short ends with `...` (GSM-7, unlike `…`).
 */
import { measureSms } from './gsm';

export type CounterMode = 'auto' | 'always' | 'never';

export interface SplitOptions {
  /** At most this many parts; the rest is cut and the last part ends with `...`. */
  maxSegments?: number;
  counters?: CounterMode;
}

export interface SmsSplit {
  /** The messages to send, in order. Never empty strings; `[]` for blank text. */
  parts: string[];
  truncated: boolean;
  counters: boolean;
}

export interface FittedText {
  text: string;
  /** Segments `text` takes as one (possibly concatenated) SMS. */
  segments: number;
  truncated: boolean;
}

const ELLIPSIS = '...';

interface Token {
  separator: string;
  word: string;
}

/** True when `text` is one single-segment SMS. */
function fitsOneSms(text: string): boolean {
  return measureSms(text).segments === 1;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /(\s*)(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    tokens.push({ separator: match[1] ?? '', word: match[2] ?? '' });
  }
  return tokens;
}

/** Greedy packing; `reserve` is text every part must still have room for (a counter). */
function pack(tokens: Token[], reserve: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (const { separator, word } of tokens) {
    const candidate = current === '' ? word : current + separator + word;
    if (fitsOneSms(candidate + reserve)) {
      current = candidate;
      continue;
    }
    if (current !== '') parts.push(current);
    if (fitsOneSms(word + reserve)) {
      current = word;
      continue;
    }
    const pieces = hardSplit(word, reserve);
    current = pieces.pop() ?? '';
    parts.push(...pieces);
  }
  if (current !== '') parts.push(current);
  return parts;
}

/** Cuts one over-long word by code points (never inside a surrogate pair). */
function hardSplit(word: string, reserve: string): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const char of word) {
    if (piece !== '' && !fitsOneSms(piece + char + reserve)) {
      pieces.push(piece);
      piece = '';
    }
    piece += char;
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}

function counterReserve(digits: number): string {
  const widest = '9'.repeat(digits);
  return ` (${widest}/${widest})`;
}

/** Packs with room for counters as wide as the resulting count needs. */
function packNumbered(tokens: Token[], fixedTotal?: number): { parts: string[]; digits: number } {
  for (let digits = fixedTotal === undefined ? 1 : String(fixedTotal).length; ; digits += 1) {
    const parts = pack(tokens, counterReserve(digits));
    if (fixedTotal !== undefined || String(parts.length).length <= digits) return { parts, digits };
  }
}

function label(parts: string[]): string[] {
  return parts.map((part, index) => `${part} (${index + 1}/${parts.length})`);
}

/** Shortens `part` at a word boundary (or by characters) until `part + '...' + reserve` fits. */
function cutWithEllipsis(part: string, reserve: string): string {
  let text = part;
  while (text !== '' && !fitsOneSms(text + ELLIPSIS + reserve)) {
    const lastSpace = text.search(/\s+\S*$/);
    text = lastSpace > 0 ? text.slice(0, lastSpace) : Array.from(text).slice(0, -1).join('');
  }
  return text + ELLIPSIS;
}

/**
 * Splits `text` into as few single-segment SMS as possible, breaking on words. Returns the parts
 * (counters already applied) and whether the text was cut to honour `maxSegments`. Never throws
 * for any string; blank text gives no parts.
 */
export function splitOnWords(text: string, opts: SplitOptions = {}): SmsSplit {
  const tokens = tokenize(text);
  if (tokens.length === 0) return { parts: [], truncated: false, counters: false };
  const mode = opts.counters ?? 'auto';
  const max = opts.maxSegments === undefined ? Infinity : Math.max(1, Math.floor(opts.maxSegments));

  // Without counters first: the baseline the counters must not make worse in 'auto'.
  const plain = pack(tokens, '');
  let useCounters = false;
  let parts = plain;
  if (plain.length > 1 && mode !== 'never' && max > 1) {
    const numbered = packNumbered(tokens).parts;
    if (mode === 'always' || numbered.length <= plain.length) {
      useCounters = true;
      parts = numbered;
    }
  }
  if (parts.length <= max) return { parts: useCounters ? label(parts) : parts, truncated: false, counters: useCounters };

  // Too long: re-pack with counters sized for the cap, keep `max` parts, mark the cut.
  const reserve = useCounters ? counterReserve(String(max).length) : '';
  const capped = (useCounters ? packNumbered(tokens, max).parts : parts).slice(0, max);
  const last = capped.pop() ?? '';
  capped.push(cutWithEllipsis(last, reserve));
  return { parts: useCounters ? label(capped) : capped, truncated: true, counters: useCounters };
}

/**
 * Fits `text` into at most `maxSegments` segments of one concatenated SMS (153/67 per part once
 * concatenated), cutting at a word boundary and ending with `...` when it had to cut. Meant for
 * digests that are sent as one message. Never throws.
 */
export function fitSegments(text: string, maxSegments: number): FittedText {
  const max = Math.max(1, Math.floor(maxSegments));
  const whole = measureSms(text);
  if (whole.segments <= max) return { text, segments: whole.segments, truncated: false };
  const fits = (candidate: string): boolean => measureSms(candidate).segments <= max;

  let kept = '';
  for (const { separator, word } of tokenize(text)) {
    const candidate = kept === '' ? word : kept + separator + word;
    if (!fits(candidate + ELLIPSIS)) break;
    kept = candidate;
  }
  if (kept === '') {
    // Even the first word is too long: cut it by characters.
    for (const char of text.trimStart()) {
      if (!fits(kept + char + ELLIPSIS)) break;
      kept += char;
    }
  }
  const cut = kept + ELLIPSIS;
  return { text: cut, segments: measureSms(cut).segments, truncated: true };
}
