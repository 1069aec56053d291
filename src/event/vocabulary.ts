/**
 * The conference's vocabulary for the engine: its list providers, template variables, condition
 * names and actions, plus the caller's language (a registered delegate's). The engine and the pack
 * checker get it as an argument; nothing of it lives in src/engine.
 */
import { defineVocabulary } from '../engine';
import { EVENT_ACTIONS } from './actions';
import { EVENT_CONDITIONS } from './conditions';
import type { EventContext } from './context';
import { EVENT_LIST_PROVIDERS } from './providers/registry';
import { EVENT_VARIABLE_TABLE } from './variables';

/** The conference's vocabulary (see the module comment). */
export const eventVocabulary = defineVocabulary<EventContext>({
  lists: EVENT_LIST_PROVIDERS,
  variables: EVENT_VARIABLE_TABLE,
  conditions: EVENT_CONDITIONS,
  actions: EVENT_ACTIONS,
  callerLanguage: (ctx) => ctx.delegate?.language,
});
