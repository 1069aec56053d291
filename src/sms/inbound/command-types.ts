/** What a keyword command gets and gives back. One file per command, registered in ./registry. */
import type { Language } from '../../engine';
import { renderMessage } from '../../event/catalogue';
import type { EventPack } from '../../event/event-pack';
import type { KeywordTable } from '../../packs/pack-schema';
import type { AgendaRepository } from '../../event/agenda';
import type { Clock } from '../../kernel/clock';
import type { Delegate, DelegateRepository } from '../../event/delegates';
import type { MessagePurpose } from '../outbound/outbound-port';
import type { ReminderRepository } from '../../reminders/reminders';
import type { SuppressionList } from '../outbound/suppression-port';
import type { FeedbackStore } from '../../feedback/feedback';
import type { QuestionStore } from '../../questions/questions';
import type { CheckInStore } from '../../checkin/checkin';

/** The stores of feedback, questions to the panel and check-in; without them those commands answer as unknown text. */
export interface EngageCommandDeps {
  feedback: FeedbackStore;
  questions: QuestionStore;
  checkins: CheckInStore;
}
import type { FollowUps } from './follow-ups.redis';

export interface CommandDeps {
  delegates: DelegateRepository;
  reminders: ReminderRepository;
  agenda: AgendaRepository;
  suppression: SuppressionList;
  clock: Clock;
  engage?: EngageCommandDeps;
  /** The open follow-up questions of SMS registrations (absent: none are asked). */
  followUps?: FollowUps;
  /** Told when a subscription changes, so reminders follow. */
  onSubscriptionChanged?: (packId: string, phone: string, sessionCode: string, subscribed: boolean) => Promise<void>;
}

export interface CommandCall {
  pack: EventPack;
  keywords: KeywordTable;
  phone: string;
  lang: Language;
  args: string;
  delegate: Delegate | null;
  /** The inbound SMS id: a command that adds a record keys it by this, so a re-run adds nothing. */
  messageId?: string;
}

export interface Reply {
  text: string;
  purpose: MessagePurpose;
}

export type KeywordHandler = (call: CommandCall, deps: CommandDeps) => Promise<Reply[]>;

/** Renders catalogue entry `key` in `lang` with the conference's one renderer (the USSD registration SMS and reminders use it too). */
export const say = renderMessage;

/** A reply to the person who texted us. */
export function reply(text: string): Reply {
  return { text, purpose: 'reply' };
}

