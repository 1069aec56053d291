// GSM 03.38 measurement in the browser. The alphabet comes from the gateway itself
// (gsm-table.js is rendered from src/kernel/text/gsm.ts), so a page can never count a character
// differently from the server; the segment sizes below are the standard's.

import { BASIC, EXTENDED } from './gsm-table.js';

const basicSet = new Set(BASIC);
const extendedSet = new Set(EXTENDED);

/** UCS-2 screens hold 70 characters whatever the GSM-7 budget is. */
export const UCS2_SCREEN_CHARS = 70;

/** Septets one character costs in GSM-7 (1 or 2), or 0 when it is not in the GSM alphabet. */
export function gsmSeptets(char) {
  if (basicSet.has(char)) return 1;
  if (extendedSet.has(char)) return 2;
  return 0;
}

/**
 * Measures an SMS like the server's measureSms: { encoding, units, segments, perSegment,
 * nonGsmCharacters }. Units are septets for GSM-7 and UTF-16 code units for UCS-2.
 */
export function measureSms(text) {
  const nonGsm = [];
  let septets = 0;
  for (const char of text) {
    const cost = gsmSeptets(char);
    if (cost > 0) septets += cost;
    else if (!nonGsm.includes(char)) nonGsm.push(char);
  }
  const encoding = nonGsm.length === 0 ? 'GSM-7' : 'UCS-2';
  const units = encoding === 'GSM-7' ? septets : text.length;
  const single = encoding === 'GSM-7' ? 160 : 70;
  const part = encoding === 'GSM-7' ? 153 : 67;
  const segments = units <= single ? 1 : Math.ceil(units / part);
  return { encoding, units, segments, perSegment: segments === 1 ? single : part, nonGsmCharacters: nonGsm };
}

/**
 * Measures a USSD screen: { encoding: 'GSM-7' | 'UCS-2', units, budget, over }. One character
 * outside the alphabet makes the whole screen UCS-2, with its 70-character budget.
 */
export function measureScreen(text, maxScreenChars) {
  const { encoding, units } = measureSms(text);
  const budget = encoding === 'GSM-7' ? maxScreenChars : UCS2_SCREEN_CHARS;
  return { encoding, units, budget, over: units > budget };
}
