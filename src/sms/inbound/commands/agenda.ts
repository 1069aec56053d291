/**
 * `RATIBA [siku]` / `AGENDA [day]`: without a day, the days with how to ask for one; with a day
 * (its number in the list, its day of month, or 17/8), a digest of that day's sessions that fits
 * in at most three SMS segments. A digest, not a dump. `RATIBA LEO` / `AGENDA TODAY`: today's sessions
 * of the sender's cohort.
 */
import type { EventData } from '../../../event/event-schema';
import { fitSegments } from '../../../kernel/text/sms-split';
import { localDate, shortDate } from '../../../kernel/local-time';
import { cohortDays } from '../../../event/providers/my-days';
import type { Language } from '../../../kernel/language';
import { reply, say, type KeywordHandler } from '../command-types';

const DIGEST_SEGMENTS = 3;

/** The sample marking ("Ratiba ya mfano") of a sample event; '' for a real one (its brackets are dropped). */
export function sampleNote(event: EventData, lang: Language): string {
  return event.sample ? (event.note?.[lang] ?? '') : '';
}

/** The day an argument names, or undefined. Accepts `2`, `18`, `18/8`, `2015-08-18`. */
export function pickDay(event: EventData, arg: string): EventData['days'][number] | undefined {
  const text = arg.trim();
  if (!text) return undefined;
  const iso = event.days.find((d) => d.date === text);
  if (iso) return iso;
  const dayMonth = /^(\d{1,2})(?:[/.-](\d{1,2}))?$/.exec(text);
  if (!dayMonth) return undefined;
  const first = Number(dayMonth[1]);
  if (!dayMonth[2] && first >= 1 && first <= event.days.length) return event.days[first - 1];
  return event.days.find((d) => {
    const [, month, day] = d.date.split('-').map(Number);
    return day === first && (!dayMonth[2] || month === Number(dayMonth[2]));
  });
}

/** `LEO` / `TODAY` (any case) asks for today's sessions. */
const TODAY = /^(leo|today)$/i;

export const agendaCommand: KeywordHandler = async (call, deps) => {
  const { pack, lang } = call;
  const event = await deps.agenda.get(pack.id);
  if (TODAY.test(call.args.trim())) {
    // Today's sessions of the sender's cohort (every cohort's when unregistered or without one).
    const today = localDate(deps.clock.now(), event.utcOffset);
    const mine = new Set(cohortDays(event, call.delegate?.cohort || undefined));
    const sessions = mine.has(today) ? event.sessions.filter((s) => s.day === today).sort((a, b) => a.start.localeCompare(b.start)) : [];
    if (sessions.length === 0) return [reply(say(pack, lang, 'sms.agenda_today_none'))];
    const lines = sessions.map((s) => `${s.start} ${s.code} ${s.short[lang]}`).join('\n');
    return [reply(fitSegments(say(pack, lang, 'sms.agenda_today', { date: shortDate(today), sessions: lines, note: sampleNote(event, lang) }), DIGEST_SEGMENTS).text)];
  }
  const day = pickDay(event, call.args);
  if (!day) {
    const days = event.days.map((d, i) => `${i + 1}) ${d.label[lang]}`).join('\n');
    return [reply(fitSegments(say(pack, lang, 'sms.agenda_days', { days, note: sampleNote(event, lang) }), DIGEST_SEGMENTS).text)];
  }
  const sessions = event.sessions.filter((s) => s.day === day.date).sort((a, b) => a.start.localeCompare(b.start));
  const lines = sessions.map((s) => `${s.start} ${s.code} ${s.short[lang]}`).join('\n');
  const text = say(pack, lang, 'sms.agenda_day', { day: day.label[lang], date: shortDate(day.date), sessions: lines, note: sampleNote(event, lang) });
  return [reply(fitSegments(text, DIGEST_SEGMENTS).text)];
};
