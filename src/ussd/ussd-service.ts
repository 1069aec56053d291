/**
 * One USSD hop, as a story: find the pack, answer a retry from the hop cache, take the session's
 * lock, work out the new input, let the engine step, run the actions it asks for, save the
 * snapshot with the answer, and answer. Fields in, text out: no express here.
 */
import { matchServiceCode, resumePrompt, type Engine, type StepResult } from '../engine';
import type { Language } from '../kernel/language';
import type { EventContext } from '../event/context';
import { eventEngine } from '../event/engine';
import type { EventPack } from '../event/event-pack';
import type { Logger } from '../kernel/logger';
import type { AgendaRepository } from '../event/agenda';
import type { Clock } from '../kernel/clock';
import type { DelegateRepository } from '../event/delegates';
import type { ReminderRepository } from '../reminders/reminders';
import { hostAction, type ActionDeps } from './actions/registry';
import { newInput } from './inputs';
import type { UssdRequest } from './ussd-request';
import { hopKey, type HopStart, type ResumeRecord, type SessionRecord, type SessionStore } from './session-store.redis';
import { SYSTEM_SCREENS } from './system-messages';
import type { UssdStats } from './ussd-stats.redis';
import { AppError } from '../kernel/errors';

export interface UssdServiceDeps {
  packs: readonly EventPack[];
  sessions: SessionStore;
  delegates: DelegateRepository;
  reminders: ReminderRepository;
  agenda: AgendaRepository;
  actions: ActionDeps;
  stats: UssdStats;
  /** Told when a session begins (its first answered hop), with the caller's network; best effort. */
  onSessionStart?: (packId: string, networkCode: string) => void;
  clock: Clock;
  logger: Logger;
  defaultLanguage: Language;
  /** How long a hop waits for a concurrent hop of the same session. */
  lockWaitMs: number;
  /** The engine with the vocabulary the packs were checked against (default: the conference's). */
  engine?: Engine<EventContext>;
}

export interface UssdService {
  /** The full answer body (`CON ...` / `END ...`). Rejects only on infrastructure failure. */
  handle(request: UssdRequest): Promise<string>;
}

const MAX_ACTIONS_PER_HOP = 6;

