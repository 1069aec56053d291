/** Checks the registered caller in for today (the event's local day); twice is the same as once. */
import { localDate } from '../../kernel/local-time';
import type { HostAction } from './types';

export const checkIn: HostAction = async (call, deps) => {
  if (!deps.engage) return { result: 'error' };
  const delegate = await deps.delegates.get(call.pack.id, call.phone);
  if (!delegate) return { result: 'unregistered' };
  const event = await deps.agenda.get(call.pack.id);
  const now = deps.clock.now();
  const result = await deps.engage.checkins.checkIn(call.pack.id, { phone: call.phone, day: localDate(now, event.utcOffset), at: now.toISOString(), by: 'ussd' });
  return { result: result.created ? 'ok' : 'exists' };
};
