/** Erasure on request: one call that removes a person from every store of one pack. */
import type { FlowPack } from '../engine';
import { erasePerson, type ErasureReport } from '../privacy/erase-person';
import { refsKey } from '../reminders/reminder-scheduler.bullmq';
import type { EventStores } from './event';
import type { Resources } from './resources';

export type Erase = (packId: string, phone: string) => Promise<ErasureReport>;

export function composeErasure(r: Resources, packs: readonly FlowPack[], stores: EventStores): Erase {
  const deps = { redis: r.redis, keys: r.keys, delegates: stores.delegates, reminders: stores.reminders, subscriberRefKeys: packs.map((p) => refsKey(r.keys, p.id)) };
  return (packId, phone) => erasePerson(deps, packId, phone);
}
