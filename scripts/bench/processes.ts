/**
 * Child processes of the bench: servers started on free ports and stopped by their own handle,
 * and the load generator forked for one run.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { MAIN, newestMtime, ROOT } from '../../test/support/dist-build';
import type { LoadJob } from './load-generator';
import type { LoadFigures } from './types';

export { ROOT };
const TSX = ['--import', 'tsx'];

export interface Server {
  name: string;
  url: string;
  pid: number;
  /** SIGTERM, then SIGKILL after `graceMs`. Never throws. */
  stop(graceMs?: number): Promise<void>;
  /** The last lines it wrote (to explain a failure). */
  output(): string;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitExit(child: ChildProcess, ms: number): Promise<void> {
  if (exited(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
  });
}

/** Starts `node <args>` with `env` added, keeping the tail of its output. */
export function startServer(name: string, url: string, args: string[], env: Record<string, string> = {}): Server {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (chunk: Buffer): void => { tail = (tail + chunk.toString('utf8')).slice(-4000); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    name, url, pid: child.pid ?? -1,
    output: () => tail,
    stop: async (graceMs = 5000) => {
      if (exited(child)) return;
      child.kill('SIGTERM');
      await waitExit(child, graceMs);
      if (!exited(child)) {
        child.kill('SIGKILL');
        await waitExit(child, 2000);
      }
    },
  };
}

/** Node arguments running a TypeScript file of the repository through tsx. */
export function tsxArgs(file: string, args: string[] = []): string[] {
  return [...TSX, path.join(ROOT, file), ...args];
}

/** The compiled gateway (test/support/dist-build's) when `npm run build` left one newer than every source file, else tsx. */
export function gatewayArgs(): { args: string[]; runtime: 'dist' | 'tsx' } {
  if (existsSync(MAIN) && statSync(MAIN).mtimeMs >= newestMtime(path.join(ROOT, 'src'))) return { args: [MAIN], runtime: 'dist' };
  return { args: tsxArgs('src/main.ts'), runtime: 'tsx' };
}

/** POSTs `body` as a form; the answer text, or null when nothing answers. */
export async function postForm(url: string, body: string, timeoutMs = 2000): Promise<{ status: number; text: string } | null> {
  try {
    const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' }, signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, text: await response.text() };
  } catch {
    return null;
  }
}

/** Waits until `probe` holds; false after `timeoutMs`. */
export async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

/** Runs one load job in a forked load-generator process. */
export function runLoadInChild(job: LoadJob): Promise<LoadFigures> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'load-generator.ts'), [], { cwd: ROOT, execArgv: TSX, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    let settled = false;
    child.once('message', (message: { ok: true; figures: LoadFigures } | { ok: false; error: string }) => {
      settled = true;
      if (message.ok) resolve(message.figures);
      else reject(new Error(`load generator: ${message.error}`));
    });
    child.once('exit', (code) => { if (!settled) reject(new Error(`load generator exited with code ${String(code)} before reporting`)); });
    child.once('error', reject);
    child.send(job);
  });
}
