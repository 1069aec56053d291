/** When a session starts, as an instant: its day and local start time in the event's UTC offset. */
import type { EventData, EventSession } from '../event/event-schema';

export function sessionStart(event: Pick<EventData, 'utcOffset'>, session: Pick<EventSession, 'day' | 'start'>): Date {
  return new Date(`${session.day}T${session.start}:00${event.utcOffset}`);
}

/** The instant of a local wall-clock time (HH:MM) on an event day. */
export function localInstant(event: Pick<EventData, 'utcOffset'>, day: string, hhmm: string): Date {
  return new Date(`${day}T${hhmm}:00${event.utcOffset}`);
}
