/** The agenda's sessions as CSV, one row per session, both languages side by side. */
import { EVENT_LIMITS, SessionSchema, speakerIn, type EventData, type EventSession } from '../event/event-schema';
import { csvRecords, toCsv } from '../kernel/text/csv';

export const AGENDA_COLUMNS = ['code', 'day', 'start', 'end', 'title_sw', 'title_en', 'short_sw', 'short_en', 'speaker', 'room', 'theme', 'speaker_en'] as const;
const REQUIRED = ['code', 'day', 'start', 'end', 'title_sw', 'title_en', 'short_sw', 'short_en', 'room'] as const;

export interface CsvProblem {
  line: number;
  path: string;
  message: string;
}

/** The sessions of `event` as spreadsheet-safe CSV. */
export function sessionsToCsv(event: EventData): string {
  return toCsv(
    AGENDA_COLUMNS,
    event.sessions.map((s) => [s.code, s.day, s.start, s.end, s.title.sw, s.title.en, s.short.sw, s.short.en, speakerIn(s, 'sw'), s.room, s.theme ?? '', typeof s.speaker === 'string' ? '' : s.speaker.en]),
  );
}

/**
 * Reads sessions from CSV. Returns every row's problems (by line and field) or the sessions;
 * cross-checks against days and themes are the caller's (eventProblems).
 */
export function sessionsFromCsv(csv: string): { ok: true; sessions: EventSession[] } | { ok: false; problems: CsvProblem[] } {
  const parsed = csvRecords(csv, REQUIRED);
  if (!parsed.ok) return { ok: false, problems: [{ line: 1, path: 'header', message: `missing column(s) ${parsed.missing.join(', ')}; expected ${AGENDA_COLUMNS.join(',')}` }] };
  // Rows are counted before any is read: a file of a million rows costs one answer, not a million.
  if (parsed.records.length > EVENT_LIMITS.sessions) {
    return { ok: false, problems: [{ line: parsed.records[EVENT_LIMITS.sessions]?.line ?? 1, path: 'rows', message: `at most ${EVENT_LIMITS.sessions} sessions per agenda; this file has ${parsed.records.length} rows` }] };
  }
  const sessions: EventSession[] = [];
  const problems: CsvProblem[] = [];
  for (const { line, values } of parsed.records) {
    const v = (name: string) => values[name] ?? '';
    const candidate = {
      code: v('code').toUpperCase(),
      day: v('day'),
      start: v('start'),
      end: v('end'),
      title: { sw: v('title_sw'), en: v('title_en') },
      short: { sw: v('short_sw'), en: v('short_en') },
      // `speaker_en` (optional) gives the English form when the speaker carries a title ("Dkt." / "Dr.").
      speaker: v('speaker_en') === '' || v('speaker_en') === v('speaker') ? v('speaker') : { sw: v('speaker'), en: v('speaker_en') },
      room: v('room'),
      theme: v('theme') === '' ? null : v('theme'),
    };
    const result = SessionSchema.safeParse(candidate);
    if (result.success) sessions.push(result.data);
    else for (const issue of result.error.issues) problems.push({ line, path: issue.path.map(String).join('_'), message: issue.message });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, sessions };
}
