/**
 * The busiest window of stamped provider calls, for the pacing tests, the reliability invariants
 * and the benches alike: the most recipients handed to the provider within any half-open window
 * `[start, start + windowMs)`. Two calls exactly `windowMs` apart never share a window; calls may
 * come in any order.
 */

/** One provider call: when it arrived (ms) and how many recipients it carried. */
export interface WindowStamp {
  t: number;
  n: number;
}

export function busiestWindow(stamps: readonly WindowStamp[], windowMs = 1000): number {
  const sorted = [...stamps].sort((a, b) => a.t - b.t);
  let best = 0;
  let sum = 0;
  let tail = 0;
  // Each call ends a window: drop the calls at least `windowMs` before it, keep the largest sum.
  for (const stamp of sorted) {
    sum += stamp.n;
    while (tail < sorted.length && sorted[tail]!.t <= stamp.t - windowMs) sum -= sorted[tail++]!.n;
    best = Math.max(best, sum);
  }
  return best;
}
