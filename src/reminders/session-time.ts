/** Session times for reminders and digests: the event's one definition (src/event/session-time). */
export { localInstant, sessionStart } from '../event/session-time';
