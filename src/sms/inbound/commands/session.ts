/** `KIKAO S101` / `SESSION S101`: one session's details, with how to get a reminder. */
import { sessionVariables } from '../../../event/catalogue';
import type { EventData } from '../../../event/event-schema';
import { fitSegments } from '../../../kernel/text/sms-split';
import { reply, say, type KeywordHandler } from '../command-types';

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

export const sessionCommand: KeywordHandler = async (call, deps) => {
  const { pack, lang } = call;
  if (!sessionCodeOf(call.args)) return [reply(say(pack, lang, 'sms.session_usage'))];
  const event = await deps.agenda.get(pack.id);
  const session = findSession(event, call.args);
  if (!session) return [reply(say(pack, lang, 'sms.session_unknown', { code: sessionCodeOf(call.args) }))];
  return [reply(fitSegments(say(pack, lang, 'sms.session_details', sessionVariables(event, session, lang)), 2).text)];
};
