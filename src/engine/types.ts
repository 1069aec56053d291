/**
 * Shapes shared by the engine, the pack loader and the host. All plain, JSON-serialisable data.
 */
import type { Language } from '../kernel/language';
import type { FlowNode } from './nodes/schemas';

export { LANGUAGES, type Language } from '../kernel/language';

export type Value = string | number | boolean | null;

/** One USSD screen. `text` carries no "CON "/"END " prefix: the host adds it. */
export interface Screen {
  type: 'CON' | 'END';
  text: string;
}

/** Where a caller is in a flow. Stored by the host between hops; never mutated by the engine. */
export interface Snapshot {
  packId: string;
  flowVersion: string;
  node: string;
  lang: Language;
  values: Record<string, Value>;
  page: number;
  history: Array<{ node: string; page: number }>;
  steps: number;
  ended: boolean;
}

/** An action the host must run before the session goes on; its name is one of the vocabulary's. */
export interface PendingAction {
  name: string;
  params: Record<string, Value>;
  /** Declared by the node: past `deadlineMs` the host ends the hop and delivers the outcome by `onLate`. */
  late?: { deadlineMs: number; onLate: 'sms' };
}

/** Something the host may record (funnel statistics, audit). Never required for correctness. */
export interface Effect {
  type: string;
  [k: string]: unknown;
}

export interface StepResult {
  snapshot: Snapshot;
  screen?: Screen;
  /**
   * The screen's text without its numbered options and navigation lines, whole rather than split
   * into pages: what the screen says when it is sent as an SMS (a late result).
   */
  message?: string;
  pendingAction?: PendingAction;
  effects: Effect[];
  failure?: { code: string; message: string };
}

/** What the host answers after running a pending action. */
export interface ActionOutcome {
  /** One of the action's outcomes; the action node maps it to the next node. */
  result: string;
  /** Values to store in the session (e.g. a registration code). */
  values?: Record<string, Value>;
  /** The session continues in this language (ignored unless the pack offers it). */
  language?: Language;
}

export interface NavKey {
  key: string;
  label: Record<Language, string>;
}

export interface ScreenSettings {
  /** GSM-7 units per screen (default 160, at most 182). */
  maxChars: number;
  /** Units per screen when a screen needs UCS-2. */
  maxCharsUcs2: number;
  maxSteps: number;
  maxAutoTransitions: number;
}

/** A validated, loaded flow pack. Built by src/packs; read-only for the engine. */
export interface FlowPack {
  id: string;
  name: Record<Language, string>;
  version: string;
  serviceCodes: string[];
  languages: Language[];
  defaultLanguage: Language;
  screen: ScreenSettings;
  nav: { back: NavKey; home: NavKey; more: NavKey };
  start: string;
  nodes: Record<string, FlowNode>;
  /** Declared values and their longest allowed length (used by flows:check for budgets). */
  values: Record<string, { maxLength: number }>;
  messages: Record<Language, Record<string, string>>;
  /** SMS keyword table: command -> words per language (capitals). Not used by the USSD engine. */
  keywords: Record<string, Record<Language, string[]>>;
}