/** Inputs carried by the dialled code itself: `*384*2015*2#` on a pack answering `*384*2015#`. */
export function codeInputs(pack: Pick<EventPack, 'serviceCodes'>, serviceCode: string): string[] {
  const dialled = serviceCode.trim().replace(/#$/, '');
  for (const code of pack.serviceCodes) {
    const base = code.replace(/#$/, '');
    if (dialled.startsWith(`${base}*`)) return dialled.slice(base.length + 1).split('*').filter((s) => s !== '');
  }
  return [];
}

function format(result: StepResult): string {
  const screen = result.screen;
  if (!screen) return SYSTEM_SCREENS.failed;
  return `${screen.type} ${screen.text}`;
}

export function createUssdService(deps: UssdServiceDeps): UssdService {
  const { startSession, step, resolveAction, renderCurrent } = deps.engine ?? eventEngine;

  async function context(pack: EventPack, phone: string): Promise<EventContext> {
    const [delegate, event, reminders] = await Promise.all([
      deps.delegates.get(pack.id, phone),
      deps.agenda.get(pack.id),
      deps.reminders.listForPhone(pack.id, phone),
    ]);
    const view = delegate && { name: delegate.name, institution: delegate.institution, institutionType: delegate.institutionType, cohort: delegate.cohort, code: delegate.code, language: delegate.language };
    return { now: deps.clock.now().toISOString(), phone, delegate: view, event, reminders };
  }

  /** Runs the actions the engine asks for until it shows a screen (the context is reloaded after each). */
  async function settle(pack: EventPack, phone: string, hopId: string, first: StepResult): Promise<StepResult> {
    let result = first;
    const effects = [...first.effects];
    for (let i = 0; result.pendingAction && i < MAX_ACTIONS_PER_HOP; i++) {
      const action = result.pendingAction;
      const call = { pack, phone, lang: result.snapshot.lang, params: action.params, hopId: `${hopId}:${i}` };
      const run = hostAction(action.name);
      const outcome = await (run ? run(call, deps.actions) : Promise.reject(new AppError('FLOW.UNKNOWN_ACTION', `No host action '${action.name}'.`))).catch((error: unknown) => {
        deps.logger.error({ err: error, action: action.name }, 'action failed');
        return { result: 'error' };
      });
      result = resolveAction(pack, result.snapshot, outcome, await context(pack, phone));
      effects.push(...result.effects);
    }
    return { ...result, effects };
  }

  async function feed(pack: EventPack, phone: string, hopId: string, start: StepResult, inputs: string[], ctx: EventContext): Promise<StepResult> {
    let result = await settle(pack, phone, hopId, start);
    const effects = [...result.effects];
    for (const [index, input] of inputs.entries()) {
      if (result.snapshot.ended || result.pendingAction) break;
      const fresh = effects.some((e) => e.type === 'action_resolved') ? await context(pack, phone) : ctx;
      result = await settle(pack, phone, `${hopId}:${index}`, step(pack, result.snapshot, input, fresh));
      effects.push(...result.effects);
    }
    return { ...result, effects };
  }

  async function beginSession(pack: EventPack, request: UssdRequest, hopId: string, ctx: EventContext, previous: ResumeRecord | null): Promise<{ result: StepResult; resumeOffer?: SessionRecord['resumeOffer'] }> {
    const lang = ctx.delegate?.language ?? (pack.languages.includes(deps.defaultLanguage) ? deps.defaultLanguage : pack.defaultLanguage);
    const inputs = [...codeInputs(pack, request.serviceCode), ...(request.text === '' ? [] : request.text.split('*'))];
    const started = startSession(pack, ctx, { lang });
    if (inputs.length === 0 && previous && previous.sessionId !== request.sessionId && previous.packId === pack.id) {
      const dropped = (await deps.sessions.load(previous.sessionId))?.snapshot;
      if (dropped && dropped.flowVersion === pack.version && !dropped.ended && dropped.node !== pack.start) {
        return { result: { snapshot: started.snapshot, screen: resumePrompt(pack, dropped.lang), effects: [] }, resumeOffer: dropped };
      }
    }
    return { result: await feed(pack, request.phone, hopId, started, inputs, ctx) };
  }

  async function carryOn(pack: EventPack, request: UssdRequest, record: SessionRecord, hopId: string, ctx: EventContext): Promise<{ result: StepResult; resumeOffer?: SessionRecord['resumeOffer'] }> {
    const input = newInput(record.consumed, request.text);
    if (record.resumeOffer) {
      const choice = input.kind === 'one' ? input.input.trim() : '';
      if (choice === '1') return { result: await settle(pack, request.phone, hopId, renderCurrent(pack, record.resumeOffer, ctx)) };
      if (choice === '2') {
        await deps.sessions.clearResume(request.phone);
        return { result: await settle(pack, request.phone, hopId, startSession(pack, ctx, { lang: record.snapshot.lang })) };
      }
      return { result: { snapshot: record.snapshot, screen: resumePrompt(pack, record.resumeOffer.lang), effects: [] }, resumeOffer: record.resumeOffer };
    }
    if (record.snapshot.ended) return { result: { snapshot: record.snapshot, screen: { type: 'END', text: SYSTEM_SCREENS.ended.slice(4) }, effects: [] } };
    if (input.kind === 'none') return { result: renderCurrent(pack, record.snapshot, ctx) };
    const inputs = input.kind === 'one' ? [input.input] : input.inputs;
    return { result: await feed(pack, request.phone, hopId, step(pack, record.snapshot, inputs[0] ?? '', ctx), inputs.slice(1), ctx) };
  }

  /** The cached answer, or the session's lock and snapshot; waits for a concurrent hop of the same session. */
  async function begin(sessionId: string, hop: string): Promise<Exclude<HopStart, { kind: 'busy' }>> {
    // Elapsed time on the monotonic timer, not the injected clock: a test's fixed clock must not stop the wait.
    const deadline = performance.now() + deps.lockWaitMs;
    for (;;) {
      const start = await deps.sessions.begin(sessionId, hop);
      if (start.kind !== 'busy') return start;
      if (performance.now() > deadline) throw new AppError('USSD.SESSION_BUSY', 'USSD session lock wait exceeded.');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  return {
    async handle(request) {
      const pack = matchServiceCode(deps.packs, request.serviceCode);
      if (!pack) return SYSTEM_SCREENS.unknownCode;
      // The caller's context and (for a dial) their resume pointer travel in the same round trip as the lock.
      const ctxLoad = context(pack, request.phone);
      const resumeLoad = request.text === '' ? deps.sessions.resumeFor(request.phone) : Promise.resolve(null);
      ctxLoad.catch(() => undefined);
      resumeLoad.catch(() => undefined);
      const hop = hopKey(request.text);
      const start = await begin(request.sessionId, hop);
      if (start.kind === 'replay') {
        deps.stats.recordHop(pack.id, [], 'replayed');
        return start.reply;
      }
      const { record, token } = start;
      try {
        if (record && (record.packId !== pack.id || record.snapshot.flowVersion !== pack.version)) {
          // The pack changed under a live session: end it cleanly rather than misroute it.
          await deps.sessions.finish(request.sessionId, token, { ...record, snapshot: { ...record.snapshot, ended: true }, consumed: request.text }, SYSTEM_SCREENS.updated, hop);
          return SYSTEM_SCREENS.updated;
        }
        const hopId = `${request.sessionId}:${hop}`;
        const ctx = await ctxLoad;
        const { result, resumeOffer } = record ? await carryOn(pack, request, record, hopId, ctx) : await beginSession(pack, request, hopId, ctx, await resumeLoad);
        const reply = format(result);
        const ended = !result.screen || result.screen.type === 'END';
        const next: SessionRecord = {
          packId: pack.id,
          snapshot: ended ? { ...result.snapshot, ended: true } : result.snapshot,
          consumed: request.text,
          phone: request.phone,
          startedAt: record?.startedAt ?? deps.clock.now().toISOString(),
          hops: (record?.hops ?? 0) + 1,
          resumable: record?.resumable ?? false,
          ...(resumeOffer ? { resumeOffer } : {}),
        };
        // The phone's resume pointer names this session from its first hop away from home until it
        // ends; the snapshot it leads to is the session's own, so it is written once, not every hop.
        let resume: Promise<void> = Promise.resolve();
        if (ended && next.resumable) resume = deps.sessions.clearResume(request.phone);
        else if (!ended && !resumeOffer && !next.resumable && next.snapshot.node !== pack.start) {
          next.resumable = true;
          resume = deps.sessions.setResume(request.phone, { sessionId: request.sessionId, packId: pack.id });
        }
        await Promise.all([deps.sessions.finish(request.sessionId, token, next, reply, hop), resume]);
        deps.stats.recordHop(pack.id, result.effects, ended ? 'end' : 'con');
        if (!record) deps.onSessionStart?.(pack.id, request.networkCode);
        return reply;
      } catch (error) {
        await deps.sessions.unlock(request.sessionId, token);
        throw error;
      }
    },
  };
}
