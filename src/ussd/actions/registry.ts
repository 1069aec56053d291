/** The host's implementation of every engine action, by name. */
import type { ActionName } from '../../engine';
import { cancelRegistration } from './cancel-registration';
import { eraseMe } from './erase-me';
import { register } from './register';
import { setLanguage } from './set-language';
import { subscribeReminder } from './subscribe-reminder';
import type { HostAction } from './types';
import { unsubscribeReminder } from './unsubscribe-reminder';

export const HOST_ACTIONS: Record<ActionName, HostAction> = {
  register,
  set_language: setLanguage,
  cancel_registration: cancelRegistration,
  erase_me: eraseMe,
  subscribe_reminder: subscribeReminder,
  unsubscribe_reminder: unsubscribeReminder,
};

export type { ActionDeps, HostAction } from './types';
