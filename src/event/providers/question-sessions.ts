import { sessionEnd } from '../session-time';
import type { EventListProvider } from './registry';
import { byStart, dayTimeLabel } from './session-label';

/**
 * Sessions that still take questions to the panel: those not over at `ctx.now`, running ones
 * first (they start earliest). Value: the session code.
 */
export const questionSessions: EventListProvider = {
  name: 'question_sessions',
  params: [],
  messages: [],
  items: ({ ctx: { event, now: at }, lang }) => {
    const now = Date.parse(at);
    if (Number.isNaN(now)) return [];
    return event.sessions.filter((s) => sessionEnd(event, s).getTime() > now).sort(byStart).map((s) => ({ value: s.code, label: dayTimeLabel(s, lang) }));
  },
  universe: ({ ctx: { event }, lang }) => event.sessions.map((s) => ({ value: s.code, label: dayTimeLabel(s, lang) })),
};
