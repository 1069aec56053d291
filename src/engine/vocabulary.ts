/**
 * What a host adds to the engine, given to {@link createEngine} as one argument (the way xstate's
 * `setup({ actions, guards })` names implementations for a machine): list providers, template
 * variables, condition names and action specs. The engine knows none of them by name; it carries
 * the host's context `C` without reading it, and only the vocabulary's functions look inside.
 * flows:check validates a pack against the same vocabulary, so a pack never names something the
 * host cannot do.
 */
import type { Language } from '../kernel/language';
import type { Value } from './types';

/** One numbered row of a list node. */
export interface ListItem {
  value: string;
  label: string;
}

/** What a list provider gets on each call. */
export interface ListArgs<C> {
  ctx: C;
  lang: Language;
  /** The node's parameters, templates already filled. */
  params: Record<string, string>;
  /** Raw catalogue text (for short prefixes such as "Sasa:"). */
  t(key: string): string;
}

/** Rows for `list` nodes, from the host's context. A new provider is one new entry. */
export interface ListProvider<C> {
  /** Parameters the list node must pass. */
  params: readonly string[];
  /** Catalogue keys the provider reads with `t` (flows:check requires them). */
  messages: readonly string[];
  items(args: ListArgs<C>): ListItem[];
  /** Every row it could ever show for `ctx` (flows:check measures these on the pack's sample). */
  universe(args: Omit<ListArgs<C>, 'params'>): ListItem[];
}

/** What variables and conditions are computed from. */
export interface VariableArgs<C> {
  ctx: C;
  lang: Language;
  /** Values collected in the session so far (e.g. the chosen `session`). */
  values: Readonly<Record<string, Value>>;
}

/** Template variables the host fills (`{delegate.name}`); `values.*`, `keys.*`, `input.*` and `language.name` are the engine's. */
export interface VariableTable<C> {
  names: readonly string[];
  /** Each variable's text now; a missing one renders as ''. */
  values(args: VariableArgs<C>): Record<string, string | undefined>;
  /**
   * The longest each variable can be in `lang`, measured on the pack's sample context; `declared`
   * gives the longest value each session value may hold (for variables that echo what callers typed).
   */
  maxLengths(args: { sample: C; lang: Language; declared: Readonly<Record<string, { maxLength: number }>> }): Record<string, number>;
}

/** A name usable in `when:` conditions, e.g. `registered`: its value now. */
export type Condition<C> = (args: VariableArgs<C>) => Value;

/** An action the host implements: the parameters an action node passes and the outcomes it may answer. */
export interface ActionSpec {
  params: readonly string[];
  outcomes: readonly string[];
}

/** Everything a host adds to the engine; `C` is the context the host passes on every call. */
export interface Vocabulary<C> {
  lists: Readonly<Record<string, ListProvider<C>>>;
  variables: VariableTable<C>;
  conditions: Readonly<Record<string, Condition<C>>>;
  actions: Readonly<Record<string, ActionSpec>>;
  /** The caller's own language when the host knows it (e.g. a registered person's); sessions start in it. */
  callerLanguage?(ctx: C): Language | undefined;
}

/** Checks a vocabulary's shape at compile time and returns it unchanged. */
export function defineVocabulary<C>(vocabulary: Vocabulary<C>): Vocabulary<C> {
  return vocabulary;
}
