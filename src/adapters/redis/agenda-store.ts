/** The live event of each pack as one JSON value, seeded from the pack's sample at start. */
import { EventSchema, type EventData } from '../../domain/event';
import type { Keys } from '../../infra/keys';
import type { RedisClient } from '../../infra/redis';
import type { AgendaRepository } from '../../ports/agenda';

export function createRedisAgendaStore(redis: RedisClient, keys: Keys, samples: ReadonlyMap<string, EventData>): AgendaRepository {
  return {
    async get(packId) {
      const raw = await redis.get(keys.agenda.event(packId));
      if (raw) {
        const parsed = EventSchema.safeParse(JSON.parse(raw));
        if (parsed.success) return parsed.data;
      }
      const sample = samples.get(packId);
      if (!sample) throw new Error(`no event for pack ${packId}`);
      return sample;
    },
    async put(packId, event) {
      await redis.set(keys.agenda.event(packId), JSON.stringify(event));
    },
    async seed(packId, event) {
      return (await redis.set(keys.agenda.event(packId), JSON.stringify(event), 'NX')) === 'OK';
    },
  };
}
