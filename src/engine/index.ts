/** The flow engine: pure functions from (pack, snapshot, input, context) to the next step. */
export type { Language, Screen, Snapshot, PendingAction, Effect, StepResult, EngineContext, DelegateView, FlowPack, NavKey, ScreenSettings, Value } from './types';
export { LANGUAGES } from './types';
export type { ActionName, ActionSpec } from './actions';
export { ACTIONS, isActionName } from './actions';
export { startSession, step, resolveAction, renderCurrent, resumePrompt } from './session';
export { matchServiceCode, baseServiceCode, splitUssdText } from './service-code';
export { sanitizeInput, toGsm } from './sanitize';
export { renderTemplate, templateVariables } from './template';
export { normalizeTzMobile } from './validators';
export { paginate, fitSingle } from './paginate';
export { parseCondition } from './conditions';
export { FlowNodeSchema, type FlowNode } from './nodes/schemas';
export { kindOf, NODE_TYPES } from './nodes/registry';
export { LIST_PROVIDERS, type ListItem, type ListProvider } from '../event/providers/registry';
export { CONTEXT_VARIABLES, variableMaxLengths } from './template-vars';
export { ENGINE_MESSAGES } from './required-messages';
export type { EventData } from '../event/event-schema';
