import type { ListProvider } from './registry';

/** The event's themes. Value: the theme id. */
export const themes: ListProvider = {
  name: 'themes',
  params: [],
  messages: [],
  items: ({ event, lang }) => event.themes.map((t) => ({ value: t.id, label: t.short[lang] })),
  universe: ({ event, lang }) => event.themes.map((t) => ({ value: t.id, label: t.short[lang] })),
};
