/**
 * Every Redis key name, TTL and queue name is spelled in src/infra/redis/keys.ts only. This scan
 * keeps it so: a key built anywhere else (the same key spelled twice drifts apart), a queue name
 * passed as a literal or a TTL written as a number next to EX/PX/EXPIRE fails the suite.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createKeys } from '../../../src/infra/redis/keys';

const SRC = path.resolve(__dirname, '../../../src');
const HOME = path.join(SRC, 'infra/redis/keys.ts');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The static words of every key keys.ts builds (`ussd`, `help-sent`, `subscriber-refs`...). */
function keyWords(): Set<string> {
  const keys = createKeys('P');
  const words = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'function') {
      const built = (value as (...args: string[]) => unknown)('A', 'B');
      if (typeof built !== 'string') return;
      for (const part of built.split(':')) {
        const word = part.replace(/[{}*]/g, '');
        if (word.length > 2 && !['P', 'A', 'B'].includes(word)) words.add(word);
      }
    } else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(keys);
  return words;
}

const WORDS = [...keyWords()].map((w) => w.replace(/[-]/g, '\\-')).join('|');

/** Shapes that build a key, name a queue or write a TTL by hand. Each names what to do instead. */
const RULES: Array<{ pattern: RegExp; fix: string }> = [
  { pattern: /keys\.prefix|\.prefix\}/, fix: 'add a named key function to keys.ts instead of building on the prefix' },
  // `${x}:sms:...`, '...:help-sent:', `{pack:${id}}`: a key shape written outside the keys module.
  // (A `/:word` is an express route parameter, not a key.)
  { pattern: new RegExp(`[^/]:(${WORDS})(:|\\}|\\$|[\`'"])|\\{(${WORDS}):`), fix: 'use the key function in keys.ts' },
  { pattern: /new (Queue|Worker|QueueEvents|FlowProducer)\s*(<[^>]*>)?\(\s*['"`]/, fix: 'name the queue in QUEUES (keys.ts)' },
  { pattern: /['"](EX|PX)['"],\s*\d/, fix: 'put the TTL in the TTL table (keys.ts)' },
  { pattern: /\b(p?expire)\([^,)]+,\s*\d/i, fix: 'put the TTL in the TTL table (keys.ts)' },
  { pattern: /removeOn(Complete|Fail):\s*\{\s*age:\s*\d/, fix: 'put the retention in the TTL table (keys.ts)' },
];

/** `file:line: text (fix)` for every line of `source` that breaks a rule. */
function violations(file: string, source: string): string[] {
  const found: string[] = [];
  source.split('\n').forEach((line, i) => {
    const code = line.replace(/^\s*(\*|\/\/).*$/, '');
    const broken = RULES.find((rule) => rule.pattern.test(code));
    if (broken) found.push(`${file}:${i + 1}: ${line.trim()} (${broken.fix})`);
  });
  return found;
}

describe('the keys module is the one home of key names, TTLs and queue names', () => {
  it('knows the words keys are made of', () => {
    expect(WORDS).toContain('help\\-sent');
    expect(WORDS).toContain('subscriber\\-refs');
    expect(WORDS).toContain('ussd');
  });

  it('flags keys, queue names and TTLs written by hand', () => {
    const planted = [
      'const k = `${keys.prefix}:sms:help-sent:${phone}`;',
      "const k = `${p}:sms:inbound:${id}`;",
      'const q = new Queue<Job>(\'reminders\', { connection });',
      "await redis.set(key, '1', 'EX', 3600, 'NX');",
      'await redis.expire(key, 86400);',
      'const keep = { removeOnComplete: { age: 86400 } };',
      "const base = `${root}:{pack:${packId}}:subscriber-refs`;",
    ];
    for (const line of planted) expect(violations('planted.ts', line)).toHaveLength(1);
    expect(violations('fine.ts', "const hop = `${sessionId}:${hop}`; await redis.set(k, v, 'EX', TTL.helpSentS);")).toEqual([]);
  });

  it('finds none in src outside keys.ts', () => {
    const found = sourceFiles(SRC)
      .filter((file) => file !== HOME)
      .flatMap((file) => violations(path.relative(SRC, file), readFileSync(file, 'utf8')));
    expect(found).toEqual([]);
  });
});
