/** Inbound SMS: the durable intake queue and the service that routes each message to its pack. */
import type { LoadedPack } from '../packs/load';
import { createInboundQueue, startInboundWorker, type InboundQueue } from '../sms/inbound/inbound-queue.bullmq';
import { createInboundSmsService } from '../sms/inbound/inbound-sms-service';
import { createUnmatchedInbox } from '../organiser/unmatched-inbox.redis';
import { createHelpReplies } from '../sms/inbound/inbound-state.redis';
import type { Messaging } from '../sms/outbound/outbound-module';
import type { EventStores } from './event';
import type { Reminders } from './reminders';
import type { Closer, Resources } from './resources';

export interface SmsInbound {
  queue: InboundQueue;
  /** Starts the worker that answers queued messages; resolves its stop function. */
  startWorker(): Closer;
}

export function composeSmsInbound(r: Resources, loaded: readonly LoadedPack[], stores: EventStores, messaging: Messaging, reminders: Reminders): SmsInbound {
  const { redis, keys, logger } = r;
  const queue = createInboundQueue(redis, redis, keys, logger);
  r.onClose(() => queue.close());
  const inbox = createUnmatchedInbox(redis, keys);
  const service = createInboundSmsService({
    packs: loaded.map(({ pack, keywords, sms }) => ({ pack, keywords, ...(sms ? { sms } : {}) })),
    delegates: stores.delegates, reminders: stores.reminders, agenda: stores.agenda, suppression: messaging.suppression, clock: r.clock,
    onSubscriptionChanged: reminders.onSubscriptionChanged,
    outbound: messaging.outbound, helpReplies: createHelpReplies(redis, keys),
    defaultLanguage: r.config.locale.defaultLanguage, logger,
    unmatched: (message) => inbox.record({ ...message, at: r.clock.now().toISOString() }),
  });
  return { queue, startWorker: () => startInboundWorker(r.connect('inbound-worker', 'blocking'), redis, keys, service, logger) };
}
