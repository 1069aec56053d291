/**
 * One inbound SMS, as a story: find the sender's registration, read the keyword, run its command
 * and queue the replies (each with an idempotency key from AT's message id, so a re-run sends
 * nothing twice). Unknown text gets the help reply, at most once per phone per hour.
 */
import type { Language } from '../../engine';
import type { EventPack } from '../../event/event-pack';
import type { KeywordTable } from '../../packs/pack-schema';
import type { Logger } from '../../kernel/logger';
import type { RedisClient } from '../../infra/redis/client';
import type { OutboundMessages } from '../outbound/outbound-port';
import { say, type CommandDeps, type Reply } from './command-types';
import { parseKeyword } from './keyword-parser';
import { KEYWORD_HANDLERS } from './registry';

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
  packs: ReadonlyArray<{ pack: EventPack; keywords: KeywordTable }>;
  outbound: OutboundMessages;
  redis: RedisClient;
  /** Key for "help already sent to this phone this hour". */
  helpSentKey: (phone: string) => string;
  defaultLanguage: Language;
  logger: Logger;
}

export interface InboundSmsService {
  handle(sms: InboundSms): Promise<{ command: string | null; replies: number }>;
}

export function createInboundSmsService(deps: InboundSmsServiceDeps): InboundSmsService {
  return {
    async handle(sms) {
      const entry = deps.packs[0];
      if (!entry) throw new Error('no flow pack loaded');
      const { pack, keywords } = entry;
      const delegate = await deps.delegates.get(pack.id, sms.from);
      const parsed = parseKeyword(sms.text, keywords);
      let replies: Reply[];
      if (!parsed) {
        const lang = delegate?.language ?? deps.defaultLanguage;
        const first = await deps.redis.set(deps.helpSentKey(sms.from), '1', 'EX', 3600, 'NX');
        replies = first === 'OK' ? [{ text: say(pack, lang, 'sms.unknown'), purpose: 'reply' }] : [];
        if (first !== 'OK') deps.logger.info({ smsId: sms.id }, 'unknown SMS text: help already sent this hour');
      } else {
        replies = await KEYWORD_HANDLERS[parsed.command]({ pack, keywords, phone: sms.from, lang: parsed.lang, args: parsed.args, delegate }, deps);
      }
      for (const [index, message] of replies.entries()) {
        await deps.outbound.enqueue({ to: sms.from, text: message.text, purpose: message.purpose, idempotencyKey: `sms-in:${sms.id}:${index}`, inboundTriggered: true });
      }
      return { command: parsed?.command ?? null, replies: replies.length };
    },
  };
}
