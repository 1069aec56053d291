/**
 * Actions the conference's host implements (src/ussd/actions): the parameters an action node
 * passes and the outcomes it answers. flows:check validates every action node against this table;
 * adding an action is one line here plus its implementation, never an engine change.
 */
import type { ActionSpec } from '../engine';

/** Each action's parameters and outcomes, by the name action nodes use. */
export const EVENT_ACTIONS = {
  register: { params: ['name', 'institution', 'institutionType', 'cohort'], outcomes: ['ok', 'exists', 'error'] },
  set_language: { params: ['lang'], outcomes: ['ok', 'error'] },
  cancel_registration: { params: [], outcomes: ['ok', 'error'] },
  erase_me: { params: [], outcomes: ['ok', 'error'] },
  subscribe_reminder: { params: ['session'], outcomes: ['ok', 'exists', 'over', 'error'] },
  unsubscribe_reminder: { params: ['session'], outcomes: ['ok', 'missing', 'error'] },
  /** A 1-5 rating of a session that has started; `updated` when it replaced the caller's earlier one. */
  rate_session: { params: ['session', 'rating'], outcomes: ['ok', 'updated', 'not_started', 'error'] },
  /** A question to the panel of a session that is not over (held for moderation). */
  ask_question: { params: ['session', 'question'], outcomes: ['ok', 'closed', 'error'] },
  /** Checks a registered caller in for today; `exists` when already checked in. */
  check_in: { params: [], outcomes: ['ok', 'exists', 'unregistered', 'error'] },
  /** Registers the caller from their invitation (name, institution, type, cohort as imported). */
  accept_invitation: { params: [], outcomes: ['ok', 'exists', 'error'] },
  /** Puts the caller's invitation into `values` (name, institution, institutionType, cohort) to correct before registering. */
  load_invitation: { params: [], outcomes: ['ok', 'error'] },
} as const satisfies Record<string, ActionSpec>;

/** The conference's action names; the USSD host must implement every one. */
export type EventActionName = keyof typeof EVENT_ACTIONS;
