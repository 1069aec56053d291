import type { EventData, EventSession } from '../event-schema';
import type { EventListProvider } from './registry';
import { byStart, dayTimeLabel } from './session-label';

const UPCOMING = 3;

function instant(event: EventData, session: EventSession, time: string): number {
  return Date.parse(`${session.day}T${time}:00${event.utcOffset}`);
}

/**
 * Sessions running at `ctx.now` ("Sasa:"), then the next three to start ("Ijayo:"). Times in the
 * event data are the event's wall clock (`event.utcOffset`); `ctx.now` is any ISO instant.
 */
export const nowNext: EventListProvider = {
  name: 'now_next',
  params: [],
  messages: ['list.now', 'list.next'],
  items: ({ ctx: { event, now: at }, lang, t }) => {
    const now = Date.parse(at);
    if (Number.isNaN(now)) return [];
    const sorted = [...event.sessions].sort(byStart);
    const running = sorted.filter((s) => instant(event, s, s.start) <= now && now < instant(event, s, s.end));
    const upcoming = sorted.filter((s) => instant(event, s, s.start) > now).slice(0, UPCOMING);
    return [
      ...running.map((s) => ({ value: s.code, label: `${t('list.now')} ${dayTimeLabel(s, lang)}` })),
      ...upcoming.map((s) => ({ value: s.code, label: `${t('list.next')} ${dayTimeLabel(s, lang)}` })),
    ];
  },
  universe: ({ ctx: { event }, lang, t }) =>
    event.sessions.map((s) => ({ value: s.code, label: `${[t('list.now'), t('list.next')].sort((a, b) => b.length - a.length)[0] ?? ''} ${dayTimeLabel(s, lang)}` })),
};
