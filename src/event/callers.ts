/**
 * What a USSD hop reads about its caller before the engine steps: the registration, the language
 * the phone chose before registering, the reminders and the invitation. One port, so a store can
 * answer it in one round trip; {@link callerReaderOf} answers it from the repositories one by one.
 */
import type { Language } from '../kernel/language';
import type { Delegate } from './delegates';
import type { Invitee } from './invitees';

export interface CallerRecords {
  delegate: Delegate | null;
  /** The registration's language, else the one the phone chose before registering, else null (as `DelegateRepository.languageOf`). */
  language: Language | null;
  /** Session codes the caller subscribed to, sorted (as `ReminderRepository.listForPhone`). */
  reminders: string[];
  invitee: Invitee | null;
}

export interface CallerReader {
  /** The caller's records in one pack; the same values the repositories give one by one. */
  read(packId: string, phone: string): Promise<CallerRecords>;
}
