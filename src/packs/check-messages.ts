/** Catalogue checks: missing translations, unknown template variables, characters outside GSM-7. */
import { isGsm7, nonGsmCharacters } from '../kernel/text/gsm';
import { kindOf } from '../engine/nodes/registry';
import { requiredMessages } from '../engine/required-messages';
import { templateVariables } from '../engine/template';
import { variableNames } from '../engine/variables';
import type { LoadedPack } from './load';
import { suggest, type Problem } from './problem';
import { SMS_MESSAGES, smsVariablesOf } from './sms-messages';

function describeChar(char: string): string {
  return `'${char}' (U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')})`;
}

/** Problems for each non-GSM character of `text`, naming the character and its position. */
export function alphabetProblems(text: string, where: Omit<Problem, 'code' | 'message' | 'fix'>): Problem[] {
  if (isGsm7(text)) return [];
  const chars = Array.from(text);
  return nonGsmCharacters(text).map((char) => ({
    ...where, code: 'FLOW.NOT_GSM7',
    message: `character ${describeChar(char)} at position ${chars.indexOf(char) + 1} is not GSM-7 (the screen would become UCS-2, 70 characters)`,
    fix: /[\u2018\u2019]/.test(char) ? "use a straight quote '" : /[\u201C\u201D]/.test(char) ? 'use a straight quote "' : /[\u2013\u2014]/.test(char) ? 'use a hyphen -' : 'remove it or use a plain letter',
  }));
}

const SMS_PREFIX = 'sms.';
const USED_BY: Record<string, string> = { engine: 'used by the engine', sms: 'sent by SMS' };

export function checkMessages<C>({ pack, vocabulary }: LoadedPack<C>): Problem[] {
  const problems: Problem[] = [];
  const names = variableNames(vocabulary);
  const variableProblems = (variable: string, where: Omit<Problem, 'code' | 'message' | 'fix'>): Problem[] => unknownVariable(names, pack.values, variable, where);
  const file = (lang: string): string => `messages.${lang}.yaml`;
  const referenced = new Map<string, string>([...requiredMessages(vocabulary).map((k): [string, string] => [k, 'engine']), ...Object.keys(SMS_MESSAGES).map((k): [string, string] => [k, 'sms'])]);
  for (const [id, node] of Object.entries(pack.nodes))
    for (const ref of kindOf(node).messageKeys(node)) if (!referenced.has(ref.key)) referenced.set(ref.key, `nodes.${id}.${ref.path}`);
  const allKeys = new Set(pack.languages.flatMap((l) => Object.keys(pack.messages[l])));
  for (const lang of pack.languages) {
    const catalogue = pack.messages[lang];
    for (const [key, where] of referenced)
      if (catalogue[key] === undefined)
        problems.push({ code: 'FLOW.MISSING_TRANSLATION', pack: pack.id, file: file(lang), path: key, message: `message '${key}' (${USED_BY[where] ?? `used by ussd.yaml ${where}`}) is missing`, fix: missingFix(key, where, lang, allKeys) });
    for (const key of allKeys)
      if (catalogue[key] === undefined && !referenced.has(key))
        problems.push({ code: 'FLOW.MISSING_TRANSLATION', pack: pack.id, file: file(lang), path: key, message: `message '${key}' exists in another language but not in ${lang}`, fix: `add '${key}' in ${lang}` });
    for (const [key, text] of Object.entries(catalogue)) {
      problems.push(...alphabetProblems(text, { pack: pack.id, file: file(lang), path: key }));
      // SMS texts have their own variables, checked in check-sms.
      if (!key.startsWith(SMS_PREFIX)) for (const variable of templateVariables(text)) problems.push(...variableProblems(variable, { pack: pack.id, file: file(lang), path: key }));
    }
  }
  for (const [id, node] of Object.entries(pack.nodes))
    for (const t of kindOf(node).templates(node))
      for (const variable of templateVariables(t.template)) problems.push(...variableProblems(variable, { pack: pack.id, file: 'ussd.yaml', path: `nodes.${id}.${t.path}` }));
  for (const lang of pack.languages) {
    for (const which of ['back', 'home', 'more'] as const)
      problems.push(...alphabetProblems(pack.nav[which].label[lang], { pack: pack.id, file: 'pack.yaml', path: `nav.${which}.label.${lang}` }));
  }
  problems.push(...eventAlphabet(pack.event, pack.id));
  return problems;
}

function missingFix(key: string, where: string, lang: string, allKeys: Set<string>): string {
  if (allKeys.has(key)) return `add '${key}' in ${lang}`;
  if (where !== 'sms') return suggest(key, allKeys, 'an existing key');
  const vars = smsVariablesOf(key) ?? [];
  return `add '${key}' under 'sms:' (it may use ${vars.map((v) => `{${v}}`).join(', ')})`;
}

function unknownVariable(names: readonly string[], values: Record<string, unknown>, variable: string, where: Omit<Problem, 'code' | 'message' | 'fix'>): Problem[] {
  if (names.includes(variable)) return [];
  if (variable.startsWith('values.') && values[variable.slice(7)] !== undefined) return [];
  const known = [...names, ...Object.keys(values).map((v) => `values.${v}`)];
  return [{ ...where, code: 'FLOW.UNKNOWN_VARIABLE', message: `unknown template variable {${variable}}`, fix: suggest(variable, known, 'a variable') }];
}

function eventAlphabet(value: unknown, packId: string, path = ''): Problem[] {
  if (typeof value === 'string') return alphabetProblems(value, { pack: packId, file: 'event.yaml', path });
  if (Array.isArray(value)) return value.flatMap((v, i) => eventAlphabet(v, packId, `${path}[${i}]`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => eventAlphabet(v, packId, path === '' ? k : `${path}.${k}`));
  return [];
}
