import { sessionStart } from '../session-time';
import type { EventListProvider } from './registry';
import { byStart, dayTimeLabel } from './session-label';

/**
 * Sessions a caller may rate ("Toa maoni"): those that have started by `ctx.now`, the most recent
 * first, so the session that just ended is option 1. Value: the session code.
 */
export const rateableSessions: EventListProvider = {
  name: 'rateable_sessions',
  params: [],
  messages: [],
  items: ({ ctx: { event, now: at }, lang }) => {
    const now = Date.parse(at);
    if (Number.isNaN(now)) return [];
    return event.sessions.filter((s) => sessionStart(event, s).getTime() <= now).sort(byStart).reverse().map((s) => ({ value: s.code, label: dayTimeLabel(s, lang) }));
  },
  universe: ({ ctx: { event }, lang }) => event.sessions.map((s) => ({ value: s.code, label: dayTimeLabel(s, lang) })),
};
