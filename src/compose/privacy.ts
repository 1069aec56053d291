/**
 * Erasure on request: the list of every store that keeps something about a person, and one call
 * that runs them for one pack. A new store that keeps personal data implements `Erasable` and is
 * added to the list; `erasePerson` stays as it is.
 */
import { createBroadcastStore } from '../broadcasts/broadcasts.redis';
import type { DelegateRepository } from '../event/delegates';
import type { Keys } from '../infra/redis/keys';
import type { RedisClient } from '../infra/redis/client';
import type { Erasable, ErasableStores } from '../privacy/erasable';
import { createOutboxErasure } from '../providers/outbox/outbox.redis';
import { createFollowUps } from '../sms/inbound/follow-ups.redis';
import { createInboundSmsErasure } from '../sms/inbound/inbound-state.redis';
import { createLedgerErasure, createPendingReportErasure, createPhoneCapErasure } from '../sms/outbound/outbound-erasure.redis';

import { erasePerson, type ErasureReport } from '../privacy/erase-person';
import { createUnmatchedInbox } from '../organiser/unmatched-inbox.redis';
import type { EventStores } from './event';
import { createLateResults } from '../ussd/late-results.redis';
import { createRecoveryCodes } from '../ussd/recovery-codes.redis';
import type { Resources } from './resources';

export type Erase = (packId: string, phone: string) => Promise<ErasureReport>;

export interface ErasureDeps {
  redis: RedisClient;
  keys: Keys;
  delegates: DelegateRepository;
  reminders: Erasable;
  sessions: Erasable;
  ussdStats: Erasable;
  /** Further stores (ratings, questions, check-ins), run after the others. */
  more?: ErasableStores;
  /** The invitation list (absent in callers that have none). */
  invitees?: Erasable;
}

/** Every erasable store, in the order erasure runs them (reminders before the registration they hang on). */
export function erasableStores(deps: ErasureDeps): ErasableStores {
  const { redis, keys } = deps;
  return {
    reminders: deps.reminders,
    delegate: { erase: async (packId, phone) => ((await deps.delegates.erase(packId, phone)) ? 1 : 0) },
    ussdSessions: deps.sessions,
    ussdEvents: deps.ussdStats,
    ...(deps.invitees ? { invitees: deps.invitees } : {}),
    inboundSms: createInboundSmsErasure(redis, keys),
    smsFollowUps: createFollowUps(redis, keys),
    ledgerEntries: createLedgerErasure(redis, keys),
    phoneCap: createPhoneCapErasure(redis, keys),
    pendingReports: createPendingReportErasure(redis, keys),
    broadcastRecipients: createBroadcastStore(redis, keys),
    outboxMessages: createOutboxErasure(redis, keys),
    ...deps.more,
    ussdLateResults: createLateResults(redis, keys),
    ussdRecoveryCodes: createRecoveryCodes(redis, keys),
    unmatchedSms: createUnmatchedInbox(redis, keys),
  };
}

/** `ussd` is read at call time: the USSD stores are built after the erase function is handed to the USSD actions. */
export function composeErasure(r: Resources, stores: EventStores, ussd: () => { sessions: Erasable; stats: Erasable }, more: ErasableStores = {}): Erase {
  return (packId, phone) => {
    const { sessions, stats } = ussd();
    return erasePerson(erasableStores({ redis: r.redis, keys: r.keys, delegates: stores.delegates, reminders: stores.reminders, sessions, ussdStats: stats, invitees: stores.invitees, more }), packId, phone);
  };
}
