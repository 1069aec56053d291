/** The pack loader and flows:check validate a pack against the vocabulary they are given. */
import { join } from 'node:path';
import { checkPack } from '../../src/packs/check';
import { loadPackFolder } from '../../src/packs/load';
import { EVENT_PACK_VOCABULARY, type PackVocabulary } from '../../src/packs/pack-vocabulary';
import { formatProblem } from '../../src/packs/problem';
import type { EventContext } from '../../src/event/context';

const SAMPLE = join(__dirname, '../../flows/egov2015');

function problemsWith(vocabulary: PackVocabulary<EventContext>): string[] {
  const { loaded, problems } = loadPackFolder(SAMPLE, 'egov2015', vocabulary);
  if (!loaded) throw new Error(`sample pack did not load: ${problems.map(formatProblem).join('\n')}`);
  return [...problems, ...checkPack(loaded)].map(formatProblem);
}

describe('packs against a vocabulary', () => {
  test('the sample pack is sound against the conference vocabulary, the default', () => {
    expect(problemsWith(EVENT_PACK_VOCABULARY)).toEqual([]);
    const { loaded } = loadPackFolder(SAMPLE, 'egov2015');
    expect(loaded?.vocabulary).toBe(EVENT_PACK_VOCABULARY);
  });

  test('an action the vocabulary lacks is reported where the flow uses it, with the known ones as a hint', () => {
    const { erase_me: _gone, ...actions } = EVENT_PACK_VOCABULARY.actions;
    const problems = problemsWith({ ...EVENT_PACK_VOCABULARY, actions });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => /unknown action 'erase_me'/.test(p))).toBe(true);
  });

  test('a new host action is one entry in the vocabulary: its outcomes are then checked', () => {
    const actions = { ...EVENT_PACK_VOCABULARY.actions, erase_me: { params: [], outcomes: ['ok', 'error', 'pending'] } };
    const problems = problemsWith({ ...EVENT_PACK_VOCABULARY, actions });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => /outcome 'pending' of action 'erase_me' has no target/.test(p))).toBe(true);
  });

  test('list providers, conditions and variables are the vocabulary\'s too', () => {
    const { now_next: _provider, ...lists } = EVENT_PACK_VOCABULARY.lists;
    const { subscribed: _condition, ...conditions } = EVENT_PACK_VOCABULARY.conditions;
    const names = EVENT_PACK_VOCABULARY.variables.names.filter((n) => n !== 'event.note');
    const problems = problemsWith({ ...EVENT_PACK_VOCABULARY, lists, conditions, variables: { ...EVENT_PACK_VOCABULARY.variables, names } });
    expect(problems.some((p) => /unknown list provider 'now_next'/.test(p))).toBe(true);
    expect(problems.some((p) => /bad condition '!?subscribed': unknown name 'subscribed'/.test(p))).toBe(true);
    expect(problems.some((p) => /unknown template variable \{event\.note\}/.test(p))).toBe(true);
  });
});
