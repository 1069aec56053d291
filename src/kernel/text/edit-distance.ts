/**
 * Edit distance between two words: insertions, deletions, substitutions and swaps of two
 * neighbouring characters each cost one (optimal string alignment), since a swapped pair is the
 * commonest typing slip on a phone keypad ("RATBIA" for "RATIBA"). Used for the SMS keywords'
 * fuzzy match and for flows:check's "did you mean" suggestions.
 */

/**
 * The distance from `a` to `b`, case-sensitive (callers fold case first when it should not
 * count). With `max`, returns `max + 1` as soon as the distance is known to exceed it, so that a
 * bound check over many candidates stays cheap.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  // Three rows suffice: the previous two and the current one.
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowBest = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (before[j - 2] ?? 0) + 1);
      current.push(best);
      rowBest = Math.min(rowBest, best);
    }
    if (rowBest > max) return max + 1;
    before = previous;
    previous = current;
  }
  const distance = previous[b.length] ?? 0;
  return distance > max ? max + 1 : distance;
}
