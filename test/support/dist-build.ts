/**
 * The compiled build (`dist/`, what `npm start` runs) for the tests that start the gateway as a
 * process: compiled once per change of the sources, whichever test file asks first, and at most
 * once per jest run. A full run starts the build from the global setup, in the background, so that
 * the first test file needing it finds it done or under way instead of waiting for all of it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const ROOT = path.resolve(__dirname, '../..');
export const MAIN = path.join(ROOT, 'dist/src/main.js');

/** Newest modification time under `dir` (files only); the bench compares dist/ against it too. */
export function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const BUILT_MARK = path.join(ROOT, 'dist/.built');
const BUILD_LOCK = path.join(os.tmpdir(), `kiungo-dist-lock-${createHash('sha1').update(ROOT).digest('hex').slice(0, 12)}`);

/** True when dist/ was compiled after the last change to src/ or the build's tsconfig. */
export function distUpToDate(): boolean {
  if (!existsSync(BUILT_MARK) || !existsSync(MAIN)) return false;
  const sources = Math.max(newestMtime(path.join(ROOT, 'src')), statSync(path.join(ROOT, 'tsconfig.build.json')).mtimeMs);
  return statSync(BUILT_MARK).mtimeMs > sources;
}

/**
 * Compiles src/ into dist/ exactly as `npm start` does (`npm run build`); rejects with tsc's output
 * on an error. Several test files call it at once (jest runs files in parallel): one builds under a
 * lock, the others wait for it, and nobody rebuilds a dist/ newer than every source file.
 */
export async function buildDist(): Promise<void> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch {
      // A lock older than the longest build is left by a killed run.
      try {
        if (Date.now() - statSync(BUILD_LOCK).mtimeMs > 300_000) rmSync(BUILD_LOCK, { recursive: true, force: true });
      } catch { /* gone already */ }
      if (Date.now() > deadline) throw new Error('waited too long for another build of dist/');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    if (distUpToDate()) return;
    await promisify(execFile)(npm, ['run', '-s', 'build'], { cwd: ROOT, timeout: 240_000, maxBuffer: 10 * 1024 * 1024 });
    writeFileSync(BUILT_MARK, new Date().toISOString());
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}
