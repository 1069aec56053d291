/**
 * The clock is injected: modules read the time from the `Clock` they are given (src/kernel/clock.ts),
 * so tests and golden transcripts can fix it. Only the clock itself, main.ts and the process
 * management in src/infra read the system time directly.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '../../src');
const ALLOWED = [/^kernel\/clock\.ts$/, /^main\.ts$/, /^infra\//];
/** Reads of the current time: `Date.now()`, `new Date()` without an argument, a bare `Date()`. */
const NOW = /\bDate\.now\s*\(|new Date\(\s*\)|(?<![\w.])Date\(\s*\)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function clockReads(file: string, source: string): string[] {
  return source.split('\n').flatMap((line, i) => (NOW.test(line.replace(/^\s*(\*|\/\/).*$/, '')) ? [`${file}:${i + 1}: ${line.trim()}`] : []));
}

describe('the injected clock', () => {
  it('flags reads of the system time and lets dates built from a value through', () => {
    expect(clockReads('a.ts', 'const at = Date.now();')).toHaveLength(1);
    expect(clockReads('b.ts', 'const at = new Date();')).toHaveLength(1);
    expect(clockReads('c.ts', 'const at = new Date(record.at); const t = clock.now().getTime();')).toEqual([]);
  });

  it('is the only time source in src modules', () => {
    const found = sourceFiles(SRC)
      .map((file) => path.relative(SRC, file).split(path.sep).join('/'))
      .filter((file) => !ALLOWED.some((allowed) => allowed.test(file)))
      .flatMap((file) => clockReads(file, readFileSync(path.join(SRC, file), 'utf8')));
    expect(found).toEqual([]);
  });
});
