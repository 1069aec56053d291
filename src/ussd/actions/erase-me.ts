/**
 * Erases the caller's personal data on request (PDPA 2022): the registration, reminders and
 * every trace keyed by the phone that the gateway controls.
 */
import type { HostAction } from './types';

export const eraseMe: HostAction = async (call, deps) => {
  const subscribed = await deps.reminders.listForPhone(call.pack.id, call.phone);
  await deps.erasePerson(call.pack.id, call.phone);
  for (const code of subscribed) await deps.onSubscriptionChanged?.(call.pack.id, call.phone, code, false);
  return { result: 'ok' };
};
