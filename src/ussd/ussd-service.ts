/**
 * One USSD hop, as a story: find the pack, answer a retry from the hop cache, take the session's
 * lock, work out the new input, let the engine step, run the actions it asks for, save the
 * snapshot with the answer, and answer. Fields in, text out: no express here.
 */
import { LATE_ENDED_KEY, matchServiceCode, resumePrompt, type ActionOutcome, type Effect, type Engine, type StepResult } from '../engine';
import { renderMessage } from '../event/catalogue';
import type { LateActions } from './late-actions';
import { RECOVERY_INVALID_KEY, type SessionRecovery } from './session-recovery';
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
import { staticCatalogue, type PackCatalogue } from './pack-catalogue';
import type { CallerReader, CallerRecords } from '../event/callers';
import type { HopStarter, StartedHop } from './hop-start.redis';

export interface UssdServiceDeps {
  /** The packs as loaded; used when no `catalogue` is given (one version each, no releases). */
  packs: readonly EventPack[];
  /** The live, staged and pinned versions of each pack (flow releases). */
  catalogue?: PackCatalogue;
  sessions: SessionStore;
  delegates: DelegateRepository;
  reminders: ReminderRepository;
  agenda: AgendaRepository;
  /** The caller's records in one round trip; without it they are read from the repositories one by one. */
  callers?: CallerReader;
  /** The hop's start, the caller's records and the resume pointer in one round trip; without it they are read apart. */
  starter?: HopStarter;
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
  /** Deadlines of actions that declare one; without it every action runs to the end inside the hop. */
  late?: LateActions;
  /** The hop's own budget (USSD_DEADLINE_MS): an action's deadline is cut to fit inside it. */
  hopDeadlineMs?: number;
  /** The hop budget for a caller's network, when it adapts per network (else `hopDeadlineMs`). */
  hopDeadlineFor?: (networkCode: string) => number;
  /** How long after its deadline a late action's result may still come before it is reported lost. */
  lateLostAfterMs?: number;
  /** Recovery dial strings; without it a dialled code is only ever a deep link. */
  recovery?: SessionRecovery;
}

export interface UssdService {
  /** The full answer body (`CON ...` / `END ...`). Rejects only on infrastructure failure. */
  handle(request: UssdRequest): Promise<string>;
  /** Waits for late action results this process is still delivering (shutdown, tests). */
  settled(): Promise<void>;
  /** The id of the pack that answers `serviceCode`, or null. */
  packOf(serviceCode: string): string | null;
}

/** One hop: its id (for idempotency keys) and when it started on the monotonic timer. */
interface Hop {
  id: string;
  sessionId: string;
  startedAt: number;
  /** The hop's budget in ms (the busy END comes after it). */
  budgetMs: number;
}

