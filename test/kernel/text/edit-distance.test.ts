/** One edit distance for fuzzy keywords and flows:check suggestions. */
import fc from 'fast-check';
import { editDistance } from '../../../src/kernel/text/edit-distance';

/** Textbook optimal-string-alignment distance, full table, no cap: the reference. */
function reference(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and neighbour swaps', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('confirm', 'confirm_name')).toBe(5);
    expect(editDistance('RATIBA', 'RATBIA')).toBe(1);
    expect(editDistance('SAJILI', 'SAJILI')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('Agenda', 'agenda')).toBe(1);
  });

  it('stops at max + 1 once the distance is known to exceed max', () => {
    expect(editDistance('ABC', 'XYZ', 1)).toBe(2);
    expect(editDistance('SAJILI', 'SAJILIII', 1)).toBe(2);
    expect(editDistance('RATIBA', 'RATBIA', 1)).toBe(1);
  });

  it('agrees with the full-table reference, with and without a cap', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 9 });
    fc.assert(fc.property(word, word, fc.nat(4), (a, b, max) => {
      const exact = reference(a, b);
      expect(editDistance(a, b)).toBe(exact);
      expect(editDistance(a, b, max)).toBe(exact > max ? max + 1 : exact);
    }));
  });
});
