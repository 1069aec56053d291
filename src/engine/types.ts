/**
 * Shapes shared by the engine, the pack loader and the host. All plain, JSON-serialisable data.
 */
import type { EventData } from '../event/event-schema';
import type { ActionName } from './actions';
import type { FlowNode } from './nodes/schemas';

export type Language = 'sw' | 'en';
export const LANGUAGES: readonly Language[] = ['sw', 'en'];

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

export interface PendingAction {
  name: ActionName;
  params: Record<string, Value>;
}

/** Something the host may record (funnel statistics, audit). Never required for correctness. */
export interface Effect {
  type: string;
  [k: string]: unknown;
}

export interface StepResult {
  snapshot: Snapshot;
  screen?: Screen;
  pendingAction?: PendingAction;
  effects: Effect[];
  failure?: { code: string; message: string };
}

export interface DelegateView {
  name: string;
  institution: string;
  institutionType: string;
  cohort: string;
  code: string;
  language: Language;
}

/** Everything the engine may know about the world, loaded by the host before each call. */
export interface EngineContext {
  now: string;
  phone: string;
  delegate: DelegateView | null;
  event: EventData;
  reminders: string[];
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

/** A validated, loaded flow pack. Built by src/flows; read-only for the engine. */
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
  /** The pack's sample event (the host passes the live copy in EngineContext.event). */
  event: EventData;
}
