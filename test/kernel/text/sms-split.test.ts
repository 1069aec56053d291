import fc from 'fast-check';
import { fitSegments, splitOnWords } from '../../../src/kernel/text/sms-split';
import { measureSms } from '../../../src/kernel/text/gsm';

const isSingleSms = (part: string): boolean => measureSms(part).segments === 1;
const words = (text: string): string[] => text.split(/\s+/).filter((word) => word !== '');
const withoutCounter = (part: string): string => part.replace(/ \(\d+\/\d+\)$/, '');
const squash = (text: string): string => text.replace(/\s+/g, '');

const sentence = 'Karibu kwenye mkutano wa Serikali Mtandao 2015 katika ukumbi wa AICC Arusha.';

const wordArbitrary = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789.,-€[]'.split('')), minLength: 1, maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('é', 'ş', 'ü', 'ñ', '€', '😀', '’', 'x'), minLength: 1, maxLength: 6 }),
  fc.string({ unit: fc.constantFrom('a', 'b'), minLength: 150, maxLength: 400 }),
);
const textArbitrary = fc
  .array(fc.tuple(fc.constantFrom(' ', '  ', '\n', ' \n '), wordArbitrary), { maxLength: 120 })
  .map((pairs) => pairs.map(([space, word]) => space + word).join(''));

describe('splitOnWords', () => {
  it('keeps a short reply as one part without a counter', () => {
    expect(splitOnWords('  Habari yako?  ')).toEqual({ parts: ['Habari yako?'], truncated: false, counters: false });
  });

  it('gives no parts for blank text', () => {
    expect(splitOnWords('')).toEqual({ parts: [], truncated: false, counters: false });
    expect(splitOnWords(' \n\t ')).toEqual({ parts: [], truncated: false, counters: false });
  });

  it('keeps a text of exactly 160 GSM-7 characters in one part', () => {
    const text = 'a'.repeat(80) + ' ' + 'b'.repeat(79);
    expect(splitOnWords(text).parts).toEqual([text]);
  });

  it('breaks on words and numbers the parts at the end', () => {
    const text = Array.from({ length: 5 }, () => sentence).join(' ');
    const { parts, counters } = splitOnWords(text);
    expect(counters).toBe(true);
    expect(parts).toHaveLength(3);
    parts.forEach((part, index) => {
      expect(part.endsWith(` (${index + 1}/3)`)).toBe(true);
      expect(isSingleSms(part)).toBe(true);
    });
    expect(parts.map(withoutCounter).join(' ')).toBe(text);
  });

  it('leaves counters out when asked, or when they would cost an extra part', () => {
    const text = 'a'.repeat(160) + ' ' + 'b'.repeat(160);
    expect(splitOnWords(text)).toEqual({ parts: ['a'.repeat(160), 'b'.repeat(160)], truncated: false, counters: false });
    expect(splitOnWords(text, { counters: 'never' }).counters).toBe(false);
    const always = splitOnWords(text, { counters: 'always' });
    expect(always.counters).toBe(true);
    expect(always.parts.length).toBeGreaterThan(2);
  });

  it('measures each part on its own: an emoji makes only its own part UCS-2', () => {
    const gsmHalf = Array.from({ length: 3 }, () => sentence).join(' ');
    const { parts } = splitOnWords(`${gsmHalf} 😀 ${gsmHalf}`, { counters: 'never' });
    expect(measureSms(parts[0] ?? '').encoding).toBe('GSM-7');
    expect(parts.some((part) => measureSms(part).encoding === 'UCS-2')).toBe(true);
    parts.forEach((part) => expect(isSingleSms(part)).toBe(true));
  });

  it('hard-splits a word longer than a part, never inside a surrogate pair', () => {
    const { parts } = splitOnWords('😀'.repeat(50), { counters: 'never' });
    expect(parts).toEqual(['😀'.repeat(35), '😀'.repeat(15)]);
  });

  it('caps the number of parts and marks the cut with "..."', () => {
    const text = Array.from({ length: 10 }, () => sentence).join(' ');
    const capped = splitOnWords(text, { maxSegments: 2 });
    expect(capped.truncated).toBe(true);
    expect(capped.parts).toHaveLength(2);
    expect(capped.parts[1]).toMatch(/\.\.\. \(2\/2\)$/);
    capped.parts.forEach((part) => expect(isSingleSms(part)).toBe(true));
    const single = splitOnWords(text, { maxSegments: 1 });
    expect(single.parts).toHaveLength(1);
    expect(single.counters).toBe(false);
    expect(single.parts[0]?.endsWith('...')).toBe(true);
  });

  it('property: every part fits one SMS, none is empty, and they rejoin to the original text', () => {
    fc.assert(
      fc.property(textArbitrary, fc.constantFrom('auto', 'always', 'never' as const), (text, counters) => {
        const { parts, truncated } = splitOnWords(text, { counters });
        expect(truncated).toBe(false);
        for (const part of parts) {
          expect(part.trim()).not.toBe('');
          expect(isSingleSms(part)).toBe(true);
        }
        const bodies = parts.map(withoutCounter);
        expect(squash(bodies.join(''))).toBe(squash(text));
        // Words no longer than a part come back whole and in order.
        if (words(text).every((word) => isSingleSms(word + ' (99/99)'))) expect(words(bodies.join(' '))).toEqual(words(text));
      }),
      { numRuns: 300 },
    );
  });

  it('property: with a cap, at most maxSegments parts, each fitting', () => {
    fc.assert(
      fc.property(textArbitrary, fc.integer({ min: 1, max: 4 }), (text, maxSegments) => {
        const { parts } = splitOnWords(text, { maxSegments });
        expect(parts.length).toBeLessThanOrEqual(maxSegments);
        parts.forEach((part) => expect(isSingleSms(part)).toBe(true));
      }),
      { numRuns: 200 },
    );
  });
});

describe('fitSegments', () => {
  it('returns text that already fits unchanged', () => {
    expect(fitSegments(sentence, 1)).toEqual({ text: sentence, segments: 1, truncated: false });
  });

  it('cuts at a word boundary and ends with "..."', () => {
    const text = Array.from({ length: 10 }, () => sentence).join(' ');
    const fitted = fitSegments(text, 2);
    expect(fitted.truncated).toBe(true);
    expect(fitted.segments).toBe(2);
    expect(fitted.text.endsWith('...')).toBe(true);
    expect(text.startsWith(fitted.text.slice(0, -3))).toBe(true);
    expect(text.charAt(fitted.text.length - 3)).toBe(' ');
  });

  it('cuts one huge word by characters', () => {
    const fitted = fitSegments('x'.repeat(1000), 1);
    expect(fitted).toEqual({ text: 'x'.repeat(157) + '...', segments: 1, truncated: true });
  });

  it('property: never more segments than asked', () => {
    fc.assert(
      fc.property(textArbitrary, fc.integer({ min: 1, max: 5 }), (text, max) => {
        expect(measureSms(fitSegments(text, max).text).segments).toBeLessThanOrEqual(max);
      }),
      { numRuns: 200 },
    );
  });
});
