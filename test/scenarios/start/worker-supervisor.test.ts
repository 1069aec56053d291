/**
 * `npm start` (SERVICE_MODE=all, the compiled build) serves HTTP in its own process and runs the
 * queue workers in a child process it supervises, at a lower CPU priority: a killed child is
 * started again and takes the next jobs, SIGTERM stops both, and a child whose gateway was killed
 * stops by itself; /metrics includes the child's figures. WORKER_LAYOUT=inline keeps them in the
 * one process.
 */
import { STORAGE_LAYOUT } from '../../../src/infra/redis/storage-layout';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import { freePort, startPrivateRedis, type PrivateRedis } from '../../../src/infra/redis/private-redis';
import { buildDist, CompiledProcess } from '../compiled/compiled-gateway';

const ADMIN = randomBytes(18).toString('base64url');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The niceness the workers get: 10 more than the gateway's, at most 19. */
const lower = (pid: number): number => Math.min(19, os.getPriority(pid) + 10);

/** The pids of the queue worker processes that reported ready, in order. */
function readyPids(log: string): number[] {
  return [...log.matchAll(/"pid":(\d+),"msg":"queue workers ready"/g)].map((m) => Number(m[1]));
}

async function startGateway(redis: PrivateRedis, prefix: string, extra: Record<string, string> = {}): Promise<{ gateway: CompiledProcess; base: string }> {
  const port = await freePort();
  const gateway = new CompiledProcess('gateway', {
    NODE_ENV: 'test', REDIS_URL: redis.url, REDIS_PREFIX: prefix, PORT: String(port), SMS_PROVIDER: 'outbox', SMS_OUTBOX_DLR_DELAY_MS: '0',
    ADMIN_TOKENS: `admin:${ADMIN}`, QUIET_HOURS: 'off', DIGEST_TIME: 'off', LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: '5000',
    SPOOL_DIR: `${redis.dir}-spool-${prefix}`, DEMO_DATES: 'auto', ...extra,
  });
  await gateway.started(60_000);
  return { gateway, base: `http://127.0.0.1:${port}` };
}

/** Sends one SMS through the queue (the admin API's test send) and waits until the outbox has it. */
async function sentThroughWorkers(base: string, phone: string, log: () => string): Promise<void> {
  const admin = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
  const response = await fetch(`${base}/api/v1/broadcasts/test-send?pack=egov2015`, {
    method: 'POST', headers: admin,
    body: JSON.stringify({ draft: { audience: { all: true }, messages: { sw: 'Jaribio la mfumo.' } }, phone }),
  });
  expect(response.status).toBeLessThan(300);
  await until(`the SMS to ${phone}`, async () => {
    const outbox = (await (await fetch(`${base}/api/v1/outbox?phone=${encodeURIComponent(phone)}`, { headers: admin })).json()) as { items?: unknown[] };
    return (outbox.items?.length ?? 0) > 0;
  }, 30_000, log);
}

