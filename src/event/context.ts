/**
 * What the conference's vocabulary reads on every engine call: the caller's registration, the live
 * event and the caller's reminders, loaded by the host before the call. The engine carries it
 * without looking inside.
 */
import type { Delegate } from './delegates';
import type { EventData } from './event-schema';
import type { Invitee } from './invitees';

/** The fields of a delegate that screens may show. */
export type DelegateView = Pick<Delegate, 'name' | 'institution' | 'institutionType' | 'cohort' | 'code' | 'language'>;

export interface EventContext {
  /** ISO instant of the call (the host's clock; the engine reads none). */
  now: string;
  phone: string;
  delegate: DelegateView | null;
  event: EventData;
  /** Session codes the caller subscribed to. */
  reminders: string[];
  /** The short code the pack answers SMS on ('' when none). */
  shortCode?: string;
  /** The caller's invitation, when organisers invited this phone (shown until they register). */
  invitee?: Pick<Invitee, 'name' | 'institution' | 'institutionType' | 'cohort'> | null;
}

/** The context flows:check measures a pack on: its sample event, nobody registered, no reminders. */
export function sampleContext(event: EventData): EventContext {
  return { now: '', phone: '', delegate: null, event, reminders: [] };
}
