/**
 * `TATHMINI S105 4 [maoni]` / `RATE S105 4 [comment]`: rates a session 1-5 once it has started.
 * Rating again replaces the earlier rating (the latest counts) and the reply says so.
 */
import { sessionVariables } from '../../../event/catalogue';
import type { EventData, EventSession } from '../../../event/event-schema';
import { COMMENT_MAX, sessionPhase, type RatingChannel } from '../../../feedback/feedback';
import type { Language } from '../../../kernel/language';
import { reply, say, type CommandDeps, type KeywordHandler, type Reply } from '../command-types';
import type { EventPack } from '../../../event/event-pack';
import { findSession } from './session';

/** Records a rating and answers it (shared by the keyword and a bare digit). */
export async function recordRating(
  deps: CommandDeps, call: { pack: EventPack; phone: string; lang: Language; messageId?: string | undefined }, event: EventData, session: EventSession, rating: number, comment: string, channel: RatingChannel,
): Promise<Reply[]> {
  const { pack, lang, phone } = call;
  const vars = { ...sessionVariables(event, session, lang), rating: String(rating) };
  if (!deps.engage) return [reply(say(pack, lang, 'sms.unknown'))];
  if (sessionPhase(event, session, deps.clock.now()) === 'before') return [reply(say(pack, lang, 'sms.rate_not_started', vars))];
  const { updated } = await deps.engage.feedback.rate(pack.id, { session: session.code, phone, rating, comment, at: deps.clock.now().toISOString(), lang, channel, ...(call.messageId ? { messageId: call.messageId } : {}) });
  return [reply(say(pack, lang, updated ? 'sms.rate_updated' : 'sms.rate_ok', vars))];
}

/** `S105 4 comment`, `S105, 4. comment`, `S105 4/5`: the code, the score and the rest. */
export function parseRatingArgs(args: string): { code: string; rating: number | null; comment: string } | null {
  const match = /^([A-Za-z]{0,3}[-\s]?\d{1,4})[\s,.:;-]+(\d+)(?:\s*\/\s*5)?(?:[\s,.:;-]+([\s\S]*))?$/.exec(args.trim());
  if (!match) return null;
  const score = Number(match[2]);
  return { code: match[1] ?? '', rating: score >= 1 && score <= 5 ? score : null, comment: (match[3] ?? '').replace(/\s+/g, ' ').trim() };
}

export const rateCommand: KeywordHandler = async (call, deps) => {
  const { pack, lang } = call;
  const parsed = parseRatingArgs(call.args);
  if (!parsed) return [reply(say(pack, lang, 'sms.rate_usage'))];
  const event = await deps.agenda.get(pack.id);
  const session = findSession(event, parsed.code);
  if (!session) return [reply(say(pack, lang, 'sms.session_unknown', { code: parsed.code.toUpperCase().replace(/[^A-Z0-9]/g, '') }))];
  if (parsed.rating === null) return [reply(say(pack, lang, 'sms.rate_range'))];
  if (parsed.comment.length > COMMENT_MAX) return [reply(say(pack, lang, 'sms.rate_too_long', { max: String(COMMENT_MAX) }))];
  return recordRating(deps, call, event, session, parsed.rating, parsed.comment, 'sms');
};
