/** The conference data every module reads: delegates, reminder subscriptions and each pack's live agenda. */
import { createRedisAgendaStore } from '../event/agenda.redis';
import type { AgendaRepository } from '../event/agenda';
import { createRedisDelegateStore } from '../event/delegates.redis';
import type { DelegateRepository } from '../event/delegates';
import type { EventPack } from '../event/event-pack';
import { createRedisReminderStore } from '../reminders/reminders.redis';
import type { Erasable } from '../privacy/erasable';
import type { ReminderRepository } from '../reminders/reminders';
import type { Resources } from './resources';

export interface EventStores {
  delegates: DelegateRepository;
  reminders: ReminderRepository & Erasable;
  agenda: AgendaRepository;
  /** Seeds each pack's agenda from its sample the first time; logs, never throws. */
  seed(): Promise<void>;
}

export function composeEventStores(r: Resources, packs: readonly EventPack[]): EventStores {
  const agenda = createRedisAgendaStore(r.redis, r.keys, new Map(packs.map((p) => [p.id, p.event])), undefined, undefined, (pack, problem) =>
    r.logger.warn({ pack, ...problem }, 'clipped' in problem ? 'stored agenda is over its bounds: clipped texts and lists shown; save it again to keep it' : 'stored agenda cannot be read: the sample is shown'),
  );
  return {
    delegates: createRedisDelegateStore(r.redis, r.keys),
    reminders: createRedisReminderStore(r.redis, r.keys),
    agenda,
    async seed() {
      for (const pack of packs) await agenda.seed(pack.id, pack.event).catch((error: unknown) => r.logger.warn({ err: error, pack: pack.id }, 'agenda not seeded yet'));
    },
  };
}
