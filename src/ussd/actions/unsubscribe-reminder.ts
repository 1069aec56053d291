/** Removes the caller's reminder for a session. */
import { param, type HostAction } from './types';

export const unsubscribeReminder: HostAction = async (call, deps) => {
  const code = param(call, 'session');
  const removed = await deps.reminders.unsubscribe(call.pack.id, call.phone, code);
  if (removed) await deps.onSubscriptionChanged?.(call.pack.id, call.phone, code, false);
  return { result: removed ? 'ok' : 'missing' };
};
