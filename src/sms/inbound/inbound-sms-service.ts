/**
 * One inbound SMS, as a story: find the sender's registration, read the keyword, run its command
 * and queue the replies (each with an idempotency key from AT's message id, so a re-run sends
 * nothing twice). Unknown text gets the help reply, at most once per phone per hour. An opted-out
 * phone's keywords (all but ANZA/START and ACHA/STOP) are not run: it gets one short answer saying
 * it is opted out and how to come back, at most once an hour, never silence.
 */
import type { Language } from '../../engine';
import type { Logger } from '../../kernel/logger';
import type { OutboundMessages } from '../outbound/outbound-port';
import { say, type CommandDeps, type Reply } from './command-types';
import { parseKeyword } from './keyword-parser';
import { choosePackText, routeToPack, type InboundPack } from './pack-router';
import { KEYWORD_HANDLERS } from './registry';
import { answerFollowUp } from './commands/follow-up';
import { AppError } from '../../kernel/errors';
import { digitReply, isDigitReply } from './commands/digit-reply';

export interface InboundSms {
  /** AT's message id (or a content hash when AT sent none). */
  id: string;
  /** E.164 sender. */
  from: string;
  to: string;
  text: string;
  date?: string;
  linkId?: string;
  networkCode?: string;
}

export interface InboundSmsServiceDeps extends CommandDeps {
  /** Every pack of the gateway; each message goes to one of them (see pack-router.ts). */
  packs: readonly InboundPack[];
  /** The live version of every pack (flow releases), read per message; default: `packs`. */
  livePacks?: () => readonly InboundPack[];
  outbound: OutboundMessages;
  /** The once-an-hour help marker (see inbound-state.redis.ts). */
  helpReplies: HelpReplies;
  /** The once-an-hour marker of the "you are opted out" answer (same shape as the help marker). */
  optedOutNotices: HelpReplies;
  defaultLanguage: Language;
  logger: Logger;
  /** Keeps a message no keyword handled, for the organisers' inbox (best effort: never fails the message). */
  unmatched?: (message: { id: string; from: string; to: string; text: string; packId: string | null }) => Promise<void>;
}

/** Remembers that a phone got the help reply, for an hour. */
export interface HelpReplies {
  /** True for the first claim of a phone in the hour, false while an earlier one holds. */
  claim(phone: string): Promise<boolean>;
}

export interface InboundSmsService {
  /** Runs the message's command in its pack; `pack` is null when the sender must name one. */
  handle(sms: InboundSms): Promise<{ pack: string | null; command: string | null; replies: number }>;
}

export function createInboundSmsService(deps: InboundSmsServiceDeps): InboundSmsService {
  return {
    async handle(sms) {
      const packs = deps.livePacks?.() ?? deps.packs;
      if (packs.length === 0) throw new AppError('FLOW.NO_PACK', 'No flow pack is loaded.');
      const route = routeToPack(packs, sms.to, sms.text);
      // Help and "name a pack" answers go at most once per phone per hour (a loop with another bot costs SMS).
      const helpOnce = async (text: string): Promise<Reply[]> => {
        const first = await deps.helpReplies.claim(sms.from);
        if (!first) deps.logger.info({ smsId: sms.id }, 'unreadable SMS text: help already sent this hour');
        return first ? [{ text, purpose: 'reply' }] : [];
      };
      let replies: Reply[];
      let parsed: ReturnType<typeof parseKeyword> = null;
      let digitCommand: string | null = null;
      let registered = false;
      let capNotice: string | undefined;
      if (route.kind === 'choose') replies = await helpOnce(choosePackText(route.keywords));
      else {
        const { pack, keywords } = route.entry;
        const delegate = await deps.delegates.get(pack.id, sms.from);
        registered = delegate !== undefined && delegate !== null;
        const chosen = (await deps.delegates.languageOf(pack.id, sms.from)) ?? deps.defaultLanguage;
        const capLang = delegate?.language ?? chosen;
        if (pack.messages[capLang]?.['sms.cap_reached'] !== undefined) capNotice = say(pack, capLang, 'sms.cap_reached');
        parsed = parseKeyword(route.text, keywords);
        // A bare pack keyword ("EGOV2016") asks for that pack's help.
        if (!parsed && route.byKeyword && route.text.trim() === '') parsed = { command: 'help', lang: chosen, word: '', args: '', fuzzy: false };
        const optInOut = parsed?.command === 'start' || parsed?.command === 'stop';
        if (!optInOut && (await deps.suppression.isSuppressed(sms.from, undefined))) {
          const first = await deps.optedOutNotices.claim(sms.from);
          if (!first) deps.logger.info({ smsId: sms.id }, 'SMS from an opted-out phone: the opted-out answer was already sent this hour');
          // The answer is about the opt-out itself, so it passes the opt-out list like the STOP confirmation.
          replies = first ? [{ text: say(pack, parsed?.lang ?? chosen, 'sms.opted_out'), purpose: 'optout_confirmation' }] : [];
        } else if (parsed) replies = await KEYWORD_HANDLERS[parsed.command]({ pack, keywords, phone: sms.from, lang: parsed.lang, args: parsed.args, delegate, messageId: sms.id }, deps);
        else {
          // A number alone answers the open follow-up question of an SMS registration, else the
          // survey question or the latest rating request; any other text gets the help reply.
          const followUp = await answerFollowUp({ pack, phone: sms.from, text: route.text, delegate }, deps);
          const digit = !followUp && deps.engage && isDigitReply(route.text) ? await digitReply({ pack, phone: sms.from, lang: delegate?.language ?? chosen, text: route.text, messageId: sms.id }, deps) : null;
          if (digit) digitCommand = digit.command;
          replies = followUp ?? (digit ? digit.replies : await helpOnce(say(pack, chosen, 'sms.unknown')));
        }
      }
      if (!parsed && deps.unmatched && sms.text.trim() !== '') {
        await deps.unmatched({ id: sms.id, from: sms.from, to: sms.to, text: sms.text, packId: route.kind === 'pack' ? route.entry.pack.id : null })
          .catch((error: unknown) => deps.logger.warn({ smsId: sms.id, err: (error as Error).message }, 'unmatched SMS not kept for the inbox'));
      }
      // A reply asking to name a pack belongs to no pack: it counts under the gateway only.
      const packId = route.kind === 'pack' ? { packId: route.entry.pack.id } : {};
      // Plain replies to a number that is not registered are also capped per network (a flood from
      // many numbers); a registration's own confirmation is not, it has its own lane priority.
      const unknown = (purpose: Reply['purpose']) => (!registered && purpose === 'reply' ? { unknownSender: { network: sms.networkCode ?? 'none' } } : {});
      for (const [index, message] of replies.entries()) {
        await deps.outbound.enqueue({
          to: sms.from, text: message.text, purpose: message.purpose, idempotencyKey: `sms-in:${sms.id}:${index}`, inboundTriggered: true, ...packId,
          ...unknown(message.purpose), ...(capNotice ? { capNotice } : {}),
        });
      }
      return { pack: route.kind === 'pack' ? route.entry.pack.id : null, command: parsed?.command ?? digitCommand, replies: replies.length };
    },
  };
}
