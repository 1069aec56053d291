/**
 * The engine's entry points. Each is a pure function of (pack, snapshot, input, context): it
 * returns a new snapshot, the screen or the action the host must run, and effects to record. It
 * never mutates its arguments, reads no clock and does no I/O.
 */
import { isActionName } from './actions';
import { kindOf } from './nodes/registry';
import type { Entered, Handled } from './nodes/kind';
import type { FlowNode } from './nodes/schemas';
import { createRuntime, message } from './runtime';
import { sanitizeInput } from './sanitize';
import { pageText } from './screen';
import type { Effect, EngineContext, FlowPack, Language, Screen, Snapshot, StepResult, Value } from './types';

const HISTORY_LIMIT = 30;

type Failure = { code: string; message: string };

function clone(snapshot: Snapshot): Snapshot {
  return { ...snapshot, values: { ...snapshot.values }, history: snapshot.history.map((h) => ({ ...h })) };
}

/** Ends the session cleanly with the catalogue's failure screen. */
function fail(pack: FlowPack, snapshot: Snapshot, effects: Effect[], failure: Failure): StepResult {
  const text = message(pack, snapshot.lang, 'failure.generic') || 'Samahani, kuna hitilafu. / Sorry, something went wrong.';
  effects.push({ type: 'session_failed', node: snapshot.node, code: failure.code });
  return { snapshot: { ...snapshot, ended: true }, screen: { type: 'END', text }, effects, failure };
}

/** Renders the snapshot's node and page (with an optional re-prompt reason). */
function show(pack: FlowPack, snapshot: Snapshot, ctx: EngineContext, effects: Effect[], reason?: Handled & { kind: 'reprompt' }): StepResult {
  const node = pack.nodes[snapshot.node];
  const kind = node && kindOf(node);
  if (!node || !kind?.render) return fail(pack, snapshot, effects, { code: 'FLOW.NODE_MISSING', message: `node '${snapshot.node}' has no screen` });
  const rt = createRuntime(pack, ctx, snapshot.lang, snapshot.values);
  const view = kind.render(node, rt);
  const { text, page } = pageText(pack, snapshot, view, reason && rt.text(reason.reason, reason.vars));
  const next: Snapshot = { ...snapshot, page, ended: view.type === 'END' };
  if (next.ended) effects.push({ type: 'session_ended', node: snapshot.node });
  return { snapshot: next, screen: { type: view.type, text }, effects };
}

/** Enters `target` and follows transient nodes (routes) until a screen or an action. */
function enter(pack: FlowPack, start: Snapshot, ctx: EngineContext, target: string | null, effects: Effect[]): StepResult {
  const snapshot = start;
  let current = target;
  for (let auto = 0; ; auto += 1) {
    if (current === null) return fail(pack, snapshot, effects, { code: 'FLOW.NO_BRANCH', message: `no branch of '${snapshot.node}' applies` });
    const node: FlowNode | undefined = pack.nodes[current];
    if (!node) return fail(pack, snapshot, effects, { code: 'FLOW.NODE_MISSING', message: `node '${current}' not in pack ${pack.id}` });
    if (auto > pack.screen.maxAutoTransitions)
      return fail(pack, snapshot, effects, { code: 'FLOW.LOOP', message: `more than ${pack.screen.maxAutoTransitions} transitions without input` });
    snapshot.node = current;
    snapshot.page = 0;
    // Home is the root: reaching it by any link or outcome starts the back trail afresh.
    if (current === pack.start) snapshot.history = [];
    effects.push({ type: 'node_entered', node: current });
    const kind = kindOf(node);
    if (!kind.enter) return show(pack, snapshot, ctx, effects);
    const entered: Entered = kind.enter(node, createRuntime(pack, ctx, snapshot.lang, snapshot.values));
    if (entered.kind === 'action') {
      if (!isActionName(entered.action.name))
        return fail(pack, snapshot, effects, { code: 'FLOW.UNKNOWN_ACTION', message: `unknown action '${entered.action.name}'` });
      effects.push({ type: 'action_requested', node: current, action: entered.action.name });
      return { snapshot, pendingAction: entered.action, effects };
    }
    Object.assign(snapshot.values, entered.set ?? {});
    current = entered.to;
  }
}

/** Counts a step; null when the loop guard trips. */
function countStep(pack: FlowPack, snapshot: Snapshot): Failure | null {
  snapshot.steps += 1;
  return snapshot.steps > pack.screen.maxSteps ? { code: 'FLOW.TOO_MANY_STEPS', message: `more than ${pack.screen.maxSteps} steps in one session` } : null;
}

/**
 * Starts a session at the pack's start node. Language: `opts.lang`, else the registered
 * delegate's language, else the pack default.
 */
export function startSession(pack: FlowPack, ctx: EngineContext, opts?: { lang?: Language }): StepResult {
  const lang = opts?.lang ?? ctx.delegate?.language ?? pack.defaultLanguage;
  const snapshot: Snapshot = { packId: pack.id, flowVersion: pack.version, node: pack.start, lang, values: {}, page: 0, history: [], steps: 0, ended: false };
  return enter(pack, snapshot, ctx, pack.start, [{ type: 'session_started', lang }]);
}

