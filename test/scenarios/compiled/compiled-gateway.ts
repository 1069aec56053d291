/**
 * The compiled gateway as `npm start` runs it: `npm run build`, then `node dist/src/main.js` as
 * one process per SERVICE_MODE. The suite runs the TypeScript through SWC, so only this sees what
 * tsc makes of the sources.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort, startPrivateRedis, type PrivateRedis } from '../../../src/infra/redis/private-redis';
import { buildDist, MAIN, ROOT } from '../../support/dist-build';

export { buildDist, MAIN, ROOT };

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

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** kill -9: no shutdown, nothing flushed. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
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

/**
 * An API process and a worker process of the compiled gateway on a private redis-server of their
 * own, with the outbox as SMS provider and their own spool folder; `webhook` posts as AT does and
 * `admin` calls the admin API with the admin token.
 */
export interface CompiledPair {
  redis: PrivateRedis;
  api: CompiledProcess;
  worker: CompiledProcess;
  base: string;
  /** The environment both processes share (start another process of the same gateway with it). */
  env: Record<string, string>;
  webhook(route: string, body: string): Promise<Response>;
  admin(route: string, init?: { method?: string; body?: unknown }): Promise<Response>;
  stop(): Promise<void>;
}

export async function startCompiledPair(label: string, tokens: { admin: string; webhookKey: string }): Promise<CompiledPair> {
  await buildDist();
  const redis = await startPrivateRedis({ appendOnly: false, label });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test', REDIS_URL: redis.url, REDIS_PREFIX: label, PORT: String(port), SMS_PROVIDER: 'outbox',
    ADMIN_TOKENS: `admin:${tokens.admin}`, WEBHOOK_KEY: tokens.webhookKey, QUIET_HOURS: 'off', DIGEST_TIME: 'off', LOG_LEVEL: 'warn', SHUTDOWN_GRACE_MS: '5000',
    SPOOL_DIR: `${redis.dir}-spool`,
  };
  const api = new CompiledProcess('api', { ...env, SERVICE_MODE: 'api' });
  const worker = new CompiledProcess('worker', { ...env, SERVICE_MODE: 'worker' });
  await Promise.all([api.started(), worker.started()]);
  return {
    redis, api, worker, base, env,
    webhook: (route, body) => fetch(`${base}/webhooks/africastalking/${route}?key=${tokens.webhookKey}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }),
    admin: (route, init = {}) => fetch(`${base}/api/v1${route}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${tokens.admin}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    }),
    async stop() {
      await Promise.all([api.stop(), worker.stop()]);
      await redis.stop();
    },
  };
}

