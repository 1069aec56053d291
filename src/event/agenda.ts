/** The live event of a pack (agenda, themes, cohorts), seeded from the pack and edited by organisers. */
import type { EventData } from './event-schema';

export interface AgendaRepository {
  /** The live event; the pack's sample when none was stored yet. */
  get(packId: string): Promise<EventData>;
  /** Replaces the stored event (validated by the caller). */
  put(packId: string, event: EventData): Promise<void>;
  /** Stores `event` only when the pack has none yet; true when it stored. */
  seed(packId: string, event: EventData): Promise<boolean>;
}
