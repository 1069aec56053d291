/**
 * SMS catalogue checks: every `sms.*` text is one the gateway sends, uses only the variables its
 * sender fills in, and fits {@link SMS_MAX_SEGMENTS} segments with each variable at its longest.
 * Missing translations and non-GSM characters are reported by check-messages, like any text.
 */
import { renderTemplate, templateVariables } from '../engine/template';
import { textUnits } from '../kernel/text/gsm';
import type { LoadedPack } from './load';
import { suggest, type Problem } from './problem';
import { SMS_MAX_SEGMENTS, SMS_MESSAGES, SMS_SEGMENT_CHARS, smsVariableMaxLengths, smsVariablesOf } from './sms-messages';

export function checkSmsMessages({ pack }: Pick<LoadedPack<unknown>, 'pack'>): Problem[] {
  const problems: Problem[] = [];
  const budget = SMS_MAX_SEGMENTS * SMS_SEGMENT_CHARS;
  for (const lang of pack.languages) {
    const file = `messages.${lang}.yaml`;
    const longest = Object.fromEntries(Object.entries(smsVariableMaxLengths(pack, pack.event, lang)).map(([k, n]) => [k, 'W'.repeat(n)]));
    for (const [key, text] of Object.entries(pack.messages[lang])) {
      if (!key.startsWith('sms.')) continue;
      const at = { pack: pack.id, file, path: key };
      const allowed = smsVariablesOf(key);
      if (allowed === undefined) {
        problems.push({ ...at, code: 'FLOW.UNKNOWN_MESSAGE', message: `'${key}' is not an SMS the gateway sends`, fix: suggest(key, Object.keys(SMS_MESSAGES), 'an SMS key') });
        continue;
      }
      for (const variable of new Set(templateVariables(text)))
        if (!allowed.includes(variable))
          problems.push({ ...at, code: 'FLOW.UNKNOWN_VARIABLE', message: `unknown template variable {${variable}} (this SMS gets ${allowed.map((v) => `{${v}}`).join(', ') || 'none'})`, fix: suggest(variable, allowed, 'a variable') });
      const units = textUnits(renderTemplate(text, longest));
      if (units > budget)
        problems.push({ ...at, code: 'FLOW.OVER_BUDGET', message: `this SMS can reach ${units} characters in ${lang}, over ${SMS_MAX_SEGMENTS} segments (budget ${budget})`, fix: 'shorten the text; lists are cut to fit, the rest is not' });
    }
  }
  return problems;
}
