/** The engine bound to the conference's vocabulary: what the USSD service and tests run. */
import { createEngine } from '../engine';
import type { EventContext } from './context';
import { eventVocabulary } from './vocabulary';

export const eventEngine = createEngine<EventContext>(eventVocabulary);

export const { startSession, step, resolveAction, renderCurrent } = eventEngine;
export { resumePrompt } from '../engine';
export type { DelegateView, EventContext, EventContext as EngineContext } from './context';
