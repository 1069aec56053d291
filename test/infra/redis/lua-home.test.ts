/**
 * Lua runs through one runner (src/infra/redis/lua.ts: EVALSHA with one EVAL fallback), and every
 * script says what it touches: a header naming its KEYS, its ARGV and what it returns.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '../../../src');
const RUNNER = path.join(SRC, 'infra/redis/lua.ts');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Ways of running Lua that bypass the runner. */
const BYPASS = /\.(eval|evalsha|evalsha_ro|eval_ro|fcall|defineCommand)\(/;

/** Problems with the scripts in `source`: a bypass of the runner, or a script without its header. */
function luaProblems(file: string, source: string): string[] {
  const problems: string[] = [];
  source.split('\n').forEach((line, i) => {
    if (BYPASS.test(line.replace(/^\s*(\*|\/\/).*$/, ''))) problems.push(`${file}:${i + 1}: runs Lua without infra/redis/lua.ts`);
  });
  for (const match of source.matchAll(/defineScript\(\s*'([^']+)',\s*`([^`]*)`/g)) {
    // The header is the comment just above the definition or a --[[ ]] block at the top of the script.
    const before = source.slice(0, source.lastIndexOf('\n', match.index) + 1);
    const comment = before.slice(before.lastIndexOf('/**'));
    const header = `${before.trimEnd().endsWith('*/') ? comment : ''}\n${match[2] ?? ''}`;
    for (const part of ['KEYS', 'ARGV', 'Returns']) if (!header.includes(part)) problems.push(`${file}: script '${match[1]}' has no ${part} in its header`);
  }
  return problems;
}

describe('one Lua runner', () => {
  it('flags a script run around the runner and a script without a header', () => {
    expect(luaProblems('a.ts', "await redis.eval(SCRIPT, 1, key);")).toHaveLength(1);
    expect(luaProblems('b.ts', "redis.defineCommand('x', { numberOfKeys: 1, lua: X });")).toHaveLength(1);
    expect(luaProblems('c.ts', "const s = defineScript('bare', `return redis.call('GET', KEYS[1])`);")).toEqual([
      "c.ts: script 'bare' has no ARGV in its header",
      "c.ts: script 'bare' has no Returns in its header",
    ]);
    expect(luaProblems('d.ts', "/**\n * KEYS[1] a\n * ARGV[1] b\n * Returns 1.\n */\nconst s = defineScript('ok', `return 1`);")).toEqual([]);
  });

  it('finds every script in src defined with defineScript, with its header, and none run otherwise', () => {
    const files = sourceFiles(SRC).filter((file) => file !== RUNNER);
    const problems = files.flatMap((file) => luaProblems(path.relative(SRC, file), readFileSync(file, 'utf8')));
    expect(problems).toEqual([]);
    const scripts = files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/defineScript\(\s*'([^']+)'/g)].map((m) => m[1]));
    expect(scripts).toEqual(expect.arrayContaining(['begin-hop', 'finish-hop', 'unlock-hop', 'register', 'create-message-packed', 'transition', 'transition-packed', 'suppress']));
  });
});
