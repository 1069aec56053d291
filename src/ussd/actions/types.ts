/** What a host action gets and gives back. One file per action, registered in ./registry. */
import type { ActionOutcome, Value } from '../../engine';
import type { EventPack } from '../../event/event-pack';
import type { Language } from '../../kernel/language';
import type { Logger } from '../../kernel/logger';
import type { AgendaRepository } from '../../event/agenda';
import type { Clock } from '../../kernel/clock';
import type { DelegateRepository } from '../../event/delegates';
import type { InviteeRepository } from '../../event/invitees';
import type { OutboundMessages } from '../../sms/outbound/outbound-port';
import type { ReminderRepository } from '../../reminders/reminders';
import type { FeedbackStore } from '../../feedback/feedback';
import type { QuestionStore } from '../../questions/questions';
import type { CheckInStore } from '../../checkin/checkin';

export interface ActionDeps {
  delegates: DelegateRepository;
  reminders: ReminderRepository;
  agenda: AgendaRepository;
  outbound: OutboundMessages;
  clock: Clock;
  logger: Logger;
  /** The invitation list (absent: nobody is invited, the invitation actions answer `error`). */
  invitees?: InviteeRepository;
  /** Told when a subscription changes, so reminders can be scheduled or dropped. */
  onSubscriptionChanged?: (packId: string, phone: string, sessionCode: string, subscribed: boolean) => Promise<void>;
  /** Ratings, questions and check-ins; without them those actions answer `error`. */
  engage?: { feedback: FeedbackStore; questions: QuestionStore; checkins: CheckInStore };
  /** Erases every trace of a person (registration, reminders, ledger numbers, stored messages). */
  erasePerson: (packId: string, phone: string) => Promise<unknown>;
}

export interface ActionCall {
  pack: EventPack;
  phone: string;
  lang: Language;
  params: Record<string, Value>;
  /** Stable id of this hop, for idempotency keys of messages the action queues. */
  hopId: string;
}

export type { ActionOutcome };

export type HostAction = (call: ActionCall, deps: ActionDeps) => Promise<ActionOutcome>;

/** Reads a string parameter ('' when absent). */
export function param(call: ActionCall, name: string): string {
  const value = call.params[name];
  return value === null || value === undefined ? '' : String(value);
}
