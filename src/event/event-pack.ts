/** A flow pack as the conference runs it: the engine's pack plus its sample event (event.yaml). */
import type { FlowPack } from '../engine';
import type { EventData } from './event-schema';

export interface EventPack extends FlowPack {
  /** The pack's sample event; the live copy is the agenda store's, seeded from this one. */
  event: EventData;
  /** The short code delegates text (pack.yaml `sms.shortCodes[0]`), shown as `{sms.shortCode}`. */
  shortCode?: string;
}
