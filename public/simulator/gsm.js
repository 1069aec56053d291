// GSM 03.38 measurement for one USSD screen, the same rules as src/text/gsm.ts (a browser test
// compares the two tables character by character).

const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENDED = '^{}\\[]~|€\f';

const basicSet = new Set(Array.from(BASIC));
const extendedSet = new Set(Array.from(EXTENDED));

/** UCS-2 screens hold 70 characters whatever the GSM-7 budget is. */
export const UCS2_SCREEN_CHARS = 70;

/** Septets one character costs in GSM-7 (1 or 2), or 0 when it is not in the GSM alphabet. */
export function gsmSeptets(char) {
  if (basicSet.has(char)) return 1;
  if (extendedSet.has(char)) return 2;
  return 0;
}

/**
 * Measures a screen: { encoding: 'GSM-7' | 'UCS-2', units, budget, over }. Units are septets for
 * GSM-7 and UTF-16 code units for UCS-2.
 */
export function measureScreen(text, maxScreenChars) {
  let septets = 0;
  for (const char of text) {
    const cost = gsmSeptets(char);
    if (cost === 0) {
      return { encoding: 'UCS-2', units: text.length, budget: UCS2_SCREEN_CHARS, over: text.length > UCS2_SCREEN_CHARS };
    }
    septets += cost;
  }
  return { encoding: 'GSM-7', units: septets, budget: maxScreenChars, over: septets > maxScreenChars };
}
