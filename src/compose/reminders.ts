/** Reminders of every pack: the scheduler (follows subscriptions and agenda changes) and its worker. */
import type { EventPack } from '../event/event-pack';
import { createReminderScheduler, type ReminderScheduler } from '../reminders/reminder-scheduler.bullmq';
import { startReminderWorker } from '../reminders/reminder-worker.bullmq';
import type { OutboundMessages } from '../sms/outbound/outbound-port';
import type { EventStores } from './event';
import type { Closer, Resources } from './resources';

export interface Reminders {
  scheduler: ReminderScheduler;
  /** Tells the scheduler; logs a failure instead of failing the caller's action. */
  onSubscriptionChanged(packId: string, phone: string, code: string, subscribed: boolean): Promise<void>;
  /** Starts the worker and schedules every pack's digests; resolves the worker's stop function. */
  startWorker(): Promise<Closer>;
}

/** `live` gives the live version of every pack (flow releases); reminder texts follow it. */
export function composeReminders(r: Resources, packs: readonly EventPack[], stores: EventStores, outbound: OutboundMessages, live?: () => readonly EventPack[]): Reminders {
  const { config, logger, clock } = r;
  const scheduler = createReminderScheduler({ connection: r.connect('reminders-queue'), redis: r.redis, keys: r.keys, agenda: stores.agenda, reminders: stores.reminders, clock, settings: config.reminders, logger });
  r.onClose(() => scheduler.close());
  return {
    scheduler,
    onSubscriptionChanged: (packId, phone, code, subscribed) =>
      scheduler.onSubscriptionChanged(packId, phone, code, subscribed).catch((error: unknown) => logger.error({ err: error, code }, 'reminder not (un)scheduled')),
    async startWorker() {
      const stop = startReminderWorker({ connection: r.connect('reminder-worker', 'blocking'), keys: r.keys, packs, ...(live ? { livePacks: live } : {}), scheduler, agenda: stores.agenda, reminders: stores.reminders, delegates: stores.delegates, outbound, clock, settings: config.reminders, defaultLanguage: config.locale.defaultLanguage, logger });
      for (const pack of packs) await scheduler.scheduleDigests(pack.id).catch((error: unknown) => logger.warn({ err: error, pack: pack.id }, 'digests not scheduled'));
      return stop;
    },
  };
}
