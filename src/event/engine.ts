/** The engine bound to the conference's vocabulary: what the USSD service and tests run. */
import { createEngine } from '../engine';
import type { EventContext } from './context';
import { eventVocabulary } from './vocabulary';

/** Pure and stateless: one instance serves every pack and every call. */
export const eventEngine = createEngine<EventContext>(eventVocabulary);

/** The conference engine's entry points, for callers that need no other vocabulary. */
export const { startSession, step, resolveAction, renderCurrent } = eventEngine;
export { resumePrompt } from '../engine';
export type { DelegateView, EventContext, EventContext as EngineContext } from './context';
