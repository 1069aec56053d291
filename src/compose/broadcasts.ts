/** Broadcasts of every pack: one service per pack (`forPack`) over one fan-out queue and worker. */
import { createFanout } from '../broadcasts/broadcast-fanout.bullmq';
import { createBroadcastService, type BroadcastDeps, type BroadcastModule } from '../broadcasts/broadcast-service';
import { createBroadcastStore } from '../broadcasts/broadcasts.redis';
import type { Messaging } from '../sms/outbound/outbound-module';
import type { EventStores } from './event';
import type { Resources } from './resources';

export function composeBroadcasts(r: Resources, defaultPack: string, stores: EventStores, messaging: Messaging, checkedIn?: BroadcastDeps['checkedIn']): BroadcastModule {
  const { config } = r;
  const deps: BroadcastDeps = {
    keys: r.keys, packId: defaultPack,
    delegates: stores.delegates, reminders: stores.reminders, agenda: stores.agenda,
    suppression: messaging.suppression, outbound: messaging.outbound,
    ledger: { countsByGroup: (id) => messaging.countsByGroup(id), listByGroup: (id, o) => messaging.listByGroup(id, o) },
    clock: r.clock, logger: r.logger,
    ...(checkedIn ? { checkedIn } : {}),
    settings: { ...config.broadcasts, timeZone: config.locale.timeZone, ratePerSecond: config.messaging.ratePerSecond, defaultLanguage: config.locale.defaultLanguage, senderId: config.messaging.defaultSenderId },
  };
  const store = createBroadcastStore(r.redis, r.keys);
  const broadcasts = createBroadcastService(deps, { store, fanout: createFanout(deps, store, r.connect('broadcast-queue')) });
  r.onClose(() => broadcasts.close());
  return broadcasts;
}
