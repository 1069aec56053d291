/**
 * The engine's entry points, bound to a host's vocabulary by {@link createEngine}. Each is a pure
 * function of (pack, snapshot, input, context): it returns a new snapshot, the screen or the
 * action the host must run, and effects to record. It never mutates its arguments, reads no clock
 * and does no I/O; the context is the host's and only the vocabulary's functions read it.
 */
import type { Language } from '../kernel/language';
import { kindOf } from './nodes/registry';
import type { Entered, Handled } from './nodes/kind';
import type { FlowNode } from './nodes/schemas';
import { createRuntime, message, type Runtime } from './runtime';
import { sanitizeInput } from './sanitize';
import { pageText } from './screen';
import type { ActionOutcome, Effect, FlowPack, Snapshot, StepResult } from './types';
import type { Vocabulary } from './vocabulary';

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

/** The vocabulary bound to one call's context: the functions below never see the context itself. */
interface Host {
  runtime(pack: FlowPack, snapshot: Snapshot): Runtime;
  knows(action: string): boolean;
}

/** Renders the snapshot's node and page (with an optional re-prompt reason). */
function show(pack: FlowPack, snapshot: Snapshot, host: Host, effects: Effect[], reason?: Handled & { kind: 'reprompt' }): StepResult {
  const node = pack.nodes[snapshot.node];
  const kind = node && kindOf(node);
  if (!node || !kind?.render) return fail(pack, snapshot, effects, { code: 'FLOW.NODE_MISSING', message: `node '${snapshot.node}' has no screen` });
  const rt = host.runtime(pack, snapshot);
  const view = kind.render(node, rt);
  const { text, page } = pageText(pack, snapshot, view, reason && rt.text(reason.reason, reason.vars));
  const next: Snapshot = { ...snapshot, page, ended: view.type === 'END' };
  if (next.ended) effects.push({ type: 'session_ended', node: snapshot.node });
  return { snapshot: next, screen: { type: view.type, text }, message: view.body.filter((line) => line !== '').join('\n'), effects };
}

