/**
 * The compiled gateway as `npm start` runs it: `npm run build`, then `node dist/src/main.js` as
 * one process per SERVICE_MODE. The suite runs the TypeScript through SWC, so only this sees what
 * tsc makes of the sources.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

export const ROOT = path.resolve(__dirname, '../../..');
export const MAIN = path.join(ROOT, 'dist/src/main.js');

/** Compiles src/ into dist/ exactly as `npm start` does; rejects with tsc's output on an error. */
export async function buildDist(): Promise<void> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  await promisify(execFile)(npm, ['run', '-s', 'build'], { cwd: ROOT, timeout: 240_000, maxBuffer: 10 * 1024 * 1024 });
}

export class CompiledProcess {
  private readonly child: ChildProcess;
  private output = '';
  readonly exited: Promise<number | null>;

  constructor(readonly label: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer): void => { this.output = (this.output + chunk.toString('utf8')).slice(-20_000); };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** What the process printed so far (the last 20 kB), for failure messages. */
  get log(): string {
    return this.output;
  }

  /** Resolves once the start banner is printed; rejects with the output if it exits or times out. */
  async started(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    void this.exited.then((code) => { exitCode = code; });
    while (!this.output.includes('Kiungo is running')) {
      if (exitCode !== undefined) throw new Error(`${this.label} exited with ${String(exitCode)} before starting:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`${this.label} did not start within ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
