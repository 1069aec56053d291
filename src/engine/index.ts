/**
 * The flow engine: pure functions from (pack, snapshot, input, context) to the next step, bound to
 * a host's vocabulary by `createEngine`. Imports nothing but the kernel.
 */
export type { Language, Screen, Snapshot, PendingAction, ActionOutcome, Effect, StepResult, FlowPack, NavKey, ScreenSettings, Value } from './types';
export { LANGUAGES } from './types';
export type { ActionSpec, Condition, ListArgs, ListItem, ListProvider, VariableArgs, VariableTable, Vocabulary } from './vocabulary';
export { defineVocabulary } from './vocabulary';
export { createEngine, type Engine } from './session';
export { resumePrompt } from './screen';
export { matchServiceCode, baseServiceCode, splitUssdText } from './service-code';
export { sanitizeInput, sanitizeDisplay, toGsm } from './sanitize';
export { renderTemplate, templateVariables } from './template';
export { normalizeTzMobile } from './validators';
export { paginate, fitSingle } from './paginate';
export { parseCondition } from './conditions';
export { FlowNodeSchema, type FlowNode } from './nodes/schemas';
export { LATE_ENDED_KEY } from './nodes/action';
export { kindOf, NODE_TYPES } from './nodes/registry';
export { ENGINE_VARIABLES, variableNames, variableMaxLengths } from './variables';
export { requiredMessages } from './required-messages';
