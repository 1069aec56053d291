import type { ListProvider } from './registry';

/** The event's days, in order. Value: the date (YYYY-MM-DD). */
export const days: ListProvider = {
  name: 'days',
  params: [],
  messages: [],
  items: ({ event, lang }) => event.days.map((d) => ({ value: d.date, label: d.label[lang] })),
  universe: ({ event, lang }) => event.days.map((d) => ({ value: d.date, label: d.label[lang] })),
};
