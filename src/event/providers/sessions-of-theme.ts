import type { EventListProvider } from './registry';
import { byStart, dayTimeLabel } from './session-label';

/** Sessions of `params.theme`, by day and time. Value: the session code. */
export const sessionsOfTheme: EventListProvider = {
  name: 'sessions_of_theme',
  params: ['theme'],
  messages: [],
  items: ({ ctx: { event }, lang, params }) =>
    event.sessions.filter((s) => s.theme === params.theme).sort(byStart).map((s) => ({ value: s.code, label: dayTimeLabel(s, lang) })),
  universe: ({ ctx: { event }, lang }) => event.sessions.map((s) => ({ value: s.code, label: dayTimeLabel(s, lang) })),
};