describe('npm start: HTTP here, queue workers in a supervised child process', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    await buildDist();
    redis = await startPrivateRedis({ appendOnly: false, label: 'supervisor' });
  }, 300_000);
  afterAll(async () => {
    await redis.stop();
    rmSync(`${redis.dir}-spool-restart`, { recursive: true, force: true });
    rmSync(`${redis.dir}-spool-orphan`, { recursive: true, force: true });
    rmSync(`${redis.dir}-spool-inline`, { recursive: true, force: true });
  });

  it('starts a killed worker child again, which takes the next jobs; SIGTERM stops both with exit 0', async () => {
    const { gateway, base } = await startGateway(redis, 'restart');
    try {
      const first = /queue workers in a child process \(pid (\d+)\)/.exec(gateway.log)?.[1];
      expect(first).toBeDefined();
      const firstPid = Number(first);
      expect(firstPid).not.toBe(gateway.pid);
      expect(alive(firstPid)).toBe(true);
      // The workers run at a lower CPU priority than the process answering USSD hops.
      expect(os.getPriority(firstPid)).toBe(lower(gateway.pid));
      // Operators see the child: readiness, liveness, the console's system view, /metrics.
      expect((await (await fetch(`${base}/readyz`)).json())).toMatchObject({ status: 'ready', workers: { layout: 'process', state: 'running', pid: firstPid, restarts: 0 } });
      const system = await (await fetch(`${base}/api/v1/system`, { headers: { authorization: `Bearer ${ADMIN}` } })).json();
      expect(system).toMatchObject({ mode: 'all', workerLayout: 'process', workers: { state: 'running', pid: firstPid, restarts: 0 }, sms: { maxInFlight: 32, bulkInFlight: 32, workerConcurrency: 4, batchSize: 100, ratePerSecond: 10 } });
      // The worker child registered its stored layout: the one queue-worker process on this Redis.
      expect((system as { storage: unknown }).storage).toEqual({ layout: STORAGE_LAYOUT, workers: { running: [{ layout: STORAGE_LAYOUT, about: expect.stringMatching(new RegExp(` pid ${firstPid}$`)), expiresInS: expect.any(Number) }], waiting: [] } });
      await sentThroughWorkers(base, '+255713400001', () => gateway.log);
      // Only the worker child sends: its counts reach the HTTP process's /metrics.
      await until('the worker\'s send in /metrics', async () => /kiungo_sms_recipients_total\{state="sent"\} [1-9]/.test(await (await fetch(`${base}/metrics`)).text()), 20_000, () => gateway.log);

      process.kill(firstPid, 'SIGKILL');
      await until('a new worker child', () => readyPids(gateway.log).some((pid) => pid !== firstPid), 60_000, () => gateway.log);
      const secondPid = readyPids(gateway.log).find((pid) => pid !== firstPid) ?? -1;
      expect(gateway.log).toMatch(/"signal":"SIGKILL".*the queue workers stopped: starting them again/);
      expect(alive(secondPid)).toBe(true);
      expect(os.getPriority(secondPid)).toBe(lower(gateway.pid));
      // The API kept answering throughout, and the new child sends.
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ workers: { state: 'running', pid: secondPid, restarts: 1, lastExit: { signal: 'SIGKILL', reason: 'signal SIGKILL' } } });
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ workers: { state: 'running', pid: secondPid, restarts: 1, crashLoop: false } });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/^kiungo_worker_process_restarts_total 1$/m);
      expect(metrics).toMatch(/^kiungo_worker_process_up 1$/m);
      await sentThroughWorkers(base, '+255713400002', () => gateway.log);

      await gateway.stop(15_000);
      expect(await gateway.exited).toBe(0);
      expect(alive(secondPid)).toBe(false);
    } finally {
      await gateway.kill();
    }
  }, 180_000);

  it('a worker child whose gateway is killed stops by itself', async () => {
    const { gateway } = await startGateway(redis, 'orphan');
    const child = Number(/queue workers in a child process \(pid (\d+)\)/.exec(gateway.log)?.[1]);
    try {
      expect(alive(child)).toBe(true);
      await gateway.kill();
      await until('the orphaned worker child to stop', () => !alive(child), 20_000, () => gateway.log);
    } finally {
      if (alive(child)) process.kill(child, 'SIGKILL');
    }
  }, 120_000);

  it('WORKER_LAYOUT=inline runs the queue workers in the one process', async () => {
    const { gateway, base } = await startGateway(redis, 'inline', { WORKER_LAYOUT: 'inline' });
    try {
      expect(gateway.log).toContain('Kiungo is running (mode all, ');
      expect(gateway.log).not.toContain('queue workers ready');
      const system = await (await fetch(`${base}/api/v1/system`, { headers: { authorization: `Bearer ${ADMIN}` } })).json();
      expect(system).toMatchObject({ mode: 'all', workerLayout: 'inline', workers: null });
      expect(await (await fetch(`${base}/readyz`)).json()).not.toHaveProperty('workers');
      expect(await (await fetch(`${base}/metrics`)).text()).not.toContain('kiungo_worker_process_up');
      await sentThroughWorkers(base, '+255713400003', () => gateway.log);
      await gateway.stop(15_000);
      expect(await gateway.exited).toBe(0);
    } finally {
      await gateway.kill();
    }
  }, 120_000);
});
