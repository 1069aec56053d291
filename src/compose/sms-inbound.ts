/** Inbound SMS: the durable intake queue and the service that routes each message to its pack. */
import type { LoadedPack } from '../packs/load';
import { createInboundQueue, startInboundWorker, type InboundQueue } from '../sms/inbound/inbound-queue.bullmq';
import { createInboundSmsService } from '../sms/inbound/inbound-sms-service';
import { createUnmatchedInbox } from '../organiser/unmatched-inbox.redis';
import { createHelpReplies, createOptedOutNotices } from '../sms/inbound/inbound-state.redis';
import { createFollowUps } from '../sms/inbound/follow-ups.redis';
import type { Messaging } from '../sms/outbound/outbound-module';
import type { EngageCommandDeps } from '../sms/inbound/command-types';
import type { EventStores } from './event';
import type { Reminders } from './reminders';
import type { Closer, Resources } from './resources';

const inboundPack = ({ pack, keywords, sms }: LoadedPack) => ({ pack, keywords, ...(sms ? { sms } : {}) });

export interface SmsInbound {
  queue: InboundQueue;
  /** Starts the worker that answers queued messages; resolves its stop function. */
  startWorker(): Closer;
}

/** `live` gives the live version of every pack (flow releases); keyword replies follow it. */
export function composeSmsInbound(r: Resources, loaded: readonly LoadedPack[], stores: EventStores, messaging: Messaging, reminders: Reminders, live?: () => readonly LoadedPack[], engage?: EngageCommandDeps): SmsInbound {
  const { redis, keys, logger } = r;
  const queue = createInboundQueue(redis, redis, keys, logger);
  r.onClose(() => queue.close());
  const inbox = createUnmatchedInbox(redis, keys);
  const service = createInboundSmsService({
    packs: loaded.map(inboundPack),
    ...(live ? { livePacks: () => live().map(inboundPack) } : {}),
    delegates: stores.delegates, reminders: stores.reminders, agenda: stores.agenda, suppression: messaging.suppression, clock: r.clock,
    onSubscriptionChanged: reminders.onSubscriptionChanged,
    ...(engage ? { engage } : {}),
    outbound: messaging.outbound, helpReplies: createHelpReplies(redis, keys), optedOutNotices: createOptedOutNotices(redis, keys), followUps: createFollowUps(redis, keys),
    defaultLanguage: r.config.locale.defaultLanguage, logger,
    unmatched: (message) => inbox.record({ ...message, at: r.clock.now().toISOString() }),
  });
  return { queue, startWorker: () => startInboundWorker(r.connect('inbound-worker', 'blocking'), redis, keys, service, logger) };
}
