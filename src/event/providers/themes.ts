import type { EventListProvider } from './registry';

/** The event's themes. Value: the theme id. */
export const themes: EventListProvider = {
  name: 'themes',
  params: [],
  messages: [],
  items: ({ ctx: { event }, lang }) => event.themes.map((t) => ({ value: t.id, label: t.short[lang] })),
  universe: ({ ctx: { event }, lang }) => event.themes.map((t) => ({ value: t.id, label: t.short[lang] })),
};
