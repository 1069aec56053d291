/** "Toa maoni": rates a session 1-5 once it has started; a second rating replaces the first. */
import { sessionPhase } from '../../feedback/feedback';
import { param, type HostAction } from './types';

export const rateSession: HostAction = async (call, deps) => {
  const code = param(call, 'session');
  const rating = Number(param(call, 'rating'));
  if (!deps.engage || !Number.isInteger(rating) || rating < 1 || rating > 5) return { result: 'error' };
  const event = await deps.agenda.get(call.pack.id);
  const session = event.sessions.find((s) => s.code === code);
  if (!session) return { result: 'error' };
  const now = deps.clock.now();
  if (sessionPhase(event, session, now) === 'before') return { result: 'not_started' };
  const { updated } = await deps.engage.feedback.rate(call.pack.id, { session: code, phone: call.phone, rating, comment: '', at: now.toISOString(), lang: call.lang, channel: 'ussd' });
  return { result: updated ? 'updated' : 'ok' };
};
