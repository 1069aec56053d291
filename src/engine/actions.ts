/**
 * Actions the host implements. The engine only names them (a pending action); flows:check
 * validates every action node against this table.
 */
export type ActionName =
  | 'register'
  | 'set_language'
  | 'cancel_registration'
  | 'erase_me'
  | 'subscribe_reminder'
  | 'unsubscribe_reminder';

export interface ActionSpec {
  params: string[];
  outcomes: string[];
}

export const ACTIONS: Record<ActionName, ActionSpec> = {
  register: { params: ['name', 'institution', 'institutionType', 'cohort'], outcomes: ['ok', 'exists', 'error'] },
  set_language: { params: ['lang'], outcomes: ['ok', 'error'] },
  cancel_registration: { params: [], outcomes: ['ok', 'error'] },
  erase_me: { params: [], outcomes: ['ok', 'error'] },
  subscribe_reminder: { params: ['session'], outcomes: ['ok', 'exists', 'error'] },
  unsubscribe_reminder: { params: ['session'], outcomes: ['ok', 'missing', 'error'] },
};

export function isActionName(name: string): name is ActionName {
  return Object.prototype.hasOwnProperty.call(ACTIONS, name);
}
