/** Subscribes the caller to a session's reminder. */
import { param, type HostAction } from './types';

export const subscribeReminder: HostAction = async (call, deps) => {
  const code = param(call, 'session');
  const event = await deps.agenda.get(call.pack.id);
  if (!event.sessions.some((s) => s.code === code)) return { result: 'error' };
  const added = await deps.reminders.subscribe(call.pack.id, call.phone, code);
  if (added) await deps.onSubscriptionChanged?.(call.pack.id, call.phone, code, true);
  return { result: added ? 'ok' : 'exists' };
};
