/**
 * The vocabulary a pack is loaded and checked against: the engine's vocabulary plus how to build
 * the context flows:check measures screens on from the pack's sample data (event.yaml). The
 * conference's is the default; another kind of service passes its own to the loader.
 */
import type { Vocabulary } from '../engine';
import { sampleContext, type EventContext } from '../event/context';
import type { EventData } from '../event/event-schema';
import { eventVocabulary } from '../event/vocabulary';

export interface PackVocabulary<C> extends Vocabulary<C> {
  /** The context of a caller nobody knows yet, on the pack's sample data. */
  sampleContext(event: EventData): C;
}

/** The conference's vocabulary with its sample context: what the loader uses when given none. */
export const EVENT_PACK_VOCABULARY: PackVocabulary<EventContext> = { ...eventVocabulary, sampleContext };
