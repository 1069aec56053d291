import { sessionEnd, sessionStart } from '../session-time';
import type { EventListProvider } from './registry';
import { byStart, dayTimeLabel } from './session-label';

const UPCOMING = 3;

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
    const starts = (s: (typeof sorted)[number]): number => sessionStart(event, s).getTime();
    const running = sorted.filter((s) => starts(s) <= now && now < sessionEnd(event, s).getTime());
    const upcoming = sorted.filter((s) => starts(s) > now).slice(0, UPCOMING);
    return [
      ...running.map((s) => ({ value: s.code, label: `${t('list.now')} ${dayTimeLabel(s, lang)}` })),
      ...upcoming.map((s) => ({ value: s.code, label: `${t('list.next')} ${dayTimeLabel(s, lang)}` })),
    ];
  },
  universe: ({ ctx: { event }, lang, t }) =>
    event.sessions.map((s) => ({ value: s.code, label: `${[t('list.now'), t('list.next')].sort((a, b) => b.length - a.length)[0] ?? ''} ${dayTimeLabel(s, lang)}` })),
};
