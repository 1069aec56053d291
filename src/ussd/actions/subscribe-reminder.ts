/** Subscribes the caller to a session's reminder; a session that has begun or ended answers `over` (no reminder could come). */
import { sessionStart } from '../../event/session-time';
import { param, type HostAction } from './types';

export const subscribeReminder: HostAction = async (call, deps) => {
  const code = param(call, 'session');
  const event = await deps.agenda.get(call.pack.id);
  const session = event.sessions.find((s) => s.code === code);
  if (!session) return { result: 'error' };
  if (sessionStart(event, session).getTime() <= deps.clock.now().getTime()) return { result: 'over' };
  const added = await deps.reminders.subscribe(call.pack.id, call.phone, code);
  if (added) await deps.onSubscriptionChanged?.(call.pack.id, call.phone, code, true);
  return { result: added ? 'ok' : 'exists' };
};
