import type { EventListProvider } from './registry';
import { byStart, dayTimeLabel } from './session-label';

/** Sessions the caller subscribed to (unknown codes skipped). Value: the session code. */
export const myReminders: EventListProvider = {
  name: 'my_reminders',
  params: [],
  messages: [],
  items: ({ ctx: { event, reminders }, lang }) =>
    event.sessions.filter((s) => reminders.includes(s.code)).sort(byStart).map((s) => ({ value: s.code, label: dayTimeLabel(s, lang) })),
  universe: ({ ctx: { event }, lang }) => event.sessions.map((s) => ({ value: s.code, label: dayTimeLabel(s, lang) })),
};
