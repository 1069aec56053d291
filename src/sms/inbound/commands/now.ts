/**
 * `SASA` / `NOW`: the sessions running now and the next ones, for the sender's cohort (every
 * cohort when unregistered), as USSD's "Vikao vya sasa na vijavyo" shows them.
 */
import { renderMessage } from '../../../event/catalogue';
import type { EventSession } from '../../../event/event-schema';
import { nowAndNext } from '../../../event/providers/now-next';
import { shortDate } from '../../../kernel/local-time';
import { fitSegments } from '../../../kernel/text/sms-split';
import { reply, say, type KeywordHandler } from '../command-types';
import { sampleNote } from './agenda';

const SEGMENTS = 2;

export const nowCommand: KeywordHandler = async (call, deps) => {
  const { pack, lang } = call;
  const event = await deps.agenda.get(pack.id);
  const { running, upcoming, today } = nowAndNext(event, deps.clock.now().getTime(), call.delegate?.cohort || undefined);
  if (running.length + upcoming.length === 0) return [reply(say(pack, lang, 'sms.now_next_none'))];
  const row = (label: string, s: EventSession): string =>
    `${label} ${s.day === today ? '' : `${shortDate(s.day)} `}${s.start} ${s.code} ${s.short[lang]}, ${s.room}`;
  const now = renderMessage(pack, lang, 'list.now');
  const next = renderMessage(pack, lang, 'list.next');
  const sessions = [...running.map((s) => row(now, s)), ...upcoming.map((s) => row(next, s))].join('\n');
  return [reply(fitSegments(say(pack, lang, 'sms.now_next', { sessions, note: sampleNote(event, lang) }), SEGMENTS).text)];
};
