/**
 * The variables a message may use: `values.<name>` from the session, the engine's own (navigation
 * keys, input limits, the language's name) and the host's, from its vocabulary. Also how long
 * each can get, for flows:check budgets.
 */
import { LANGUAGE_NAMES, type Language } from '../kernel/language';
import { sanitizeDisplay } from './sanitize';
import type { FlowPack, Value } from './types';
import type { Vocabulary } from './vocabulary';

/** Variables the engine fills whatever the host (`input.*` only in re-prompt reasons). */
export const ENGINE_VARIABLES = ['language.name', 'input.min', 'input.max', 'keys.back', 'keys.home', 'keys.more'] as const;

/** Every variable name a message may use with this vocabulary, besides `values.<name>`. */
export function variableNames<C>(vocabulary: Vocabulary<C>): string[] {
  return [...vocabulary.variables.names, ...ENGINE_VARIABLES];
}

/** Every variable's text for this moment, sanitised for display. Values typed by callers are shown as typed. */
export function buildVariables<C>(
  pack: FlowPack,
  vocabulary: Vocabulary<C>,
  ctx: C,
  lang: Language,
  values: Readonly<Record<string, Value>>,
): Record<string, string> {
  const vars: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(values)) vars[`values.${name}`] = value === null ? '' : String(value);
  Object.assign(vars, vocabulary.variables.values({ ctx, lang, values }));
  vars['language.name'] = LANGUAGE_NAMES[lang] ?? lang;
  vars['keys.back'] = pack.nav.back.key;
  vars['keys.home'] = pack.nav.home.key;
  vars['keys.more'] = pack.nav.more.key;
  // Sanitised on first read: a screen uses a handful of these, and sanitising costs per character.
  const shown = new Map<string, string>();
  return new Proxy(vars as Record<string, string>, {
    get(target, key) {
      if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(target, key)) return undefined;
      let value = shown.get(key);
      if (value === undefined) {
        value = sanitizeDisplay(target[key] ?? '');
        shown.set(key, value);
      }
      return value;
    },
  });
}

/** The longest each variable can be in `lang`: the host's measured on `sample`, the engine's from the pack. */
export function variableMaxLengths<C>(pack: FlowPack, vocabulary: Vocabulary<C>, sample: C, lang: Language): Record<string, number> {
  const lengths: Record<string, number> = {
    ...vocabulary.variables.maxLengths({ sample, lang, declared: pack.values }),
    'language.name': Math.max(...Object.values(LANGUAGE_NAMES).map((name) => name.length)),
    'input.min': 3,
    'input.max': 3,
    'keys.back': pack.nav.back.key.length,
    'keys.home': pack.nav.home.key.length,
    'keys.more': pack.nav.more.key.length,
  };
  for (const [name, spec] of Object.entries(pack.values)) lengths[`values.${name}`] = spec.maxLength;
  return lengths;
}
