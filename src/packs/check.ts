/**
 * flows:check: every semantic problem of a loaded pack, all at once, each with file, path and a
 * suggested fix. The loader reports schema problems; this adds graph, catalogue, template, budget,
 * alphabet, action and provider checks.
 */
import { eventProblems } from '../event/event-schema';
import { parseCondition } from '../engine/conditions';
import { kindOf } from '../engine/nodes/registry';
import { checkBudgets } from './check-budget';
import { checkClashes } from './check-clashes';
import { checkGraph } from './check-graph';
import { checkMessages } from './check-messages';
import { checkLateAction } from './check-late';
import { checkSmsMessages } from './check-sms';
import type { LoadedPack } from './load';
import { suggest, type Problem } from './problem';

/** All problems of one loaded pack against the vocabulary it was loaded with (empty when it is sound). */
export function checkPack<C>(loaded: LoadedPack<C>): Problem[] {
  const { pack, vocabulary } = loaded;
  const conditionNames = Object.keys(vocabulary.conditions);
  const has = (table: object, name: string): boolean => Object.prototype.hasOwnProperty.call(table, name);
  const problems: Problem[] = [];
  const at = (file: string, path: string, code: string, message: string, fix?: string): void => {
    problems.push({ code, pack: pack.id, file, path, message, ...(fix === undefined ? {} : { fix }) });
  };
  if (!pack.languages.includes(pack.defaultLanguage)) at('pack.yaml', 'defaultLanguage', 'FLOW.LANGUAGE', `default language '${pack.defaultLanguage}' is not in languages`, `add it to languages`);
  const keys = [pack.nav.back.key, pack.nav.home.key, pack.nav.more.key];
  if (new Set(keys).size !== keys.length) at('pack.yaml', 'nav', 'FLOW.NAV', 'navigation keys must differ', 'use 0, 00 and 98');
  for (const p of eventProblems(pack.event)) at('event.yaml', p.path, 'FLOW.EVENT', p.message);
  problems.push(...checkGraph(loaded), ...checkMessages(loaded), ...checkSmsMessages(loaded), ...checkBudgets(loaded));
  for (const [id, node] of Object.entries(pack.nodes)) {
    const base = `nodes.${id}`;
    for (const c of kindOf(node).conditions(node)) {
      const parsed = parseCondition(c.expr, conditionNames);
      if ('error' in parsed) at('ussd.yaml', `${base}.${c.path}`, 'FLOW.CONDITION', `bad condition '${c.expr}': ${parsed.error}`);
      else for (const clause of parsed.clauses) {
        const name = clause.ref.startsWith('values.') ? clause.ref.slice(7) : null;
        if (name !== null && !pack.values[name]) at('ussd.yaml', `${base}.${c.path}`, 'FLOW.UNKNOWN_VARIABLE', `condition uses 'values.${name}', which no node stores`, suggest(name, Object.keys(pack.values), 'a stored value'));
      }
    }
    if (node.type === 'action') {
      const spec = has(vocabulary.actions, node.action) ? vocabulary.actions[node.action] : undefined;
      if (!spec) {
        at('ussd.yaml', `${base}.action`, 'FLOW.UNKNOWN_ACTION', `unknown action '${node.action}'`, suggest(node.action, Object.keys(vocabulary.actions), 'an action'));
        continue;
      }
      for (const outcome of Object.keys(node.outcomes))
        if (!spec.outcomes.includes(outcome)) at('ussd.yaml', `${base}.outcomes.${outcome}`, 'FLOW.UNKNOWN_OUTCOME', `action '${node.action}' has no outcome '${outcome}'`, suggest(outcome, spec.outcomes, 'an outcome'));
      for (const outcome of spec.outcomes)
        if (node.outcomes[outcome] === undefined) at('ussd.yaml', `${base}.outcomes`, 'FLOW.UNMAPPED_OUTCOME', `outcome '${outcome}' of action '${node.action}' has no target`, `add 'outcomes.${outcome}: <node>'`);
      for (const param of spec.params)
        if (node.params[param] === undefined) at('ussd.yaml', `${base}.params`, 'FLOW.ACTION_PARAMS', `action '${node.action}' needs param '${param}'`, `add 'params.${param}: "{values.${param}}"'`);
      for (const param of Object.keys(node.params))
        if (!spec.params.includes(param)) at('ussd.yaml', `${base}.params.${param}`, 'FLOW.ACTION_PARAMS', `action '${node.action}' takes no param '${param}'`, suggest(param, spec.params, 'a param'));
      problems.push(...checkLateAction(pack, id, node));
    }
    if (node.type === 'list') {
      const provider = has(vocabulary.lists, node.provider) ? vocabulary.lists[node.provider] : undefined;
      if (!provider) at('ussd.yaml', `${base}.provider`, 'FLOW.UNKNOWN_PROVIDER', `unknown list provider '${node.provider}'`, suggest(node.provider, Object.keys(vocabulary.lists), 'a provider'));
      for (const param of provider?.params ?? [])
        if (node.params[param] === undefined) at('ussd.yaml', `${base}.params`, 'FLOW.PROVIDER_PARAMS', `provider '${node.provider}' needs param '${param}'`, `add 'params.${param}: "{values.${param}}"'`);
    }
  }
  problems.push(...checkKeywords(loaded));
  return problems;
}

/** Problems between the packs of one gateway (service codes, pack keywords, defaults). */
export function checkPackSet<C>(loaded: ReadonlyArray<Pick<LoadedPack<C>, 'pack' | 'sms'>>): Problem[] {
  return checkClashes(loaded);
}

function checkKeywords(loaded: Pick<LoadedPack<unknown>, 'pack' | 'keywords'>): Problem[] {
  const problems: Problem[] = [];
  const owner = new Map<string, string>();
  for (const [command, byLang] of Object.entries(loaded.keywords.commands))
    for (const [lang, words] of Object.entries(byLang))
      words.forEach((word, i) => {
        const other = owner.get(word);
        if (other !== undefined && other !== command)
          problems.push({ code: 'FLOW.KEYWORD_CLASH', pack: loaded.pack.id, file: 'keywords.yaml', path: `commands.${command}.${lang}[${i}]`, message: `'${word}' is also a word of '${other}'`, fix: 'each word may belong to one command only' });
        owner.set(word, command);
      });
  return problems;
}