/** Time kept for saving the snapshot and answering after an action's deadline fires. */
const LATE_MARGIN_MS = 300;

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
  const catalogue = deps.catalogue ?? staticCatalogue(deps.packs);
  const packOfCode = new Map<string, string | null>();
  // The pack each dialled code reaches, per pack list (the live list is one array until a release changes it).
  const routes = new WeakMap<readonly EventPack[], Map<string, EventPack | null>>();
  function route(packs: readonly EventPack[], serviceCode: string): EventPack | null {
    let known = routes.get(packs);
    if (!known) routes.set(packs, (known = new Map()));
    const hit = known.get(serviceCode);
    if (hit !== undefined) return hit;
    const found = matchServiceCode(packs, serviceCode);
    // Bounded: callers type the codes (deep links carry any digits).
    if (known.size < 256) known.set(serviceCode, found);
    return found;
  }

  /** The version a live session started on (pinned), or null when it cannot be served any more. */
  async function pinnedRelease(routed: EventPack, record: SessionRecord): Promise<EventPack | null> {
    return (await catalogue.version(routed.id, record.snapshot.flowVersion)) ?? null;
  }

  const callers: CallerReader = deps.callers ?? {
    async read(packId, phone) {
      const [delegate, language, reminders, invitee] = await Promise.all([
        deps.delegates.get(packId, phone),
        deps.delegates.languageOf(packId, phone),
        deps.reminders.listForPhone(packId, phone),
        deps.actions.invitees?.get(packId, phone) ?? null,
      ]);
      return { delegate, language, reminders, invitee };
    },
  };

  async function context(pack: EventPack, phone: string): Promise<EventContext & { chosenLanguage: Language | null }> {
    const [records, event] = await Promise.all([callers.read(pack.id, phone), deps.agenda.get(pack.id)]);
    return contextOf(pack, phone, records, event);
  }

  function contextOf(pack: EventPack, phone: string, records: CallerRecords, event: EventContext['event']): EventContext & { chosenLanguage: Language | null } {
    const { delegate, language: chosenLanguage, reminders, invitee } = records;
    const view = delegate && { name: delegate.name, institution: delegate.institution, institutionType: delegate.institutionType, cohort: delegate.cohort, code: delegate.code, language: delegate.language };
    const clock = deps.clock;
    let now: string | undefined;
    // The clock is read when a screen first asks (few do), once: every later read gives the same instant.
    return { get now() { return (now ??= clock.now().toISOString()); }, phone, delegate: view, event, reminders, shortCode: pack.shortCode ?? '', chosenLanguage, invitee: invitee ?? null };
  }

  function withEffects(result: StepResult, before: Effect[]): StepResult {
    return { ...result, effects: [...before, ...result.effects] };
  }

  /** The END telling the caller the result comes by SMS. */
  function lateEnd(pack: EventPack, at: StepResult, effect: string): StepResult {
    const text = pack.messages[at.snapshot.lang][LATE_ENDED_KEY] === undefined ? SYSTEM_SCREENS.late.slice(4) : renderMessage(pack, at.snapshot.lang, LATE_ENDED_KEY);
    const action = at.pendingAction?.name;
    return { snapshot: { ...at.snapshot, ended: true }, screen: { type: 'END', text }, effects: [{ type: effect, node: at.snapshot.node, action }] };
  }

  /** Runs the actions the engine asks for until it shows a screen (the context is reloaded after each). */
  async function settle(pack: EventPack, phone: string, hop: Hop, first: StepResult): Promise<StepResult> {
    let result = first;
    const effects = [...first.effects];
    for (let i = 0; result.pendingAction && i < MAX_ACTIONS_PER_HOP; i++) {
      const action = result.pendingAction;
      const call = { pack, phone, lang: result.snapshot.lang, params: action.params, hopId: `${hop.id}:${i}` };
      const run = hostAction(action.name);
      const work = (): Promise<ActionOutcome> => (run ? run(call, deps.actions) : Promise.reject(new AppError('FLOW.UNKNOWN_ACTION', `No host action '${action.name}'.`))).catch((error: unknown) => {
        deps.logger.error({ err: error, action: action.name }, 'action failed');
        return { result: 'error' };
      });
      let outcome: ActionOutcome;
      if (action.late && deps.late) {
        // A redial reaching an action whose late result is still on its way waits for that one.
        if (await deps.late.inFlight(pack.id, phone, action.name)) return withEffects(lateEnd(pack, result, 'action_late_waiting'), effects);
        const budget = Math.min(action.late.deadlineMs, hop.budgetMs - (performance.now() - hop.startedAt) - LATE_MARGIN_MS);
        const raced = await deps.late.race(action.name, budget, work);
        if (raced.kind === 'late') {
          const at = result.snapshot;
          const record = {
            id: call.hopId, packId: pack.id, sessionId: hop.sessionId, phone, lang: at.lang, action: action.name, snapshot: at,
            startedAt: deps.clock.now().toISOString(), lostAt: new Date(deps.clock.now().getTime() + (deps.lateLostAfterMs ?? 120_000)).toISOString(),
          };
          await deps.late.handOver(record, raced.work, async (late) => asSms(resolveAction(pack, at, late, await context(pack, phone))));
          return withEffects(lateEnd(pack, result, 'action_late'), effects);
        }
        outcome = raced.outcome;
      } else outcome = await work();
      result = resolveAction(pack, result.snapshot, outcome, await context(pack, phone));
      effects.push(...result.effects);
    }
    return { ...result, effects };
  }

  async function feed(pack: EventPack, phone: string, hop: Hop, start: StepResult, inputs: string[], ctx: EventContext): Promise<StepResult> {
    let result = await settle(pack, phone, hop, start);
    const effects = [...result.effects];
    for (const [index, input] of inputs.entries()) {
      if (result.snapshot.ended || result.pendingAction) break;
      const fresh = effects.some((e) => e.type === 'action_resolved') ? await context(pack, phone) : ctx;
      result = await settle(pack, phone, { ...hop, id: `${hop.id}:${index}` }, step(pack, result.snapshot, input, fresh));
      effects.push(...result.effects);
    }
    return { ...result, effects };
  }

  /** A late outcome goes out by SMS: the screen's own text, whole, without the choices an SMS cannot answer. */
  function asSms(result: StepResult): StepResult {
    if (!result.screen || !result.message) return result;
    return { ...result, screen: { ...result.screen, text: result.message } };
  }

  /** A dialled recovery code: the cut session's screen and values, or a clear END. */
  async function recover(pack: EventPack, request: UssdRequest, hop: Hop, ctx: EventContext, started: StepResult, digits: string): Promise<StepResult> {
    const claim = await (deps.recovery as SessionRecovery).claim(pack.id, digits, request.phone);
    if (claim.kind !== 'ok') {
      const lang = started.snapshot.lang;
      const text = pack.messages[lang][RECOVERY_INVALID_KEY] === undefined ? SYSTEM_SCREENS.recoveryInvalid.slice(4) : renderMessage(pack, lang, RECOVERY_INVALID_KEY);
      return { snapshot: { ...started.snapshot, ended: true }, screen: { type: 'END', text }, effects: [{ type: 'recovery_refused', reason: claim.kind }] };
    }
    // The phone's ordinary resume offer would lead to the same session: it is spent now.
    await deps.sessions.clearResume(request.phone);
    const resumed = await settle(pack, request.phone, hop, renderCurrent(pack, claim.record.snapshot, ctx));
    return withEffects(resumed, [{ type: 'session_recovered', node: claim.record.snapshot.node }]);
  }

  async function beginSession(pack: EventPack, request: UssdRequest, hopId: Hop, ctx: EventContext & { chosenLanguage?: Language | null }, previous: ResumeRecord | null): Promise<{ result: StepResult; resumeOffer?: SessionRecord['resumeOffer'] }> {
    // The registration's language, else the one the phone chose before registering, else the default.
    const chosen = ctx.delegate?.language ?? ctx.chosenLanguage;
    const lang = chosen && pack.languages.includes(chosen) ? chosen : pack.languages.includes(deps.defaultLanguage) ? deps.defaultLanguage : pack.defaultLanguage;
    const dialled = codeInputs(pack, request.serviceCode);
    const inputs = [...dialled, ...(request.text === '' ? [] : request.text.split('*'))];
    const started = startSession(pack, ctx, { lang });
    const code = dialled.length === 1 && request.text === '' ? dialled[0] : undefined;
    if (deps.recovery && code !== undefined && new RegExp(`^\\d{${deps.recovery.digits}}$`).test(code)) {
      return { result: await recover(pack, request, hopId, ctx, started, code) };
    }
    if (inputs.length === 0 && previous && previous.sessionId !== request.sessionId && previous.packId === pack.id) {
      const dropped = (await deps.sessions.load(previous.sessionId))?.snapshot;
      // A session dropped before a release resumes on its own version, as if it had not dropped.
      const droppedPack = dropped && (dropped.flowVersion === pack.version ? pack : await catalogue.version(pack.id, dropped.flowVersion));
      // A screen marked `resume: false` (e.g. the one after registering) is a fine place to hang up.
      const resumable = dropped && droppedPack ? (droppedPack.nodes[dropped.node] as { resume?: boolean } | undefined)?.resume !== false : false;
      if (dropped && droppedPack && resumable && !dropped.ended && dropped.node !== droppedPack.start) {
        return { result: { snapshot: started.snapshot, screen: resumePrompt(pack, dropped.lang), effects: [] }, resumeOffer: dropped };
      }
    }
    return { result: await feed(pack, request.phone, hopId, started, inputs, ctx) };
  }

  async function carryOn(pack: EventPack, request: UssdRequest, record: SessionRecord, hopId: Hop, ctx: EventContext): Promise<{ result: StepResult; resumeOffer?: SessionRecord['resumeOffer'] }> {
    const input = newInput(record.consumed, request.text);
    if (record.resumeOffer) {
      const choice = input.kind === 'one' ? input.input.trim() : '';
      if (choice === '1') {
        const resumed = record.resumeOffer.flowVersion === pack.version ? pack : await catalogue.version(pack.id, record.resumeOffer.flowVersion);
        if (resumed) return { result: await settle(resumed, request.phone, hopId, renderCurrent(resumed, record.resumeOffer, ctx)) };
      }
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
  async function begin<T extends { start: HopStart }>(attempt: () => Promise<T>): Promise<T & { start: Exclude<HopStart, { kind: 'busy' }> }> {
    // Elapsed time on the monotonic timer, not the injected clock: a test's fixed clock must not stop the wait.
    const deadline = performance.now() + deps.lockWaitMs;
    for (;;) {
      const started = await attempt();
      if (started.start.kind !== 'busy') return started as T & { start: Exclude<HopStart, { kind: 'busy' }> };
      if (performance.now() > deadline) throw new AppError('USSD.SESSION_BUSY', 'USSD session lock wait exceeded.');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * The hop's start with the caller's context and (for a dial) the resume pointer: in one round
   * trip with a starter, else the lock and the reads side by side.
   */
  async function startHop(routed: EventPack, request: UssdRequest, hop: string, dial: boolean): Promise<{ start: Exclude<HopStart, { kind: 'busy' }>; loadContext: () => ReturnType<typeof context>; resumeLoad: Promise<ResumeRecord | null> }> {
    const starter = deps.starter;
    if (starter) {
      const eventLoad = deps.agenda.get(routed.id);
      eventLoad.catch(() => undefined);
      const started: StartedHop = await begin(() => starter.begin(request.sessionId, hop, routed.id, request.phone, dial));
      const records = started.caller;
      return {
        start: started.start as Exclude<HopStart, { kind: 'busy' }>,
        // Only a replay comes without the records, and a replay needs no context.
        loadContext: () => (records ? eventLoad.then((event) => contextOf(routed, request.phone, records, event)) : context(routed, request.phone)),
        resumeLoad: Promise.resolve(started.resume),
      };
    }
    const ctxLoad = context(routed, request.phone);
    const resumeLoad = dial ? deps.sessions.resumeFor(request.phone) : Promise.resolve(null);
    ctxLoad.catch(() => undefined);
    resumeLoad.catch(() => undefined);
    const { start } = await begin(async () => ({ start: await deps.sessions.begin(request.sessionId, hop) }));
    return { start, loadContext: () => ctxLoad, resumeLoad };
  }

  return {
    settled: () => deps.late?.settled() ?? Promise.resolve(),
    packOf(serviceCode) {
      // Asked after every hop with one of a few codes: matched once per code (bounded: callers type codes).
      const known = packOfCode.get(serviceCode);
      if (known !== undefined) return known;
      const id = matchServiceCode(deps.packs, serviceCode)?.id ?? null;
      if (packOfCode.size < 256) packOfCode.set(serviceCode, id);
      return id;
    },

    async handle(request) {
      const startedAt = performance.now();
      const routed = route(catalogue.forPhone(request.phone), request.serviceCode);
      if (!routed) return SYSTEM_SCREENS.unknownCode;
      const hop = hopKey(request.text);
      const dial = request.text === '';
      const { start, loadContext, resumeLoad } = await startHop(routed, request, hop, dial);
      if (start.kind === 'replay') {
        deps.stats.recordHop(routed.id, [], 'replayed');
        return start.reply;
      }
      const { record, token } = start;
      try {
        // A live session finishes on the version it started on, even after a release.
        const pack = !record ? routed : record.packId !== routed.id ? null : record.snapshot.flowVersion === routed.version ? routed : await pinnedRelease(routed, record);
        if (!pack) {
          // The session's pack or version is gone: end it cleanly rather than misroute it.
          if (record) await deps.sessions.finish(request.sessionId, token, { ...record, snapshot: { ...record.snapshot, ended: true }, consumed: request.text }, SYSTEM_SCREENS.updated, hop);
          return SYSTEM_SCREENS.updated;
        }
        const budgetMs = deps.hopDeadlineFor?.(request.networkCode) ?? deps.hopDeadlineMs ?? 1500;
        const hopId: Hop = { id: `${request.sessionId}:${hop}`, sessionId: request.sessionId, startedAt, budgetMs };
        const ctx = await loadContext();
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
        let resume: { phone: string; set: ResumeRecord | null } | undefined;
        if (ended && next.resumable) resume = { phone: request.phone, set: null };
        else if (!ended && !resumeOffer && !next.resumable && next.snapshot.node !== pack.start) {
          next.resumable = true;
          resume = { phone: request.phone, set: { sessionId: request.sessionId, packId: pack.id } };
        }
        await deps.sessions.finish(request.sessionId, token, next, reply, hop, resume);
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
