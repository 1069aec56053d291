/**
 * /readyz and /healthz of the HTTP process that supervises the queue worker child
 * (SERVICE_MODE=all, WORKER_LAYOUT=process): readiness stays Redis's alone (200) and carries a `warning` while the child is
 * down or restarting in a loop, 200 while it runs; liveness stays 200 and shows the child.
 */
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/http/app';
import { createMetrics } from '../../src/kernel/metrics';
import { createLogger } from '../../src/kernel/logger';
import { superviseWorker, type WorkerSupervisor } from '../../src/infra/process/worker-supervisor';

const logger = createLogger('silent');
const ENTRY = path.join(__dirname, '../infra/process/fake-worker.cjs');

function appOver(workers: WorkerSupervisor, redisUp = true) {
  return createApp({ logger, metrics: createMetrics({ defaultMetrics: false }), ready: () => Promise.resolve(redisUp), trustProxy: false, mounts: [], workers: () => workers.status() });
}

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('/readyz and /healthz with a supervised worker child', () => {
  it('ready with the child running: its pid, no restarts', async () => {
    const workers = superviseWorker({ entry: ENTRY, env: { ...process.env, FAKE_WORKER: 'ready' }, logger });
    try {
      expect(await workers.ready(15_000)).toBe(true);
      const app = appOver(workers);
      const ready = await request(app).get('/readyz').expect(200);
      expect(ready.body).toMatchObject({ status: 'ready', redis: 'ok', workers: { layout: 'process', state: 'running', pid: workers.pid, restarts: 0, ok: true } });
      expect(ready.body.reason).toBeUndefined();
      expect(ready.body.warning).toBeUndefined();
      const health = await request(app).get('/healthz').expect(200);
      expect(health.body).toMatchObject({ status: 'ok', workers: { state: 'running', pid: workers.pid } });
      // Redis down and the child up: the reason names Redis alone.
      expect((await request(appOver(workers, false)).get('/readyz').expect(503)).body).toMatchObject({ redis: 'unreachable', reason: 'Redis does not answer' });
    } finally {
      await workers.stop(5000);
    }
  });

  it('still ready (USSD is served here) with a warning while the child is down, waiting to start again; /healthz stays 200', async () => {
    const workers = superviseWorker({ entry: ENTRY, env: { ...process.env, FAKE_WORKER: 'ready' }, logger, restartDelayMs: 300_000 });
    try {
      expect(await workers.ready(15_000)).toBe(true);
      process.kill(workers.pid ?? -1, 'SIGKILL');
      await until('the death', () => workers.status().state === 'restarting');
      const app = appOver(workers);
      const ready = await request(app).get('/readyz').expect(200);
      expect(ready.body).toMatchObject({ status: 'ready', redis: 'ok', workers: { state: 'restarting', restarts: 1, ok: false, lastExit: { signal: 'SIGKILL' } } });
      expect(ready.body.warning).toMatch(/^the queue worker process is down: it stopped \(last: signal SIGKILL /);
      expect(ready.body.reason).toBeUndefined();
      const health = await request(app).get('/healthz').expect(200);
      expect(health.body).toMatchObject({ status: 'ok', workers: { state: 'restarting', restarts: 1 } });
      expect(health.body.warning).toBe(ready.body.warning);
    } finally {
      await workers.stop(5000);
    }
  });

  it('a warning saying it restarts in a loop when the child keeps dying on start', async () => {
    const workers = superviseWorker({ entry: ENTRY, env: { ...process.env, FAKE_WORKER: 'crash' }, logger, restartDelayMs: 10 });
    try {
      await until('the crash loop', () => workers.status().crashLoop);
      const ready = await request(appOver(workers)).get('/readyz').expect(200);
      expect(ready.body).toMatchObject({ status: 'ready', workers: { crashLoop: true, ok: false, lastExit: { code: 3 } } });
      expect(ready.body.warning).toMatch(/restarting in a loop: it died \d+ times in a row within 60 s of starting \(last: exit code 3 /);
      expect((await request(appOver(workers)).get('/healthz').expect(200)).body).toMatchObject({ status: 'ok', workers: { crashLoop: true } });
    } finally {
      await workers.stop(5000);
    }
  });
});
