import type { ListProvider } from './registry';

/** Kinds of public institution. Value: the type id. */
export const institutionTypes: ListProvider = {
  name: 'institution_types',
  params: [],
  messages: [],
  items: ({ event, lang }) => event.institutionTypes.map((t) => ({ value: t.id, label: t.label[lang] })),
  universe: ({ event, lang }) => event.institutionTypes.map((t) => ({ value: t.id, label: t.label[lang] })),
};