/** Handles the navigation keys; null when `input` is not navigation here. */
function navigate(pack: FlowPack, snapshot: Snapshot, input: string, ctx: EngineContext, effects: Effect[]): StepResult | null {
  if (input === pack.nav.home.key) {
    snapshot.history = [];
    effects.push({ type: 'navigated', to: 'home' });
    return enter(pack, snapshot, ctx, pack.start, effects);
  }
  if (input === pack.nav.back.key) {
    effects.push({ type: 'navigated', to: 'back' });
    if (snapshot.page > 0) return show(pack, { ...snapshot, page: snapshot.page - 1 }, ctx, effects);
    const previous = snapshot.history.pop();
    if (previous) return show(pack, { ...snapshot, node: previous.node, page: previous.page }, ctx, effects);
    return show(pack, snapshot, ctx, effects);
  }
  if (input === pack.nav.more.key) {
    const probe = show(pack, { ...snapshot, page: snapshot.page + 1 }, ctx, []);
    if (probe.snapshot.page > snapshot.page) {
      effects.push({ type: 'navigated', to: 'more' });
      return { ...probe, effects };
    }
  }
  return null;
}

/** Applies one caller input to the session. */
export function step(pack: FlowPack, snapshot: Snapshot, rawInput: string, ctx: EngineContext): StepResult {
  const next = clone(snapshot);
  const effects: Effect[] = [];
  if (next.ended) return fail(pack, next, effects, { code: 'SESSION.ENDED', message: 'the session has ended; start a new one' });
  if (next.packId !== pack.id) return fail(pack, next, effects, { code: 'SESSION.WRONG_PACK', message: `snapshot of '${next.packId}' given pack '${pack.id}'` });
  const guard = countStep(pack, next);
  if (guard) return fail(pack, next, effects, guard);
  const node = pack.nodes[next.node];
  if (!node) return fail(pack, next, effects, { code: 'FLOW.NODE_MISSING', message: `node '${next.node}' is gone from pack ${pack.id}` });
  const kind = kindOf(node);
  if (!kind.handle) return fail(pack, next, effects, { code: 'ENGINE.ACTION_PENDING', message: 'an action is pending; call resolveAction' });
  next.flowVersion = pack.version;
  const input = sanitizeInput(rawInput);
  const navigation = kind.navigation?.(node) ?? true;
  const navigated = navigation ? navigate(pack, next, input, ctx, effects) : null;
  if (navigated) return navigated;
  const handled = kind.handle(node, input, createRuntime(pack, ctx, next.lang, next.values));
  if (handled.kind === 'reprompt') {
    effects.push({ type: 'input_rejected', node: next.node, reason: handled.reason });
    return show(pack, next, ctx, effects, handled);
  }
  next.history = [...next.history, { node: next.node, page: next.page }].slice(-HISTORY_LIMIT);
  Object.assign(next.values, handled.set ?? {});
  // Branches are chosen after the new value is stored, so `when: values.x == ...` sees it.
  const target = createRuntime(pack, ctx, next.lang, next.values).next(handled.next);
  return enter(pack, next, ctx, target, effects);
}

/** Continues after the host ran the pending action, following the outcome's mapping. */
export function resolveAction(
  pack: FlowPack,
  snapshot: Snapshot,
  outcome: { result: string; values?: Snapshot['values'] },
  ctx: EngineContext,
): StepResult {
  const next = clone(snapshot);
  const effects: Effect[] = [{ type: 'action_resolved', node: next.node, result: outcome.result }];
  const node = pack.nodes[next.node];
  if (!node || node.type !== 'action') return fail(pack, next, effects, { code: 'ENGINE.NO_PENDING_ACTION', message: `node '${next.node}' is not an action` });
  const guard = countStep(pack, next);
  if (guard) return fail(pack, next, effects, guard);
  const target = Object.prototype.hasOwnProperty.call(node.outcomes, outcome.result) ? node.outcomes[outcome.result] : undefined;
  if (target === undefined)
    return fail(pack, next, effects, { code: 'FLOW.UNMAPPED_OUTCOME', message: `action '${node.action}' outcome '${outcome.result}' has no target in '${next.node}'` });
  Object.assign(next.values, outcome.values ?? {});
  if (node.action === 'set_language' && outcome.result === 'ok') switchLanguage(pack, next, ctx, node.params.lang, effects);
  return enter(pack, next, ctx, target, effects);
}

function switchLanguage(pack: FlowPack, snapshot: Snapshot, ctx: EngineContext, template: string | undefined, effects: Effect[]): void {
  const lang: Value = createRuntime(pack, ctx, snapshot.lang, snapshot.values).fill(template ?? '');
  if ((pack.languages as string[]).includes(lang)) {
    snapshot.lang = lang as Language;
    effects.push({ type: 'language_changed', lang });
  }
}

/**
 * Shows the snapshot's current screen again (resume after a dropped session). A snapshot left on
 * an action node asks for the action again, so host actions must be safe to repeat.
 */
export function renderCurrent(pack: FlowPack, snapshot: Snapshot, ctx: EngineContext): StepResult {
  const next = clone(snapshot);
  const effects: Effect[] = [{ type: 'session_resumed', node: next.node }];
  const node = pack.nodes[next.node];
  if (!node || next.ended) return fail(pack, next, effects, { code: 'SESSION.NOT_RESUMABLE', message: `node '${next.node}' cannot be resumed` });
  next.flowVersion = pack.version;
  if (kindOf(node).enter) return enter(pack, next, ctx, next.node, effects);
  return show(pack, next, ctx, effects);
}

/** "1. Endelea 2. Anza upya": the session language first, the other language in brackets. */
export function resumePrompt(pack: FlowPack, lang: Language): Screen {
  const other = pack.languages.find((l) => l !== lang) ?? lang;
  const both = (key: string): string => {
    const first = message(pack, lang, key);
    const second = message(pack, other, key);
    return second && second !== first ? `${first} (${second})` : first;
  };
  return { type: 'CON', text: [message(pack, lang, 'resume.title'), `1. ${both('resume.continue')}`, `2. ${both('resume.restart')}`].join('\n') };
}
