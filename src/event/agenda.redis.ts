/**
 * The live event of each pack as one JSON value, seeded from the pack's sample at start. Every
 * USSD hop reads it, so each process keeps a parsed copy for `cacheMs`: an organiser's edit shows
 * at once in the process that made it and within `cacheMs` everywhere else.
 */
import { clipEvent, type EventData } from './event-schema';
import type { Keys } from '../infra/redis/keys';
import type { RedisClient } from '../infra/redis/client';
import type { AgendaRepository } from './agenda';
import { systemClock, type Clock } from '../kernel/clock';
import { AppError } from '../kernel/errors';

/** Told when a stored agenda had to be clipped to the bounds, or could not be read at all. */
function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

export type AgendaLoadProblem = (packId: string, problem: { clipped: string[] } | { unreadable: true }) => void;

export function createRedisAgendaStore(
  redis: RedisClient,
  keys: Keys,
  samples: ReadonlyMap<string, EventData>,
  cacheMs = 2000,
  clock: Clock = systemClock,
  onProblem: AgendaLoadProblem = () => undefined,
): AgendaRepository {
  const now = (): number => clock.now().getTime();
  const cache = new Map<string, { event: EventData; raw: string | null; until: number }>();

  async function load(packId: string): Promise<EventData> {
    const raw = await redis.get(keys.agenda.event(packId));
    const cached = cache.get(packId);
    let event: EventData | undefined;
    if (raw && cached?.raw === raw) event = cached.event;
    else if (raw) {
      // Parsed once per stored version; one stored before the bounds is clipped, never rendered whole.
      const read = clipEvent(parseJson(raw));
      if (read) event = read.event;
      if (read && read.clipped.length > 0) onProblem(packId, { clipped: read.clipped });
      if (!read) onProblem(packId, { unreadable: true });
    }
    event ??= samples.get(packId);
    if (!event) throw new AppError('EVENT.NOT_FOUND', `No event is loaded for pack ${packId}.`);
    cache.set(packId, { event, raw, until: now() + cacheMs });
    return event;
  }

  return {
    async get(packId) {
      const cached = cache.get(packId);
      if (cached && cached.until > now()) return cached.event;
      return load(packId);
    },
    async put(packId, event) {
      const raw = JSON.stringify(event);
      await redis.set(keys.agenda.event(packId), raw);
      cache.set(packId, { event, raw, until: now() + cacheMs });
    },
    async seed(packId, event) {
      const stored = (await redis.set(keys.agenda.event(packId), JSON.stringify(event), 'NX')) === 'OK';
      cache.delete(packId);
      return stored;
    },
  };
}
