import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { toMermaid } from '../../src/packs/graph';
import { loadPackFolder, loadPacks } from '../../src/packs/load';
import { checkPack } from '../../src/packs/check';
import { editDistance, formatProblem, suggest, type Problem } from '../../src/packs/problem';

const BROKEN = join(__dirname, '../fixtures/broken-packs');

function problemsOf(folder: string): Problem[] {
  const { loaded, problems } = loadPackFolder(join(BROKEN, folder), folder);
  return loaded ? [...problems, ...checkPack(loaded)] : problems;
}

describe('the sample pack', () => {
  test('flows:check finds no problem', () => {
    const { packs, problems } = loadPacks(join(__dirname, '../../flows'));
    expect(problems.map(formatProblem)).toEqual([]);
    expect(packs.map((p) => p.id)).toContain('egov2015');
  });

  test('its version is a stable content hash', () => {
    const a = loadPackFolder(join(__dirname, '../../flows/egov2015'), 'egov2015').loaded?.pack.version;
    const b = loadPackFolder(join(__dirname, '../../flows/egov2015'), 'egov2015').loaded?.pack.version;
    expect(a).toMatch(/^[0-9a-f]{12}$/);
    expect(a).toBe(b);
  });

  test('--graph draws a Mermaid flowchart with every node', () => {
    const pack = loadPackFolder(join(__dirname, '../../flows/egov2015'), 'egov2015').loaded?.pack;
    if (!pack) throw new Error('no pack');
    const graph = toMermaid(pack);
    expect(graph.startsWith('flowchart TD')).toBe(true);
    for (const id of Object.keys(pack.nodes)) expect(graph).toContain(`  n_${id}`);
    expect(graph).toContain('n_reg_submit -->|"ok"| n_reg_done');
  });
});

// Each broken pack holds one class of problem; the checker must name the file and the path.
const EXPECTED: Record<string, { code: string; file: string; path: string; text: RegExp }> = {
  'schema-error': { code: 'FLOW.SCHEMA', file: 'ussd.yaml', path: 'nodes.done.type', text: /did you mean 'end'/ },
  'yaml-syntax': { code: 'FLOW.YAML', file: 'ussd.yaml', path: 'line 12, column 1', text: /same column/ },
  'unknown-target': { code: 'FLOW.UNKNOWN_TARGET', file: 'ussd.yaml', path: 'nodes.ask_name.next', text: /did you mean 'confirm_name'/ },
  unreachable: { code: 'FLOW.UNREACHABLE', file: 'ussd.yaml', path: 'nodes.orphan', text: /cannot be reached/ },
  'dead-end': { code: 'FLOW.DEAD_END', file: 'ussd.yaml', path: 'nodes.confirm_name', text: /no way on/ },
  'missing-translation': { code: 'FLOW.MISSING_TRANSLATION', file: 'messages.en.yaml', path: 'done.text', text: /missing/ },
  'unknown-variable': { code: 'FLOW.UNKNOWN_VARIABLE', file: 'messages.sw.yaml', path: 'confirm.text', text: /did you mean 'values.name'/ },
  'over-budget': { code: 'FLOW.OVER_BUDGET', file: 'ussd.yaml', path: 'nodes.done', text: /244 characters in sw/ },
  'non-gsm': { code: 'FLOW.NOT_GSM7', file: 'messages.sw.yaml', path: 'ask.name', text: /'\u201C' \(U\+201C\) at position 11/ },
  'unknown-action': { code: 'FLOW.UNKNOWN_ACTION', file: 'ussd.yaml', path: 'nodes.save.action', text: /did you mean 'register'/ },
  'unknown-provider': { code: 'FLOW.UNKNOWN_PROVIDER', file: 'ussd.yaml', path: 'nodes.days.provider', text: /did you mean 'days'/ },
  'bad-condition': { code: 'FLOW.CONDITION', file: 'ussd.yaml', path: 'nodes.home.options[1].when', text: /unknown name 'registerd'/ },
};

describe('broken packs', () => {
  test('there is a fixture for every expectation and the other way round', () => {
    // clashes/ holds several packs at once (see check-clashes.test.ts).
    expect(readdirSync(BROKEN).filter((n) => n !== 'clashes').sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  test.each(Object.entries(EXPECTED))('%s is caught with file and path', (folder, expected) => {
    const problems = problemsOf(folder);
    const match = problems.find((p) => p.code === expected.code && p.file === expected.file && p.path === expected.path);
    expect(match).toBeDefined();
    expect(formatProblem(match as Problem)).toMatch(expected.text);
    expect(formatProblem(match as Problem)).toContain(`${folder}/${expected.file}: ${expected.path}`);
  });

  test('unknown-action also reports the unmapped and the unknown outcomes', () => {
    const codes = problemsOf('unknown-action').map((p) => `${p.code} ${p.path}`);
    expect(codes).toEqual(expect.arrayContaining(['FLOW.UNKNOWN_OUTCOME nodes.remind.outcomes.eror', 'FLOW.UNMAPPED_OUTCOME nodes.remind.outcomes']));
  });

  test('the missing-translation pack reports a key present in one language only', () => {
    expect(problemsOf('missing-translation').some((p) => p.path === 'extra.only_here' && p.file === 'messages.en.yaml')).toBe(true);
  });

  test('all problems of all packs come back at once, and broken packs are not served', () => {
    const { packs, problems } = loadPacks(BROKEN);
    expect(packs).toEqual([]);
    expect(new Set(problems.map((p) => p.pack)).size).toBe(Object.keys(EXPECTED).length);
  });
});

describe('suggestions', () => {
  test('edit distance', () => {
    expect(editDistance('confirm', 'confirm_name')).toBe(5);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
  test('closest candidate or the list', () => {
    expect(suggest('confrm_name', ['confirm_name', 'home'])).toBe("did you mean 'confirm_name'?");
    expect(suggest('zzzzzz', ['home', 'help'])).toBe('use one of: home, help');
  });
});
