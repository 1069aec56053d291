import { localDate } from '../../kernel/local-time';
import { sessionEnd, sessionStart } from '../session-time';
import type { EventData, EventSession } from '../event-schema';
import { cohortDays } from './my-days';
import type { EventListProvider } from './registry';
import { byStart, dayTimeLabel, timeLabel } from './session-label';

const UPCOMING = 3;

/**
 * What "now and next" shows at `now` to a caller of `cohort`: sessions of the cohort's days
 * running now, then the next ones to start today; when nothing more starts today, the first
 * sessions of the cohort's next day. Empty once the event is over.
 */
export function nowAndNext(event: EventData, now: number, cohort: string | undefined): { running: EventSession[]; upcoming: EventSession[]; today: string } {
  const today = localDate(now, event.utcOffset);
  const days = new Set(cohortDays(event, cohort));
  const sorted = event.sessions.filter((s) => days.has(s.day)).sort(byStart);
  const starts = (s: EventSession): number => sessionStart(event, s).getTime();
  const running = sorted.filter((s) => starts(s) <= now && now < sessionEnd(event, s).getTime());
  const later = sorted.filter((s) => starts(s) > now);
  const laterToday = later.filter((s) => s.day === today);
  const nextDay = later[0]?.day;
  const upcoming = (laterToday.length > 0 ? laterToday : later.filter((s) => s.day === nextDay)).slice(0, UPCOMING);
  return { running, upcoming, today };
}

/**
 * Sessions running at `ctx.now` ("Sasa:"), then the next ones ("Kijacho:"), for the caller's
 * cohort; rows of another day than today carry its date. Times in the event data are the event's
 * wall clock (`event.utcOffset`); `ctx.now` is any ISO instant.
 */
export const nowNext: EventListProvider = {
  name: 'now_next',
  params: [],
  messages: ['list.now', 'list.next'],
  items: ({ ctx: { event, now: at, delegate }, lang, t }) => {
    const now = Date.parse(at);
    if (Number.isNaN(now)) return [];
    const { running, upcoming, today } = nowAndNext(event, now, delegate?.cohort);
    const label = (s: EventSession): string => (s.day === today ? timeLabel(s, lang) : dayTimeLabel(s, lang));
    return [
      ...running.map((s) => ({ value: s.code, label: `${t('list.now')} ${label(s)}` })),
      ...upcoming.map((s) => ({ value: s.code, label: `${t('list.next')} ${label(s)}` })),
    ];
  },
  universe: ({ ctx: { event }, lang, t }) =>
    event.sessions.map((s) => ({ value: s.code, label: `${[t('list.now'), t('list.next')].sort((a, b) => b.length - a.length)[0] ?? ''} ${dayTimeLabel(s, lang)}` })),
};
