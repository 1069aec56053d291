import type { EventData } from '../event-schema';
import type { EventListProvider } from './registry';

/** The days of a cohort: its own `days`, else the days marked with it; every day for no or an unknown cohort. */
export function cohortDays(event: EventData, cohort: string | undefined): string[] {
  const all = event.days.map((d) => d.date);
  if (!cohort) return all;
  const listed = event.cohorts.find((c) => c.id === cohort)?.days ?? [];
  const marked = event.days.filter((d) => d.cohort === cohort).map((d) => d.date);
  const mine = new Set([...listed, ...marked]);
  return mine.size > 0 ? all.filter((d) => mine.has(d)) : all;
}

/** "Ratiba yangu": the days of the caller's cohort, in order. Value: the date (YYYY-MM-DD). */
export const myDays: EventListProvider = {
  name: 'my_days',
  params: [],
  messages: [],
  items: ({ ctx: { event, delegate }, lang }) => {
    const mine = new Set(cohortDays(event, delegate?.cohort));
    return event.days.filter((d) => mine.has(d.date)).map((d) => ({ value: d.date, label: d.label[lang] }));
  },
  universe: ({ ctx: { event }, lang }) => event.days.map((d) => ({ value: d.date, label: d.label[lang] })),
};
