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

/**
 * A lookup of every variable's text for this moment, sanitised for display. Values typed by
 * callers are shown as typed. The host's variables are computed on the first read, once: most
 * runtimes (routes, actions, navigation) never read one.
 */
export function buildVariables<C>(
  pack: FlowPack,
  vocabulary: Vocabulary<C>,
  ctx: C,
  lang: Language,
  values: Readonly<Record<string, Value>>,
): (name: string) => string | undefined {
  let host: Record<string, string | undefined> | undefined;
  const raw = (name: string): string | undefined => {
    if (name.startsWith('values.')) {
      const key = name.slice('values.'.length);
      if (!Object.prototype.hasOwnProperty.call(values, key)) return undefined;
      const value = values[key];
      return value === null || value === undefined ? '' : String(value);
    }
    switch (name) {
      case 'language.name': return LANGUAGE_NAMES[lang] ?? lang;
      case 'keys.back': return pack.nav.back.key;
      case 'keys.home': return pack.nav.home.key;
      case 'keys.more': return pack.nav.more.key;
    }
    host ??= vocabulary.variables.values({ ctx, lang, values });
    return Object.prototype.hasOwnProperty.call(host, name) ? host[name] : undefined;
  };
  // Sanitised on first read: a screen uses a handful of these, and sanitising costs per character.
  const shown = new Map<string, string | undefined>();
  return (name) => {
    if (shown.has(name)) return shown.get(name);
    const text = raw(name);
    const value = text === undefined ? undefined : sanitizeDisplay(text);
    shown.set(name, value);
    return value;
  };
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
