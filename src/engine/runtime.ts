/**
 * What a node sees while it renders or reads input: messages in the session's language, template
 * variables, conditions, list items. Plain functions over plain data; the checker builds a
 * worst-case runtime with the same shape to measure screens.
 */
import type { Language } from '../kernel/language';
import { evaluateCondition } from './conditions';
import { fillTemplate } from './template';
import type { FlowPack, Value } from './types';
import { buildVariables } from './variables';
import type { ListItem, Vocabulary } from './vocabulary';

export type Next = string | Array<{ when?: string | undefined; to: string }>;

export interface Runtime {
  pack: FlowPack;
  lang: Language;
  values: Readonly<Record<string, Value>>;
  /** A catalogue message in the session language, filled from the variables (and `extra`). */
  text(key: string, extra?: Record<string, string>): string;
  /** Fills a raw template (action or list parameters). */
  fill(template: string): string;
  when(expr: string | undefined): boolean;
  /** The first target whose condition holds, or null. */
  next(next: Next): string | null;
  list(provider: string, params: Record<string, string>): ListItem[];
}

/** The catalogue text for `key` in `lang`, falling back to the default language, then ''. */
export function message(pack: FlowPack, lang: Language, key: string): string {
  return pack.messages[lang]?.[key] ?? pack.messages[pack.defaultLanguage]?.[key] ?? '';
}

export function resolveNext(next: Next, when: (expr: string | undefined) => boolean): string | null {
  if (typeof next === 'string') return next;
  return next.find((branch) => when(branch.when))?.to ?? null;
}

/** The names of a vocabulary's conditions, one array per vocabulary (parsed conditions are cached per array). */
const conditionNames = new WeakMap<object, readonly string[]>();
function namesOf<C>(vocabulary: Vocabulary<C>): readonly string[] {
  let names = conditionNames.get(vocabulary.conditions);
  if (!names) conditionNames.set(vocabulary.conditions, (names = Object.keys(vocabulary.conditions)));
  return names;
}

/** The live runtime for one engine call: the vocabulary's functions read `ctx`, the engine never does. */
export function createRuntime<C>(pack: FlowPack, vocabulary: Vocabulary<C>, ctx: C, lang: Language, values: Record<string, Value>): Runtime {
  const vars = buildVariables(pack, vocabulary, ctx, lang, values);
  const names = namesOf(vocabulary);
  const resolveRef = (ref: string): Value => {
    if (ref === 'lang') return lang;
    if (ref.startsWith('values.')) return values[ref.slice('values.'.length)] ?? null;
    return vocabulary.conditions[ref]?.({ ctx, lang, values }) ?? null;
  };
  const when = (expr: string | undefined): boolean => evaluateCondition(expr, names, resolveRef);
  const t = (key: string): string => message(pack, lang, key);
  return {
    pack,
    lang,
    values,
    text: (key, extra) => fillTemplate(message(pack, lang, key), extra ? (name) => (Object.prototype.hasOwnProperty.call(extra, name) ? extra[name] : vars(name)) : vars),
    fill: (template) => fillTemplate(template, vars),
    when,
    next: (next) => resolveNext(next, when),
    // An unknown provider yields no rows (flows:check reports it).
    list: (provider, params) => vocabulary.lists[provider]?.items({ ctx, lang, params, t }) ?? [],
  };
}
