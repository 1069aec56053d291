/**
 * `when` conditions on menu options and routes. Deliberately tiny: clauses joined by `&&`, each
 * either a flag (`registered`, `!subscribed`, `values.editing`) or a comparison
 * (`delegate != null`, `values.lang == 'en'`, `lang == sw`). `lang` and `values.<name>` are the
 * engine's; every other name comes from the host's vocabulary.
 */
import type { Value } from './types';

export type Operand = { kind: 'ref'; name: string };
export type Clause =
  | { kind: 'flag'; negate: boolean; ref: string }
  | { kind: 'compare'; ref: string; op: '==' | '!='; literal: Value };

const ENGINE_REF = /^(lang|values\.[A-Za-z_]\w*)$/;

function parseLiteral(text: string): Value {
  if (text === 'null') return null;
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  const quoted = /^'(.*)'$|^"(.*)"$/.exec(text);
  if (quoted) return quoted[1] ?? quoted[2] ?? '';
  return text;
}

/** Parses a condition over `names` (the vocabulary's conditions); returns an error message instead of throwing. */
export function parseCondition(expr: string, names: readonly string[]): { clauses: Clause[] } | { error: string } {
  const clauses: Clause[] = [];
  for (const raw of expr.split('&&')) {
    const part = raw.trim();
    const compare = /^([\w.]+)\s*(==|!=)\s*(.+)$/.exec(part);
    const flag = /^(!?)\s*([\w.]+)$/.exec(part);
    const ref = compare?.[1] ?? flag?.[2] ?? '';
    if (!ENGINE_REF.test(ref) && !names.includes(ref))
      return { error: `unknown name '${ref || part}' (use ${['lang', 'values.<name>', ...names].join(', ')})` };
    if (compare) clauses.push({ kind: 'compare', ref, op: compare[2] as '==' | '!=', literal: parseLiteral((compare[3] ?? '').trim()) });
    else if (flag) clauses.push({ kind: 'flag', negate: flag[1] === '!', ref });
  }
  return { clauses };
}

/** Parsed conditions, per list of names: a pack's conditions are few and read on every hop. */
const parsedFor = new WeakMap<readonly string[], Map<string, { clauses: Clause[] } | { error: string }>>();
/** A cache holds at most this many conditions; past it, it starts again (releases add new ones over time). */
const MAX_CACHED = 2000;

function parsedOnce(expr: string, names: readonly string[]): { clauses: Clause[] } | { error: string } {
  let cache = parsedFor.get(names);
  if (!cache) parsedFor.set(names, (cache = new Map()));
  let parsed = cache.get(expr);
  if (parsed === undefined) {
    if (cache.size >= MAX_CACHED) cache.clear();
    parsed = parseCondition(expr, names);
    cache.set(expr, parsed);
  }
  return parsed;
}

/**
 * Evaluates a condition; `resolve` gives the value of a name. A malformed condition is false.
 * Each condition is parsed once per `names` array (keep passing the same array to benefit).
 */
export function evaluateCondition(expr: string | undefined, names: readonly string[], resolve: (ref: string) => Value): boolean {
  if (expr === undefined) return true;
  const parsed = parsedOnce(expr, names);
  if ('error' in parsed) return false;
  for (const clause of parsed.clauses) {
    const value = resolve(clause.ref);
    if (clause.kind === 'flag') {
      const truthy = value !== null && value !== false && value !== '' && value !== 0;
      if (clause.negate ? truthy : !truthy) return false;
      continue;
    }
    const equal = value === clause.literal || (value !== null && clause.literal !== null && String(value) === String(clause.literal));
    if (clause.op === '==' ? !equal : equal) return false;
  }
  return true;
}
