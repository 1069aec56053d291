import type { EventListProvider } from './registry';

/** Kinds of public institution. Value: the type id. */
export const institutionTypes: EventListProvider = {
  name: 'institution_types',
  params: [],
  messages: [],
  items: ({ ctx: { event }, lang }) => event.institutionTypes.map((t) => ({ value: t.id, label: t.label[lang] })),
  universe: ({ ctx: { event }, lang }) => event.institutionTypes.map((t) => ({ value: t.id, label: t.label[lang] })),
};
