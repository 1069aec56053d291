/**
 * The two steps of an invitee: `accept_invitation` registers the caller exactly as organisers
 * invited them (one key from the welcome screen); `load_invitation` puts the invitation into the
 * session's values so the caller can correct a detail on the usual confirm screen first.
 */
import type { HostAction } from './types';
import { register } from './register';

export const acceptInvitation: HostAction = async (call, deps) => {
  const invitee = await deps.invitees?.get(call.pack.id, call.phone);
  if (!invitee) return { result: 'error' };
  const { name, institution, institutionType, cohort } = invitee;
  const outcome = await register({ ...call, params: { name, institution, institutionType, cohort } }, deps);
  // The next screen thanks them by name, as after the ordinary registration.
  return { ...outcome, values: { ...outcome.values, name } };
};

export const loadInvitation: HostAction = async (call, deps) => {
  const invitee = await deps.invitees?.get(call.pack.id, call.phone);
  if (!invitee) return { result: 'error' };
  const { name, institution, institutionType, cohort } = invitee;
  return { result: 'ok', values: { name, institution, institutionType, cohort, editing: true } };
};
