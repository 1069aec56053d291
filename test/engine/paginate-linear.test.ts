/**
 * Pagination is linear in the text: a page never re-reads the whole remaining text. The same
 * screens as the paginator it replaced, for any input, and a bounded number of characters
 * measured for a text far longer than a page (a count of work, not a timing).
 */
import fc from 'fast-check';
import * as gsm from '../../src/kernel/text/gsm';
import { fitSingle, paginate } from '../../src/engine/paginate';
import * as reference from './support/paginate-quadratic';

jest.mock('../../src/kernel/text/gsm', () => {
  const actual = jest.requireActual('../../src/kernel/text/gsm');
  return { ...actual, textUnits: jest.fn(actual.textUnits), gsmSeptets: jest.fn(actual.gsmSeptets) };
});

const measured = (): number =>
  (gsm.textUnits as jest.Mock).mock.calls.reduce((sum: number, [text]: [string]) => sum + text.length, 0) +
  (gsm.gsmSeptets as jest.Mock).mock.calls.length;

beforeEach(() => {
  (gsm.textUnits as jest.Mock).mockClear();
  (gsm.gsmSeptets as jest.Mock).mockClear();
});

const word = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[a-zA-Z0-9.,:()]{0,12}$/) },
  { weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat(70), '€{}', 'é', 'Ω', '😀', 'ñ'.repeat(40), '\u20AC'.repeat(50)) },
);
const line = fc.array(word, { maxLength: 40 }).map((words) => words.join(' '));
const screen = fc.record({
  body: fc.array(fc.oneof(line, fc.array(line, { maxLength: 3 }).map((l) => l.join('\n'))), { maxLength: 4 }),
  options: fc.array(fc.oneof(line, fc.stringMatching(/^[1-9]\. [a-z ]{0,80}$/)), { maxLength: 12 }),
});
const settingsArb = fc.record({
  budget: fc.integer({ min: 20, max: 182 }),
  moreLine: fc.constantFrom('98. Zaidi', '98. More'),
  backLine: fc.constantFrom('0. Rudi', '0. Back', null),
});

describe('linear pagination', () => {
  test('gives the same pages as the previous paginator for any screen', () => {
    fc.assert(
      fc.property(screen, settingsArb, (input, settings) => {
        expect(paginate(input, settings)).toEqual(reference.paginate(structuredClone(input), settings));
      }),
      { numRuns: 3000 },
    );
  });

  test('fitSingle gives the same text as before', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 5 }), fc.integer({ min: 10, max: 182 }), (lines, budget) => {
        expect(fitSingle(lines.join('\n'), budget)).toEqual(reference.fitSingle(lines.join('\n'), budget));
      }),
      { numRuns: 1000 },
    );
  });

  test.each([
    ['words', 'neno '.repeat(24_000).trim()],
    ['one word', 'x'.repeat(120_000)],
    ['lines', 'mstari\n'.repeat(17_000)],
  ])('a 120,000-character title (%s) is measured a few times, not once per page', (_name, title) => {
    const settings = { budget: 160, moreLine: '98. Zaidi', backLine: '0. Rudi' };
    const pages = paginate({ body: [title], options: ['1. Nikumbushe'] }, settings);
    const work = measured();
    expect(pages.length).toBeGreaterThan(700);
    for (const page of pages) expect(gsm.textUnits(page)).toBeLessThanOrEqual(160);
    // Before: each page re-measured all that was left (tens of millions of characters here).
    expect(work).toBeLessThan(title.length * 12);
  });
});
