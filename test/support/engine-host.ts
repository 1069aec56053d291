/**
 * A tiny in-memory host for engine tests: keeps delegates and reminders in maps, runs pending
 * actions, and plays a USSD session hop by hop the way the gateway does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { EventSchema, type EventData } from '../../src/event/event-schema';
import type { Language, PendingAction, Snapshot, StepResult, Value } from '../../src/engine';
import { resolveAction, startSession, step, type DelegateView, type EngineContext } from '../../src/event/engine';
import type { EventPack as FlowPack } from '../../src/event/event-pack';
import { loadPackFolder } from '../../src/packs/load';

export const FIXED_NOW = '2015-08-17T09:10:00+03:00';
export const CALLER = '+255754000001';

let cached: FlowPack | undefined;
/** The sample pack, loaded once per test file. */
export function samplePack(): FlowPack {
  if (!cached) {
    const { loaded, problems } = loadPackFolder(join(__dirname, '../../flows/egov2015'), 'egov2015');
    if (!loaded || problems.length > 0) throw new Error(`sample pack invalid: ${JSON.stringify(problems)}`);
    cached = loaded.pack;
  }
  return cached;
}

export function sampleEvent(): EventData {
  return EventSchema.parse(parse(readFileSync(join(__dirname, '../../flows/egov2015/event.yaml'), 'utf8')));
}

export interface HostSetup {
  now?: string;
  phone?: string;
  delegate?: DelegateView | null;
  reminders?: string[];
  /** The gateway already holds a registration for this phone (register answers `exists`). */
  existingCode?: string;
  /** Forces this action outcome (e.g. 'error') for every action. */
  forceOutcome?: string;
}

export interface Hop {
  input: string | null;
  screen: string;
  actions: Array<{ name: string; params: Record<string, Value>; result: string }>;
  effects: string[];
  failure?: string;
}

export class EngineHost {
  delegate: DelegateView | null;
  reminders: string[];
  snapshot: Snapshot | null = null;
  private nextCode = 427;

  constructor(readonly pack: FlowPack, readonly setup: HostSetup = {}) {
    this.delegate = setup.delegate ?? null;
    this.reminders = [...(setup.reminders ?? [])];
  }

  context(): EngineContext {
    return { now: this.setup.now ?? FIXED_NOW, phone: this.setup.phone ?? CALLER, delegate: this.delegate, event: this.pack.event, reminders: [...this.reminders] };
  }

  /** Starts a session; `deepLink` inputs (AT text of the first hop, e.g. "2*1") are applied in order. */
  dial(opts: { lang?: Language; deepLink?: string } = {}): Hop[] {
    const first = this.settle(null, startSession(this.pack, this.context(), opts.lang ? { lang: opts.lang } : {}));
    const hops = [first];
    for (const input of opts.deepLink ? opts.deepLink.split('*') : []) hops.push(this.send(input));
    return hops;
  }

  send(input: string): Hop {
    if (!this.snapshot) throw new Error('dial first');
    return this.settle(input, step(this.pack, this.snapshot, input, this.context()));
  }

  /** Runs pending actions until a screen comes back. */
  private settle(input: string | null, first: StepResult): Hop {
    let result = first;
    const effects = [...result.effects];
    const actions: Hop['actions'] = [];
    for (let guard = 0; result.pendingAction && guard < 10; guard += 1) {
      const outcome = this.run(result.pendingAction);
      actions.push({ name: result.pendingAction.name, params: result.pendingAction.params, result: outcome.result });
      result = resolveAction(this.pack, result.snapshot, outcome, this.context());
      effects.push(...result.effects);
    }
    this.snapshot = result.snapshot;
    const screen = result.screen ? `${result.screen.type} ${result.screen.text}` : '(no screen)';
    return {
      input, screen, actions,
      effects: effects.map((e) => [e.type, e.node, e.reason, e.to, e.action, e.result, e.lang, e.code].filter((x) => x !== undefined).join(' ')),
      ...(result.failure ? { failure: result.failure.code } : {}),
    };
  }

  private run(action: PendingAction): { result: string; values?: Record<string, Value>; language?: Language } {
    if (this.setup.forceOutcome) return { result: this.setup.forceOutcome };
    const p = action.params;
    switch (action.name) {
      case 'register': {
        if (this.delegate) return { result: 'exists', values: { code: this.delegate.code } };
        if (this.setup.existingCode) return { result: 'exists', values: { code: this.setup.existingCode } };
        const code = `EG-${String(this.nextCode++).padStart(4, '0')}`;
        this.delegate = { name: String(p.name), institution: String(p.institution), institutionType: String(p.institutionType), cohort: String(p.cohort), code, language: 'sw' };
        return { result: 'ok', values: { code } };
      }
      case 'set_language':
        if (this.delegate) this.delegate = { ...this.delegate, language: p.lang === 'en' ? 'en' : 'sw' };
        return { result: 'ok', language: p.lang === 'en' ? 'en' : 'sw' };
      case 'cancel_registration':
        this.delegate = null;
        return { result: 'ok' };
      case 'erase_me':
        this.delegate = null;
        this.reminders = [];
        return { result: 'ok' };
      case 'subscribe_reminder':
        if (this.reminders.includes(String(p.session))) return { result: 'exists' };
        this.reminders.push(String(p.session));
        return { result: 'ok' };
      case 'unsubscribe_reminder':
        if (!this.reminders.includes(String(p.session))) return { result: 'missing' };
        this.reminders = this.reminders.filter((r) => r !== String(p.session));
        return { result: 'ok' };
      default:
        return { result: 'error' };
    }
  }
}

export const REGISTERED: DelegateView = {
  name: 'Asha Juma Mwinyi', institution: 'Wizara ya Fedha', institutionType: 'ministry', cohort: '1', code: 'EG-0101', language: 'sw',
};
