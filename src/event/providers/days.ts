import type { EventListProvider } from './registry';

/** The event's days, in order. Value: the date (YYYY-MM-DD). */
export const days: EventListProvider = {
  name: 'days',
  params: [],
  messages: [],
  items: ({ ctx: { event }, lang }) => event.days.map((d) => ({ value: d.date, label: d.label[lang] })),
  universe: ({ ctx: { event }, lang }) => event.days.map((d) => ({ value: d.date, label: d.label[lang] })),
};
