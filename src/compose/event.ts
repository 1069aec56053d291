/** The conference data every module reads: delegates, reminder subscriptions and each pack's live agenda. */
import { createRedisAgendaStore } from '../event/agenda.redis';
import type { AgendaRepository } from '../event/agenda';
import { createRedisDelegateStore } from '../event/delegates.redis';
import type { DelegateRepository } from '../event/delegates';
import { createRedisInviteeStore } from '../event/invitees.redis';
import type { InviteeRepository } from '../event/invitees';
import type { EventPack } from '../event/event-pack';
import { createRedisReminderStore } from '../reminders/reminders.redis';
import type { Erasable } from '../privacy/erasable';
import type { ReminderRepository } from '../reminders/reminders';
import type { Resources } from './resources';

export interface EventStores {
  delegates: DelegateRepository;
  reminders: ReminderRepository & Erasable;
  agenda: AgendaRepository;
  /** The people organisers invited (greeted by name on USSD, registered in one step). */
  invitees: InviteeRepository;
  /** Seeds each pack's agenda from its sample the first time; logs, never throws. */
  seed(): Promise<void>;
}

/** `replaceSamples` (DEMO_DATES=today): a stored event that is still a sample is replaced by the pack's (moved) sample at start. */
export function composeEventStores(r: Resources, packs: readonly EventPack[], options: { replaceSamples?: boolean } = {}): EventStores {
  const agenda = createRedisAgendaStore(r.redis, r.keys, new Map(packs.map((p) => [p.id, p.event])), undefined, undefined, (pack, problem) =>
    r.logger.warn({ pack, ...problem }, 'clipped' in problem ? 'stored agenda is over its bounds: clipped texts and lists shown; save it again to keep it' : 'stored agenda cannot be read: the sample is shown'),
  );
  return {
    delegates: createRedisDelegateStore(r.redis, r.keys),
    reminders: createRedisReminderStore(r.redis, r.keys),
    agenda,
    invitees: createRedisInviteeStore(r.redis, r.keys),
    async seed() {
      for (const pack of packs) {
        await agenda.seed(pack.id, pack.event).catch((error: unknown) => r.logger.warn({ err: error, pack: pack.id }, 'agenda not seeded yet'));
        if (!options.replaceSamples || !pack.event.sample) continue;
        // Demo dates: an untouched sample follows today; an organiser's edit (sample: false) stays.
        const stored = await agenda.get(pack.id).catch(() => null);
        if (stored?.sample && JSON.stringify(stored.days) !== JSON.stringify(pack.event.days)) await agenda.put(pack.id, pack.event).catch((error: unknown) => r.logger.warn({ err: error, pack: pack.id }, 'demo agenda not stored'));
      }
    },
  };
}
