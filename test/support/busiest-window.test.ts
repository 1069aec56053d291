/** The busiest-window count the pacing tests, the reliability invariants and the benches share. */
import { busiestWindow, type WindowStamp } from './busiest-window';

/** The same count by brute force: every window starting at a call, [t, t + windowMs). */
function bruteForce(stamps: readonly WindowStamp[], windowMs: number): number {
  return Math.max(0, ...stamps.map((s) => stamps.filter((o) => o.t >= s.t && o.t < s.t + windowMs).reduce((sum, o) => sum + o.n, 0)));
}

describe('busiestWindow', () => {
  it('is 0 with no calls', () => {
    expect(busiestWindow([])).toBe(0);
  });

  it('counts recipients, not calls, in any second starting at a call', () => {
    expect(busiestWindow([{ t: 0, n: 3 }, { t: 999, n: 2 }, { t: 1000, n: 4 }, { t: 2500, n: 1 }])).toBe(6);
  });

  it('never puts two calls exactly a window apart in one window', () => {
    expect(busiestWindow([{ t: 0, n: 5 }, { t: 1000, n: 5 }, { t: 2000, n: 5 }])).toBe(5);
    expect(busiestWindow([{ t: 0, n: 5 }, { t: 999, n: 5 }])).toBe(10);
    expect(busiestWindow([{ t: 0, n: 5 }, { t: 950, n: 5 }], 950)).toBe(5);
  });

  it('sums calls at the same instant', () => {
    expect(busiestWindow([{ t: 7, n: 1 }, { t: 7, n: 1 }, { t: 7, n: 1 }])).toBe(3);
  });

  it('reads unsorted calls as sorted ones, without reordering its input', () => {
    const unsorted = [{ t: 2500, n: 1 }, { t: 1000, n: 4 }, { t: 0, n: 3 }, { t: 999, n: 2 }];
    const copy = unsorted.map((s) => ({ ...s }));
    expect(busiestWindow(unsorted)).toBe(6);
    expect(unsorted).toEqual(copy);
  });

  it('agrees with counting every window by brute force', () => {
    let seed = 7;
    const random = (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
    for (let run = 0; run < 200; run++) {
      const stamps = Array.from({ length: Math.floor(random() * 40) }, () => ({ t: Math.floor(random() * 5000), n: 1 + Math.floor(random() * 100) }));
      for (const windowMs of [1, 500, 950, 1000]) expect(busiestWindow(stamps, windowMs)).toBe(bruteForce(stamps, windowMs));
    }
  });
});
