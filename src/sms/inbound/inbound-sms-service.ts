/**
 * One inbound SMS, as a story: find the sender's registration, read the keyword, run its command
 * and queue the replies (each with an idempotency key from AT's message id, so a re-run sends
 * nothing twice). Unknown text gets the help reply, at most once per phone per hour.
 */
import type { Language } from '../../engine';
import type { Logger } from '../../kernel/logger';
import type { OutboundMessages } from '../outbound/outbound-port';
import { say, type CommandDeps, type Reply } from './command-types';
import { parseKeyword } from './keyword-parser';
import { choosePackText, routeToPack, type InboundPack } from './pack-router';
import { KEYWORD_HANDLERS } from './registry';
import { AppError } from '../../kernel/errors';

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
  outbound: OutboundMessages;
  /** The once-an-hour help marker (see inbound-state.redis.ts). */
  helpReplies: HelpReplies;
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
      if (deps.packs.length === 0) throw new AppError('FLOW.NO_PACK', 'No flow pack is loaded.');
      const route = routeToPack(deps.packs, sms.to, sms.text);
      // Help and "name a pack" answers go at most once per phone per hour (a loop with another bot costs SMS).
      const helpOnce = async (text: string): Promise<Reply[]> => {
        const first = await deps.helpReplies.claim(sms.from);
        if (!first) deps.logger.info({ smsId: sms.id }, 'unreadable SMS text: help already sent this hour');
        return first ? [{ text, purpose: 'reply' }] : [];
      };
      let replies: Reply[];
      let parsed: ReturnType<typeof parseKeyword> = null;
      if (route.kind === 'choose') replies = await helpOnce(choosePackText(route.keywords));
      else {
        const { pack, keywords } = route.entry;
        const delegate = await deps.delegates.get(pack.id, sms.from);
        parsed = parseKeyword(route.text, keywords);
        // A bare pack keyword ("EGOV2016") asks for that pack's help.
        if (!parsed && route.byKeyword && route.text.trim() === '') parsed = { command: 'help', lang: delegate?.language ?? pack.defaultLanguage, word: '', args: '', fuzzy: false };
        replies = parsed
          ? await KEYWORD_HANDLERS[parsed.command]({ pack, keywords, phone: sms.from, lang: parsed.lang, args: parsed.args, delegate }, deps)
          : await helpOnce(say(pack, delegate?.language ?? deps.defaultLanguage, 'sms.unknown'));
      }
      if (!parsed && deps.unmatched && sms.text.trim() !== '') {
        await deps.unmatched({ id: sms.id, from: sms.from, to: sms.to, text: sms.text, packId: route.kind === 'pack' ? route.entry.pack.id : null })
          .catch((error: unknown) => deps.logger.warn({ smsId: sms.id, err: (error as Error).message }, 'unmatched SMS not kept for the inbox'));
      }
      // A reply asking to name a pack belongs to no pack: it counts under the gateway only.
      const packId = route.kind === 'pack' ? { packId: route.entry.pack.id } : {};
      for (const [index, message] of replies.entries()) {
        await deps.outbound.enqueue({ to: sms.from, text: message.text, purpose: message.purpose, idempotencyKey: `sms-in:${sms.id}:${index}`, inboundTriggered: true, ...packId });
      }
      return { pack: route.kind === 'pack' ? route.entry.pack.id : null, command: parsed?.command ?? null, replies: replies.length };
    },
  };
}
