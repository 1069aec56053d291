import type { EventListProvider } from './registry';
import { byStart, timeLabel } from './session-label';

/** Sessions of `params.day`, by start time. Value: the session code. */
export const sessionsOfDay: EventListProvider = {
  name: 'sessions_of_day',
  params: ['day'],
  messages: [],
  items: ({ ctx: { event }, lang, params }) =>
    event.sessions.filter((s) => s.day === params.day).sort(byStart).map((s) => ({ value: s.code, label: timeLabel(s, lang) })),
  universe: ({ ctx: { event }, lang }) => event.sessions.map((s) => ({ value: s.code, label: timeLabel(s, lang) })),
};
