/**
 * The gateway's worker as a real process (`node --require fake-at.cjs dist/src/main.js` when
 * `compiled`, else `node --import tsx --require fake-at.cjs src/main.ts`; SERVICE_MODE=worker,
 * Africa's Talking answered by nock inside it), started, killed with SIGKILL or stopped with
 * SIGTERM by the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../../..');
const PRELOAD = path.join(ROOT, 'test/support/fake-at.cjs');

export interface WorkerEnv {
  redisUrl: string;
  prefix: string;
  providerLog: string;
  /** Any other variable (SMS_RATE_PER_SECOND, FAKE_AT_PHASES, ...). */
  extra?: Record<string, string>;
}

/** The webhook key of the gateways these scenarios start (AT credentials are set, so one is required). */
export const RELIABILITY_WEBHOOK_KEY = 'reliability-webhook-key-4f7a2c';

/** The environment of a worker in these tests; `extra` wins. */
export function workerEnvironment(options: WorkerEnv): Record<string, string> {
  return {
    NODE_ENV: 'test',
    SERVICE_MODE: 'worker',
    SMS_PROVIDER: 'africastalking',
    AT_USERNAME: 'kiungo-test',
    AT_API_KEY: 'test-key',
    // Credentials are set, so the webhooks need a key whatever NODE_ENV says.
    WEBHOOK_KEY: RELIABILITY_WEBHOOK_KEY,
    AT_TIMEOUT_MS: '5000',
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: options.prefix,
    FLOWS_DIR: path.join(ROOT, 'flows'),
    QUIET_HOURS: 'off',
    DIGEST_TIME: 'off',
    SMS_RATE_PER_SECOND: '2000',
    // The bounds the tests assert (uncertain, busiest second) count 2 calls in flight per lane:
    // SMS_MAX_IN_FLIGHT 0 keeps the bulk lane at SMS_WORKER_CONCURRENCY (its default, 32, would
    // let a kill leave up to a rate's worth of claimed recipients `uncertain`, not 2 calls' worth).
    SMS_WORKER_CONCURRENCY: '2',
    SMS_MAX_IN_FLIGHT: '0',
    SMS_RETRY_BASE_MS: '300',
    SMS_MAX_ATTEMPTS: '10',
    SMS_SWEEP_INTERVAL_MS: '1000',
    WORKER_LOCK_MS: '3000',
    SHUTDOWN_GRACE_MS: '8000',
    LOG_LEVEL: 'warn',
    FAKE_AT_LOG: options.providerLog,
    SPOOL_DIR: path.join(path.dirname(options.providerLog), 'spool'),
    ...options.extra,
  };
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** ms from the signal to the exit (undefined when it exited on its own). */
  afterSignalMs?: number;
}

export class WorkerProcess {
  private readonly child: ChildProcess;
  private tail = '';
  private signalledAt: number | undefined;
  readonly exited: Promise<ExitInfo>;

  /** `compiled`: runs `dist/src/main.js` (build it first) instead of the TypeScript sources. */
  constructor(env: Record<string, string>, options: { compiled?: boolean } = {}) {
    const entry = options.compiled ? ['--require', PRELOAD, path.join(ROOT, 'dist/src/main.js')] : ['--import', 'tsx', '--require', PRELOAD, path.join(ROOT, 'src/main.ts')];
    this.child = spawn(process.execPath, entry, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer): void => { this.tail = (this.tail + chunk.toString('utf8')).slice(-6000); };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => resolve({ code, signal, ...(this.signalledAt ? { afterSignalMs: Date.now() - this.signalledAt } : {}) }));
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last output, for failure messages. */
  output(): string {
    return this.tail;
  }

  /** Resolves once the start banner is printed (workers started); rejects on exit or after `timeoutMs`. */
  async ready(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.tail.includes('Kiungo is running')) {
      if (!this.running) throw new Error(`worker ${this.pid} exited before it was ready:\n${this.tail}`);
      if (Date.now() > deadline) throw new Error(`worker ${this.pid} not ready after ${timeoutMs} ms:\n${this.tail}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** kill -9, then waits for the exit. */
  async kill(): Promise<ExitInfo> {
    if (this.running) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** SIGTERM; resolves with the exit (SIGKILL and a thrown error when it outlives `timeoutMs`). */
  async terminate(timeoutMs = 20_000): Promise<ExitInfo> {
    if (!this.running) return this.exited;
    this.signalledAt = Date.now();
    this.child.kill('SIGTERM');
    const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), timeoutMs).unref());
    const result = await Promise.race([this.exited, timer]);
    if (result !== 'late') return result;
    this.child.kill('SIGKILL');
    await this.exited;
    throw new Error(`worker ${this.pid} ignored SIGTERM for ${timeoutMs} ms:\n${this.tail}`);
  }
}
