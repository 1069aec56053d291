/**
 * Demo dates: a sample event moved so that its first day is today and its other days follow in
 * order (gaps kept), so that "now and next", a reminder 30 minutes ahead, the morning digest and
 * feedback can all be watched within minutes on a newcomer's machine. Only sample events move;
 * an organiser's event (sample: false) is never touched.
 */
import { shortDate } from '../kernel/local-time';
import type { Language } from '../kernel/language';
import type { EventData } from './event-schema';

const WEEKDAYS: Record<Language, readonly string[]> = {
  sw: ['Jumapili', 'Jumatatu', 'Jumanne', 'Jumatano', 'Alhamisi', 'Ijumaa', 'Jumamosi'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};
const DAY_MS = 24 * 3600 * 1000;

const dayNumber = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** `event` with its days moved so the first is `today` (YYYY-MM-DD); labels name the new weekday and date. */
export function shiftEventTo(event: EventData, today: string): EventData {
  if (!event.sample || event.days.length === 0) return event;
  const first = Math.min(...event.days.map((d) => dayNumber(d.date)));
  const offset = dayNumber(today) - first;
  if (!Number.isFinite(offset) || offset === 0) return event;
  const move = (iso: string): string => isoOf(dayNumber(iso) + offset);
  const cohortShort = (id: string | undefined, lang: Language): string => event.cohorts.find((c) => c.id === id)?.short[lang] ?? '';
  const label = (iso: string, cohort: string | undefined, lang: Language): string => {
    const weekday = WEEKDAYS[lang][new Date(`${iso}T00:00:00Z`).getUTCDay()] ?? '';
    const group = cohortShort(cohort, lang);
    return `${weekday} ${shortDate(iso)}${group ? ` (${group})` : ''}`;
  };
  return {
    ...event,
    days: event.days.map((d) => {
      const date = move(d.date);
      return { ...d, date, label: { sw: label(date, d.cohort, 'sw'), en: label(date, d.cohort, 'en') } };
    }),
    cohorts: event.cohorts.map((c) => ({ ...c, days: c.days.map(move) })),
    sessions: event.sessions.map((s) => ({ ...s, day: move(s.day) })),
  };
}
