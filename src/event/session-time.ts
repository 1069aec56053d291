/**
 * When things happen at the event, as instants: session times in the event data are the event's
 * wall clock (`event.utcOffset`, e.g. "+03:00" for Africa/Dar_es_Salaam). USSD's "now and next",
 * reminders and digests all read times through here.
 */
import type { EventData, EventSession } from './event-schema';

/** The instant of a local wall-clock time (HH:MM) on an event day (YYYY-MM-DD). */
export function localInstant(event: Pick<EventData, 'utcOffset'>, day: string, hhmm: string): Date {
  return new Date(`${day}T${hhmm}:00${event.utcOffset}`);
}

/** When a session starts. */
export function sessionStart(event: Pick<EventData, 'utcOffset'>, session: Pick<EventSession, 'day' | 'start'>): Date {
  return localInstant(event, session.day, session.start);
}

/** When a session ends. */
export function sessionEnd(event: Pick<EventData, 'utcOffset'>, session: Pick<EventSession, 'day' | 'end'>): Date {
  return localInstant(event, session.day, session.end);
}
