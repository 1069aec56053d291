import type { ListProvider } from './registry';
import { byStart, dayTimeLabel } from './session-label';

/** Sessions the caller subscribed to (unknown codes skipped). Value: the session code. */
export const myReminders: ListProvider = {
  name: 'my_reminders',
  params: [],
  messages: [],
  items: ({ ctx, event, lang }) =>
    event.sessions.filter((s) => ctx.reminders.includes(s.code)).sort(byStart).map((s) => ({ value: s.code, label: dayTimeLabel(s, lang) })),
  universe: ({ event, lang }) => event.sessions.map((s) => ({ value: s.code, label: dayTimeLabel(s, lang) })),
};
