/**
 * Quiet hours (default 20:00-08:00 East Africa Time): a broadcast that would start inside the
 * window waits until it opens, unless it is urgent. Times are local to the configured zone.
 */
import { localMinutes } from '../kernel/local-time';

export interface QuietWindow {
  start: string;
  end: string;
}

function minutes(hhmm: string): number {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

export function inQuietHours(at: Date, window: QuietWindow | null, timeZone: string): boolean {
  if (!window) return false;
  const now = localMinutes(at, timeZone);
  const start = minutes(window.start);
  const end = minutes(window.end);
  return start <= end ? now >= start && now < end : now >= start || now < end;
}

/** `at` itself when outside the window (or urgent); else the moment the window ends. */
export function releaseTime(at: Date, window: QuietWindow | null, timeZone: string, urgent: boolean): Date {
  if (urgent || !window || !inQuietHours(at, window, timeZone)) return at;
  const wait = (minutes(window.end) - localMinutes(at, timeZone) + 1440) % 1440;
  const release = new Date(at.getTime() + wait * 60_000);
  release.setUTCSeconds(0, 0);
  return release;
}
