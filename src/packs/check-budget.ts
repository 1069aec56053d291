/**
 * Screen budget checks: renders every screen node in every language with each variable at its
 * longest allowed value (input max lengths, declared values, the event data) and every option
 * shown, then measures what the renderer cannot fix by paginating: one-page screens (inputs, END),
 * single option rows, and the engine's own screens (failure, resume).
 */
import type { FlowPack, Vocabulary } from '../engine';
import { kindOf } from '../engine/nodes/registry';
import { INPUT_REASONS } from '../engine/nodes/input';
import { message, resolveNext, type Runtime } from '../engine/runtime';
import { navLine, resumePrompt } from '../engine/screen';
import { renderTemplate } from '../engine/template';
import { variableMaxLengths } from '../engine/variables';
import type { Language } from '../kernel/language';
import { textUnits } from '../kernel/text/gsm';
import type { LoadedPack } from './load';
import type { Problem } from './problem';

/** A runtime where every variable is as long as it can get on `sample` and every condition holds. */
export function worstCaseRuntime<C>(pack: FlowPack, vocabulary: Vocabulary<C>, sample: C, lang: Language): Runtime {
  const vars = Object.fromEntries(Object.entries(variableMaxLengths(pack, vocabulary, sample, lang)).map(([k, n]) => [k, 'W'.repeat(n)]));
  const t = (key: string): string => message(pack, lang, key);
  return {
    pack, lang, values: {},
    text: (key, extra) => renderTemplate(t(key), { ...vars, ...extra }),
    fill: (template) => renderTemplate(template, vars),
    when: () => true,
    next: (next) => resolveNext(next, () => true),
    list: (provider) => vocabulary.lists[provider]?.universe({ ctx: sample, lang, t }) ?? [],
  };
}

const lineUnits = (lines: string[]): number => lines.reduce((s, l) => s + textUnits(l), 0) + Math.max(0, lines.length - 1);

export function checkBudgets<C>({ pack, vocabulary, sample }: LoadedPack<C>): Problem[] {
  const problems: Problem[] = [];
  const budget = pack.screen.maxChars;
  for (const lang of pack.languages) {
    const rt = worstCaseRuntime(pack, vocabulary, sample, lang);
    const over = (path: string, units: number, what: string, file = 'ussd.yaml'): void => {
      problems.push({ code: 'FLOW.OVER_BUDGET', pack: pack.id, file, path, message: `${what} can reach ${units} characters in ${lang} (budget ${budget})`, fix: 'shorten the text, or lower the maxLength of the values it shows' });
    };
    const footer = [navLine(pack, 'more', lang), navLine(pack, 'back', lang)];
    const longestReason = Math.max(...INPUT_REASONS.map((r) => textUnits(rt.text(r, { 'input.min': 'WWW', 'input.max': 'WWW' }))));
    for (const [id, node] of Object.entries(pack.nodes)) {
      const kind = kindOf(node);
      if (!kind.render) continue;
      const view = kind.render(node, rt);
      const lines = [...view.body, ...view.options];
      if (!view.paginate) {
        const units = lineUnits(lines) + (view.type === 'CON' ? longestReason + 1 : 0);
        if (units > budget) over(`nodes.${id}`, units, view.type === 'END' ? 'this END screen' : 'this prompt with its longest error line');
        continue;
      }
      view.options.forEach((option, i) => {
        const units = lineUnits([option, ...footer]);
        if (units > budget) over(`nodes.${id}.${node.type === 'list' ? `provider(${node.provider}) row ${i + 1}` : `options[${i}]`}`, units, 'one option with the more/back lines');
      });
    }
    const failure = textUnits(message(pack, lang, 'failure.generic'));
    if (failure > budget) over('failure.generic', failure, 'the failure screen', `messages.${lang}.yaml`);
    const resume = textUnits(resumePrompt(pack, lang).text);
    if (resume > budget) over('resume.title', resume, 'the resume prompt', `messages.${lang}.yaml`);
  }
  return problems;
}
