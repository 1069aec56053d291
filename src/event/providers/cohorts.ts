import type { ListProvider } from './registry';

/** The event's cohorts. Value: the cohort id. */
export const cohorts: ListProvider = {
  name: 'cohorts',
  params: [],
  messages: [],
  items: ({ event, lang }) => event.cohorts.map((c) => ({ value: c.id, label: c.label[lang] })),
  universe: ({ event, lang }) => event.cohorts.map((c) => ({ value: c.id, label: c.label[lang] })),
};
