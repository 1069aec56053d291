/** The host's implementation of every engine action, by name. */
import type { EventActionName } from '../../event/actions';
import { askQuestion } from './ask-question';
import { cancelRegistration } from './cancel-registration';
import { checkIn } from './check-in';
import { eraseMe } from './erase-me';
import { rateSession } from './rate-session';
import { acceptInvitation, loadInvitation } from './invitation';
import { register } from './register';
import { setLanguage } from './set-language';
import { subscribeReminder } from './subscribe-reminder';
import type { HostAction } from './types';
import { unsubscribeReminder } from './unsubscribe-reminder';

/** Keyed by the conference's action names: declaring an action in src/event/actions.ts without an implementation here does not compile. */
export const HOST_ACTIONS: Record<EventActionName, HostAction> = {
  register,
  set_language: setLanguage,
  cancel_registration: cancelRegistration,
  erase_me: eraseMe,
  subscribe_reminder: subscribeReminder,
  unsubscribe_reminder: unsubscribeReminder,
  rate_session: rateSession,
  ask_question: askQuestion,
  check_in: checkIn,
  accept_invitation: acceptInvitation,
  load_invitation: loadInvitation,
};

/** The implementation of action `name`, or undefined when the host has none. */
export function hostAction(name: string): HostAction | undefined {
  return Object.prototype.hasOwnProperty.call(HOST_ACTIONS, name) ? HOST_ACTIONS[name as EventActionName] : undefined;
}

export type { ActionDeps, HostAction } from './types';
