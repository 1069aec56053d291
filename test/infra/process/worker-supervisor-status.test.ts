/**
 * The supervisor's status, as /readyz, /healthz, GET /system and /metrics read it: starting, running
 * with its pid, down after a death (with the reason and the time of the next start), a crash loop
 * after CRASH_LOOP_DEATHS young deaths, stopped at shutdown; and the two metrics.
 */
import path from 'node:path';
import { createMetrics } from '../../../src/kernel/metrics';
import { createLogger } from '../../../src/kernel/logger';
import { CRASH_LOOP_DEATHS, superviseWorker, workerProcessMetrics, type WorkerSupervisor } from '../../../src/infra/process/worker-supervisor';

const ENTRY = path.join(__dirname, 'fake-worker.cjs');
const logger = createLogger('silent');

async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function start(mode: 'ready' | 'crash', restartDelayMs: number): WorkerSupervisor {
  return superviseWorker({ entry: ENTRY, env: { ...process.env, FAKE_WORKER: mode }, logger, restartDelayMs });
}

describe('worker supervisor status', () => {
  it('starting, running with its pid, down after a kill with the reason, running again, stopped', async () => {
    const workers = start('ready', 300_000);
    try {
      const first = workers.status();
      expect(first).toMatchObject({ layout: 'process', state: 'starting', restarts: 0, crashLoop: false, ok: false });
      expect(first.reason).toMatch(/has not reported ready yet/);
      expect(await workers.ready(15_000)).toBe(true);
      const running = workers.status();
      expect(running).toMatchObject({ state: 'running', pid: workers.pid, restarts: 0, crashLoop: false, ok: true });
      expect(running.reason).toBeUndefined();
      expect(running.lastExit).toBeUndefined();
      expect(Number.isNaN(Date.parse(running.startedAt ?? ''))).toBe(false);

      // Killed: down until the (long) restart delay passes, saying why and when it starts again.
      process.kill(running.pid ?? -1, 'SIGKILL');
      await until('the death', () => workers.status().state === 'restarting');
      const down = workers.status();
      expect(down).toMatchObject({ state: 'restarting', restarts: 1, crashLoop: false, ok: false, lastExit: { signal: 'SIGKILL', code: null, reason: 'signal SIGKILL' } });
      expect(down.pid).toBeUndefined();
      expect(down.reason).toMatch(/^the queue worker process is down: it stopped \(last: signal SIGKILL after .* s, at .*\) and starts again at /);
      expect(Date.parse(down.nextStartAt ?? '')).toBeGreaterThan(Date.parse(down.lastExit?.at ?? ''));
    } finally {
      await workers.stop(5000);
    }
    expect(workers.status()).toMatchObject({ state: 'stopped', ok: false, reason: 'the queue worker process was stopped (shutdown)' });
  });

  it('a child started again after a death runs with a new pid and keeps the last death', async () => {
    const workers = start('ready', 10);
    try {
      expect(await workers.ready(15_000)).toBe(true);
      const firstPid = workers.status().pid;
      process.kill(firstPid ?? -1, 'SIGKILL');
      await until('the second child to run', () => workers.status().state === 'running' && workers.status().pid !== firstPid);
      const again = workers.status();
      expect(again).toMatchObject({ state: 'running', restarts: 1, crashLoop: false, ok: true, lastExit: { reason: 'signal SIGKILL' } });
      expect(again.pid).not.toBe(firstPid);
    } finally {
      await workers.stop(5000);
    }
  });

  it(`a child that dies ${CRASH_LOOP_DEATHS} times in a row on start is a crash loop, with the exit code`, async () => {
    const workers = start('crash', 10);
    const metrics = createMetrics({ defaultMetrics: false });
    workerProcessMetrics(metrics, workers);
    try {
      await until('the crash loop', () => workers.status().restarts >= CRASH_LOOP_DEATHS);
      const looping = workers.status();
      expect(looping).toMatchObject({ crashLoop: true, ok: false, lastExit: { code: 3, signal: null, reason: 'exit code 3' } });
      expect(looping.reason).toMatch(/^the queue worker process is restarting in a loop: it died \d+ times in a row within 60 s of starting \(last: exit code 3 /);
      const text = await metrics.registry.metrics();
      expect(text).toMatch(/^kiungo_worker_process_up 0$/m);
      const restarts = Number(/^kiungo_worker_process_restarts_total (\d+)$/m.exec(text)?.[1]);
      expect(restarts).toBeGreaterThanOrEqual(CRASH_LOOP_DEATHS);
    } finally {
      await workers.stop(5000);
    }
  });

  it('/metrics: up 1 and no restarts while the child runs', async () => {
    const workers = start('ready', 10);
    const metrics = createMetrics({ defaultMetrics: false });
    workerProcessMetrics(metrics, workers);
    try {
      expect(await workers.ready(15_000)).toBe(true);
      const text = await metrics.registry.metrics();
      expect(text).toMatch(/^kiungo_worker_process_up 1$/m);
      expect(text).toMatch(/^kiungo_worker_process_restarts_total 0$/m);
    } finally {
      await workers.stop(5000);
    }
  });
});
