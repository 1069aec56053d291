/**
 * The contract every node kind implements. Screen kinds render and read input; transient kinds
 * (action, route) decide at once where to go. The `links`/`messageKeys`/... lists let flows:check
 * validate a node without knowing its kind.
 */
import { z } from 'zod';
import type { PendingAction, Value } from '../types';
import type { Next, Runtime } from '../runtime';

export const NextSchema = z.union([
  z.string().min(1),
  z.array(z.object({ when: z.string().optional(), to: z.string().min(1) }).strict()).min(1),
]);
export const ValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** What a screen shows before pagination. */
export interface View {
  type: 'CON' | 'END';
  body: string[];
  options: string[];
  /** Paginated views split over pages; others must fit one screen (flows:check checks). */
  paginate: boolean;
  /** Shows the back line (0. Rudi) when there is somewhere to go back to. */
  nav: boolean;
  /** Menus: the options stay on the first page; the body runs on to later pages behind "more". */
  optionsFirst?: boolean;
}

export type Handled =
  | { kind: 'goto'; next: Next; set?: Record<string, Value> | undefined }
  | { kind: 'reprompt'; reason: string; vars?: Record<string, string> | undefined };

export type Entered =
  | { kind: 'goto'; to: string | null; set?: Record<string, Value> }
  | { kind: 'action'; action: PendingAction };

export interface Link { path: string; to: string }
export interface KeyRef { path: string; key: string }
export interface Assign { name: string; path: string; maxLength: number }

export interface NodeKind<N> {
  type: string;
  schema: z.ZodType<N>;
  render?(node: N, rt: Runtime): View;
  handle?(node: N, input: string, rt: Runtime): Handled;
  enter?(node: N, rt: Runtime): Entered;
  /** Whether navigation keys (0, 00, 98) are read as navigation on this node. */
  navigation?(node: N): boolean;
  /** Every target, with the path below the node (e.g. `options[2].next`). */
  links(node: N): Link[];
  messageKeys(node: N): KeyRef[];
  conditions(node: N): Array<{ path: string; expr: string }>;
  /** Raw templates (parameters) the node fills. */
  templates(node: N): Array<{ path: string; template: string }>;
  /** Values the node stores; `universe` gives a list provider's possible values. */
  assigns(node: N, universe: (provider: string) => string[]): Assign[];
}

/** Links of a `next` field, with paths. */
export function nextLinks(next: string | Array<{ to: string }>, path: string): Link[] {
  return typeof next === 'string' ? [{ path, to: next }] : next.map((b, i) => ({ path: `${path}[${i}].to`, to: b.to }));
}

export function nextConditions(next: string | Array<{ when?: string | undefined }>, path: string): Array<{ path: string; expr: string }> {
  if (typeof next === 'string') return [];
  return next.flatMap((b, i) => (b.when === undefined ? [] : [{ path: `${path}[${i}].when`, expr: b.when }]));
}

/** "3" -> 3 for option numbers; NaN otherwise. */
export function optionNumber(input: string): number {
  return /^[1-9]\d{0,2}$/.test(input) ? Number(input) : Number.NaN;
}