/** Enters `target` and follows transient nodes (routes) until a screen or an action. */
function enter(pack: FlowPack, start: Snapshot, host: Host, target: string | null, effects: Effect[]): StepResult {
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
    if (!kind.enter) return show(pack, snapshot, host, effects);
    const entered: Entered = kind.enter(node, host.runtime(pack, snapshot));
    if (entered.kind === 'action') {
      if (!host.knows(entered.action.name))
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

/** Handles the navigation keys; null when `input` is not navigation here. */
function navigate(pack: FlowPack, snapshot: Snapshot, input: string, host: Host, effects: Effect[]): StepResult | null {
  if (input === pack.nav.home.key) {
    snapshot.history = [];
    effects.push({ type: 'navigated', to: 'home' });
    return enter(pack, snapshot, host, pack.start, effects);
  }
  if (input === pack.nav.back.key) {
    effects.push({ type: 'navigated', to: 'back' });
    if (snapshot.page > 0) return show(pack, { ...snapshot, page: snapshot.page - 1 }, host, effects);
    const previous = snapshot.history.pop();
    if (previous) return show(pack, { ...snapshot, node: previous.node, page: previous.page }, host, effects);
    return show(pack, snapshot, host, effects);
  }
  if (input === pack.nav.more.key) {
    const probe = show(pack, { ...snapshot, page: snapshot.page + 1 }, host, []);
    if (probe.snapshot.page > snapshot.page) {
      effects.push({ type: 'navigated', to: 'more' });
      return { ...probe, effects };
    }
  }
  return null;
}

function startSession(pack: FlowPack, host: Host, lang: Language): StepResult {
  const snapshot: Snapshot = { packId: pack.id, flowVersion: pack.version, node: pack.start, lang, values: {}, page: 0, history: [], steps: 0, ended: false };
  return enter(pack, snapshot, host, pack.start, [{ type: 'session_started', lang }]);
}

function step(pack: FlowPack, snapshot: Snapshot, rawInput: string, host: Host): StepResult {
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
  const navigated = navigation ? navigate(pack, next, input, host, effects) : null;
  if (navigated) return navigated;
  const handled = kind.handle(node, input, host.runtime(pack, next));
  if (handled.kind === 'reprompt') {
    effects.push({ type: 'input_rejected', node: next.node, reason: handled.reason });
    return show(pack, next, host, effects, handled);
  }
  next.history = [...next.history, { node: next.node, page: next.page }].slice(-HISTORY_LIMIT);
  Object.assign(next.values, handled.set ?? {});
  // Branches are chosen after the new value is stored, so `when: values.x == ...` sees it.
  const target = host.runtime(pack, next).next(handled.next);
  return enter(pack, next, host, target, effects);
}

function resolveAction(pack: FlowPack, snapshot: Snapshot, outcome: ActionOutcome, host: Host): StepResult {
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
  // Any action may move the session to another language the pack offers (the host decides which).
  if (outcome.language !== undefined && pack.languages.includes(outcome.language)) {
    next.lang = outcome.language;
    effects.push({ type: 'language_changed', lang: outcome.language });
  }
  return enter(pack, next, host, target, effects);
}

function renderCurrent(pack: FlowPack, snapshot: Snapshot, host: Host): StepResult {
  const next = clone(snapshot);
  const effects: Effect[] = [{ type: 'session_resumed', node: next.node }];
  const node = pack.nodes[next.node];
  if (!node || next.ended) return fail(pack, next, effects, { code: 'SESSION.NOT_RESUMABLE', message: `node '${next.node}' cannot be resumed` });
  next.flowVersion = pack.version;
  if (kindOf(node).enter) return enter(pack, next, host, next.node, effects);
  return show(pack, next, host, effects);
}

/** The engine's entry points for one vocabulary; `C` is the host's context, passed on every call. */
export interface Engine<C> {
  readonly vocabulary: Vocabulary<C>;
  /**
   * Starts a session at the pack's start node. Language: `opts.lang`, else the caller's language
   * (the vocabulary's `callerLanguage`), else the pack default.
   */
  startSession(pack: FlowPack, ctx: C, opts?: { lang?: Language }): StepResult;
  /** Applies one caller input to the session. */
  step(pack: FlowPack, snapshot: Snapshot, rawInput: string, ctx: C): StepResult;
  /** Continues after the host ran the pending action, following the outcome's mapping. */
  resolveAction(pack: FlowPack, snapshot: Snapshot, outcome: ActionOutcome, ctx: C): StepResult;
  /**
   * Shows the snapshot's current screen again (resume after a dropped session). A snapshot left on
   * an action node asks for the action again, so host actions must be safe to repeat.
   */
  renderCurrent(pack: FlowPack, snapshot: Snapshot, ctx: C): StepResult;
}

/** Binds the engine to a host's vocabulary, as xstate's `setup({ actions, guards })` does. Pure; keeps no state. */
export function createEngine<C>(vocabulary: Vocabulary<C>): Engine<C> {
  const knows = (action: string): boolean => Object.prototype.hasOwnProperty.call(vocabulary.actions, action);
  const host = (ctx: C): Host => ({ runtime: (pack, snapshot) => createRuntime(pack, vocabulary, ctx, snapshot.lang, snapshot.values), knows });
  return {
    vocabulary,
    startSession: (pack, ctx, opts) => startSession(pack, host(ctx), opts?.lang ?? vocabulary.callerLanguage?.(ctx) ?? pack.defaultLanguage),
    step: (pack, snapshot, rawInput, ctx) => step(pack, snapshot, rawInput, host(ctx)),
    resolveAction: (pack, snapshot, outcome, ctx) => resolveAction(pack, snapshot, outcome, host(ctx)),
    renderCurrent: (pack, snapshot, ctx) => renderCurrent(pack, snapshot, host(ctx)),
  };
}
