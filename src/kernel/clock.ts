/** Time, as the services see it; tests fix it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still at `iso` until moved (tests, transcripts). */
export function fixedClock(iso: string): Clock & { set(iso: string): void; advance(ms: number): void } {
  let current = new Date(iso).getTime();
  return {
    now: () => new Date(current),
    set: (next) => { current = new Date(next).getTime(); },
    advance: (ms) => { current += ms; },
  };
}
