/** `KIKAO S101` / `SESSION S101`: one session's details, with how to get a reminder. */
import type { EventData } from '../../../event/event-schema';
import type { Language } from '../../../engine';
import { fitSegments } from '../../../kernel/text/sms-split';
import { reply, say, shortDate, type KeywordHandler } from '../command-types';

/** The session code in an argument (`s101`, `S-101`, `101`), or ''. */
export function sessionCodeOf(arg: string): string {
  const compact = arg.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return compact;
}

export function findSession(event: EventData, arg: string): EventData['sessions'][number] | undefined {
  const code = sessionCodeOf(arg);
  if (!code) return undefined;
  return event.sessions.find((s) => s.code === code) ?? event.sessions.find((s) => s.code.replace(/^[A-Z]+/, '') === code);
}

export function sessionVars(event: EventData, session: EventData['sessions'][number], lang: Language): Record<string, string> {
  const theme = event.themes.find((t) => t.id === session.theme);
  return {
    'session.code': session.code,
    'session.title': session.title[lang],
    'session.short': session.short[lang],
    'session.date': shortDate(session.day),
    'session.time': `${session.start}-${session.end}`,
    'session.start': session.start,
    'session.room': session.room,
    'session.speaker': session.speaker || '-',
    'session.theme': theme?.short[lang] ?? '-',
  };
}

export const sessionCommand: KeywordHandler = async (call, deps) => {
  const { pack, lang } = call;
  if (!sessionCodeOf(call.args)) return [reply(say(pack, lang, 'sms.session_usage'))];
  const event = await deps.agenda.get(pack.id);
  const session = findSession(event, call.args);
  if (!session) return [reply(say(pack, lang, 'sms.session_unknown', { code: sessionCodeOf(call.args) }))];
  return [reply(fitSegments(say(pack, lang, 'sms.session_details', sessionVars(event, session, lang)), 2).text)];
};
