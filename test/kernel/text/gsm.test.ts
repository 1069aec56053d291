import fc from 'fast-check';
import { gsmSeptets, isGsm7, measureSms, nonGsmCharacters, textUnits, toGsmFriendly } from '../../../src/kernel/text/gsm';

describe('GSM 03.38 measurement', () => {
  it('counts basic characters as one septet and the extension table as two', () => {
    expect(textUnits('Habari za asubuhi')).toBe(17);
    expect(textUnits('{}[]~|^\\€')).toBe(18);
    expect(gsmSeptets('€')).toBe(2);
    expect(gsmSeptets('é')).toBe(1);
    expect(gsmSeptets('Δ')).toBe(1);
    expect(gsmSeptets('ç')).toBeUndefined(); // only the capital Ç is in the alphabet
  });

  it('turns the whole text UCS-2 for one character outside the alphabet', () => {
    const text = 'Karibu \u2019 sana';
    expect(isGsm7(text)).toBe(false);
    expect(nonGsmCharacters(text)).toEqual(['\u2019']);
    expect(textUnits(text)).toBe(text.length);
    expect(measureSms('x'.repeat(70) + '\u2019')).toMatchObject({ encoding: 'UCS-2', units: 71, segments: 2, perSegment: 67 });
    expect(measureSms('😀')).toMatchObject({ encoding: 'UCS-2', units: 2 });
  });

  it('splits at 160/153 septets and 70/67 units', () => {
    expect(measureSms('a'.repeat(160))).toMatchObject({ segments: 1, perSegment: 160 });
    expect(measureSms('a'.repeat(161))).toMatchObject({ segments: 2, perSegment: 153 });
    expect(measureSms('a'.repeat(306))).toMatchObject({ segments: 2 });
    expect(measureSms('a'.repeat(307))).toMatchObject({ segments: 3 });
    expect(measureSms('€'.repeat(80))).toMatchObject({ units: 160, segments: 1 });
  });

  it('replaces pasted typography with GSM-7 equivalents', () => {
    expect(toGsmFriendly('\u201cHabari\u201d \u2013 it\u2019s\u2026')).toBe('"Habari" - it\'s...');
    expect(isGsm7(toGsmFriendly('\u201cHabari\u201d \u2013 it\u2019s\u2026'))).toBe(true);
  });

  it('agrees with a character-by-character count for any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => {
      const chars = Array.from(text);
      const gsm = chars.every((c) => gsmSeptets(c) !== undefined);
      const expected = gsm ? chars.reduce((n, c) => n + (gsmSeptets(c) ?? 0), 0) : text.length;
      return textUnits(text) === expected && isGsm7(text) === gsm;
    }));
  });
});
