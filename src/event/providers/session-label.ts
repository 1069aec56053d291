/** Row labels shared by the session lists. */
import type { EventSession } from '../event-schema';
import type { Language } from '../../kernel/language';
import { shortDate } from '../../kernel/local-time';

/** "09:00 Ufunguzi rasmi" */
export function timeLabel(session: EventSession, lang: Language): string {
  return `${session.start} ${session.short[lang]}`;
}

/** "17/8 09:00 Ufunguzi rasmi" */
export function dayTimeLabel(session: EventSession, lang: Language): string {
  return `${shortDate(session.day)} ${timeLabel(session, lang)}`;
}

export function byStart(a: EventSession, b: EventSession): number {
  return `${a.day} ${a.start} ${a.code}`.localeCompare(`${b.day} ${b.start} ${b.code}`);
}
