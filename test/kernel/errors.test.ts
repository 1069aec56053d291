/** The error vocabulary: one base, one closed list of codes, and no uncoded throw anywhere in src. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ALL_ERROR_CODES, AppError, ERROR_CODES, errorWithCode, isErrorCode } from '../../src/kernel/errors';
import { ConfigError } from '../../src/config/load';
import { RedisUnavailableError } from '../../src/infra/redis/resolve-redis';

const SRC = path.join(__dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('error codes', () => {
  it('gives every code a meaning that says what happened', () => {
    expect(ALL_ERROR_CODES.length).toBeGreaterThan(20);
    for (const code of ALL_ERROR_CODES) {
      expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*(\.[A-Z]+(_[A-Z]+)*)?$/);
      expect(ERROR_CODES[code].length).toBeGreaterThan(10);
    }
  });

  it('tells codes from other strings', () => {
    expect(isErrorCode('DELEGATE.NOT_FOUND')).toBe(true);
    expect(isErrorCode('DELEGATE.MISSING')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode(42)).toBe(false);
  });
});

describe('AppError', () => {
  it('carries code, message, details and cause, and is named after its class', () => {
    const cause = new Error('socket closed');
    const error = new AppError('BROADCAST.CONFLICT', 'A completed broadcast cannot be paused.', { state: 'completed' }, { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'BROADCAST.CONFLICT', message: 'A completed broadcast cannot be paused.', details: { state: 'completed' }, name: 'AppError' });
    expect(error.cause).toBe(cause);
  });

  it('makes one-line named errors of a fixed code', () => {
    class PackGone extends errorWithCode('FLOW.NO_PACK') {}
    const error = new PackGone('No flow pack is loaded.', { dir: 'flows/' });
    expect(error).toBeInstanceOf(AppError);
    expect(error).toBeInstanceOf(PackGone);
    expect(error).toMatchObject({ code: 'FLOW.NO_PACK', name: 'PackGone', details: { dir: 'flows/' } });
  });

  it('is the base of the named errors the gateway throws at start', () => {
    const config = new ConfigError(['PORT: expected a number (got "x")']);
    expect(config).toBeInstanceOf(AppError);
    expect(config).toMatchObject({ code: 'CONFIG.INVALID', name: 'ConfigError', problems: ['PORT: expected a number (got "x")'] });
    expect(config.message).toMatch(/1 problem\):\n {2}- PORT/);
    expect(new RedisUnavailableError('no redis')).toMatchObject({ code: 'REDIS.UNAVAILABLE', name: 'RedisUnavailableError' });
  });
});

describe('thrown errors in src', () => {
  const files = sourceFiles(SRC);

  it('reads the whole source tree', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('throws no plain Error and declares no error class outside AppError', () => {
    const offending: string[] = [];
    for (const file of files) {
      if (file.endsWith(path.join('kernel', 'errors.ts'))) continue;
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        if (/\bnew (Type|Range)?Error\(|\bextends Error\b/.test(line)) offending.push(`${path.relative(SRC, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offending).toEqual([]);
  });

  it('throws only AppError and its subclasses (and BullMQ\'s own control signal)', () => {
    const sources = files.map((file) => readFileSync(file, 'utf8'));
    const coded = new Set(['AppError']);
    for (const text of sources) for (const match of text.matchAll(/class (\w+) extends (?:AppError|errorWithCode\()/g)) coded.add(match[1] as string);
    expect([...coded]).toEqual(expect.arrayContaining(['ConfigError', 'FlowPackError', 'RedisUnavailableError', 'AtConfigurationError', 'TooManyRecipientsError', 'RetryLaterError']));
    // DelayedError tells BullMQ to move a job back to delayed; it must be BullMQ's class, and no caller sees it.
    const allowed = new Set([...coded, 'DelayedError']);
    const thrown = sources.flatMap((text) => [...text.matchAll(/throw new (\w+)/g)].map((match) => match[1] as string));
    expect(thrown.length).toBeGreaterThan(30);
    expect([...new Set(thrown)].filter((name) => !allowed.has(name))).toEqual([]);
  });
});
