import type { EventListProvider } from './registry';

/** The event's cohorts. Value: the cohort id. */
export const cohorts: EventListProvider = {
  name: 'cohorts',
  params: [],
  messages: [],
  items: ({ ctx: { event }, lang }) => event.cohorts.map((c) => ({ value: c.id, label: c.label[lang] })),
  universe: ({ ctx: { event }, lang }) => event.cohorts.map((c) => ({ value: c.id, label: c.label[lang] })),
};
