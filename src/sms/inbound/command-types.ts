/** What a keyword command gets and gives back. One file per command, registered in ./registry. */
import { renderTemplate, type FlowPack, type Language } from '../../engine';
import type { KeywordTable } from '../../packs/pack-schema';
import type { AgendaRepository } from '../../event/agenda';
import type { Clock } from '../../kernel/clock';
import type { Delegate, DelegateRepository } from '../../event/delegates';
import type { MessagePurpose } from '../outbound/outbound-port';
import type { ReminderRepository } from '../../reminders/reminders';
import type { SuppressionList } from '../outbound/suppression-port';

export interface CommandDeps {
  delegates: DelegateRepository;
  reminders: ReminderRepository;
  agenda: AgendaRepository;
  suppression: SuppressionList;
  clock: Clock;
  /** Told when a subscription changes, so reminders follow. */
  onSubscriptionChanged?: (packId: string, phone: string, sessionCode: string, subscribed: boolean) => Promise<void>;
}

export interface CommandCall {
  pack: FlowPack;
  keywords: KeywordTable;
  phone: string;
  lang: Language;
  args: string;
  delegate: Delegate | null;
}

export interface Reply {
  text: string;
  purpose: MessagePurpose;
}

export type KeywordHandler = (call: CommandCall, deps: CommandDeps) => Promise<Reply[]>;

/** Renders catalogue entry `key` in `lang` (falling back to the pack's default language). */
export function say(pack: FlowPack, lang: Language, key: string, vars: Record<string, string | undefined> = {}): string {
  const template = pack.messages[lang][key] ?? pack.messages[pack.defaultLanguage][key] ?? key;
  const base = { 'event.name': pack.event.shortName[lang], 'ussd.code': pack.serviceCodes[0] ?? '' };
  return renderTemplate(template, { ...base, ...vars });
}

/** A reply to the person who texted us. */
export function reply(text: string): Reply {
  return { text, purpose: 'reply' };
}

export { shortDate } from '../../kernel/local-time';
