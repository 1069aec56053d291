/**
 * The broadcasts module: one service per pack (see pack-broadcasts.ts) over one store, one
 * fan-out queue and one fan-out worker for all packs (each wave reads its pack from its record).
 * The store and the fan-out are given (compose builds them on its Redis connections).
 */
import type { Language } from '../engine';
import type { Keys } from '../infra/redis/keys';
import type { Logger } from '../kernel/logger';
import type { OutboundPipeline } from '../sms/outbound/outbound-pipeline';
import type { BroadcastService } from './broadcast-types';
import type { AgendaRepository } from '../event/agenda';
import type { Clock } from '../kernel/clock';
import type { DelegateRepository } from '../event/delegates';
import type { ReminderRepository } from '../reminders/reminders';
import type { SuppressionList } from '../sms/outbound/suppression-port';
import type { LedgerReader } from './broadcast-progress';
import type { Fanout } from './broadcast-fanout.bullmq';
import type { BroadcastStore } from './broadcasts.redis';
import { createPackBroadcasts } from './pack-broadcasts';
import type { QuietWindow } from './quiet-hours';

/** Recipients per wave at most (see `waveSize`). */
export const MAX_WAVE = 10_000;

export interface BroadcastDeps {
  /** The fan-out queue's prefix (`keys.queuePrefix`). */
  keys: Keys;
  /** The pack the module's own methods act on; `forPack` gives any other. */
  packId: string;
  delegates: DelegateRepository;
  reminders: ReminderRepository;
  agenda: AgendaRepository;
  suppression: SuppressionList;
  /**
   * `enqueueEach`, when given, queues a personalised wave in batches (else one `enqueue` per
   * recipient); `groupCounts`, when given, counts a broadcast in one read (else group by group).
   */
  outbound: Pick<OutboundPipeline, 'enqueue' | 'enqueueMany'> & Partial<Pick<OutboundPipeline, 'enqueueEach' | 'groupCounts'>>;
  ledger: LedgerReader;
  clock: Clock;
  logger: Logger;
  /** Phones checked in on any day (the `notCheckedIn` audience). */
  checkedIn?: (packId: string) => Promise<ReadonlySet<string>>;
  settings: {
    quietHours: QuietWindow | null; timeZone: string; pricePerSegment: number; currency: string; ratePerSecond: number; defaultLanguage: Language; senderId: string | undefined;
    /** Lock of a running wave job (and the stalled-job check period); BullMQ's default when absent. */
    workerLockMs?: number;
  };
}


/** The default pack's service, each pack's (`forPack`), and the one fan-out worker of them all. */
export type BroadcastModule = BroadcastService & {
  forPack(packId: string): BroadcastService;
  /** Starts the fan-out's worker on a blocking connection; returns its stop function. */
  startWorker: Fanout['startWorker'];
  close(): Promise<void>;
};

/** Where the module keeps broadcasts and how it queues their waves. */
export interface BroadcastStorage {
  store: BroadcastStore;
  fanout: Fanout;
}

export function createBroadcastService(deps: BroadcastDeps, { store, fanout }: BroadcastStorage): BroadcastModule {
  // Ten seconds of sending per wave, at most MAX_WAVE: a wave is one ledger message per language,
  // written by one Lua call (when it took two arguments per recipient, 100,000 overflowed the stack;
  // one argument each remains possible, see Ledger.create).
  const waveSize = Math.min(MAX_WAVE, Math.max(50, deps.settings.ratePerSecond * 10));

  const forPack = (packId: string): BroadcastService => createPackBroadcasts(packId, { deps, store, fanout, waveSize });

  return {
    ...forPack(deps.packId),
    forPack,
    startWorker: (connection) => fanout.startWorker(connection),

    close: () => fanout.close(),
  };
}

