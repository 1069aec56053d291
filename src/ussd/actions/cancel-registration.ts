/** Cancels the caller's registration: the record, the code and the reminders go. */
import type { HostAction } from './types';

export const cancelRegistration: HostAction = async (call, deps) => {
  const subscribed = await deps.reminders.listForPhone(call.pack.id, call.phone);
  const erased = await deps.delegates.erase(call.pack.id, call.phone);
  for (const code of subscribed) await deps.onSubscriptionChanged?.(call.pack.id, call.phone, code, false);
  return { result: erased ? 'ok' : 'error' };
};
