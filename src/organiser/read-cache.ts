/**
 * Heavy organiser reads (the dashboard figures, the full delegate list behind a search) computed at
 * most once per key per `ttlMs`, however often they are asked for: callers within the window share
 * the answer, and callers while it is being computed share that one computation. Keeps a hammered
 * dashboard from taking the event loop away from USSD hops.
 */

/** Milliseconds on a monotonic timer: the cache measures its own age, not the event's clock. */
export type Monotonic = () => number;
const monotonic: Monotonic = () => performance.now();

export interface ReadCache<T> {
  /** The cached value of `key`, or the one `load` gives (shared by every caller meanwhile). */
  get(key: string, load: () => Promise<T>): Promise<T>;
  /** Forgets `key` (after a change this process made), so the next read loads afresh. */
  forget(key: string): void;
}

export function createReadCache<T>(ttlMs: number, timer: Monotonic = monotonic): ReadCache<T> {
  const entries = new Map<string, { value: Promise<T>; until: number }>();
  return {
    get(key, load) {
      const now = timer();
      const hit = entries.get(key);
      if (hit && hit.until > now) return hit.value;
      const value = load();
      entries.set(key, { value, until: Number.POSITIVE_INFINITY });
      // Held while loading, then for ttlMs; a failed load is forgotten at once.
      value.then(
        () => { if (entries.get(key)?.value === value) entries.set(key, { value, until: timer() + ttlMs }); },
        () => { if (entries.get(key)?.value === value) entries.delete(key); },
      );
      return value;
    },
    forget(key) {
      entries.delete(key);
    },
  };
}
