/**
 * Upgrading with old and new workers on one Redis, on the compiled gateway: a worker process
 * registers its stored layout; while a worker of another layout runs, a new worker process waits
 * (saying so in its log) and takes nothing from the queues, and once that one stops it starts and
 * sends what was queued meanwhile.
 */
import { closeRedis, createRedis, waitForReady, type RedisClient } from '../../../src/infra/redis/client';
import { freePort } from '../../../src/infra/redis/private-redis';
import { STORAGE_LAYOUT, WorkerLayoutGuard } from '../../../src/infra/redis/storage-layout';
import { createLogger } from '../../../src/kernel/logger';
import { CompiledProcess, startCompiledPair, type CompiledPair } from './compiled-gateway';

const ADMIN_TOKEN = 'compiled-layout-admin-token';
const LABEL = 'layout';
const REGISTRY = `${LABEL}:workers:layouts`;

describe('the compiled gateway: queue workers of two stored layouts never run at once', () => {
  let pair: CompiledPair;
  let redis: RedisClient;
  const extra: CompiledProcess[] = [];
  const others: RedisClient[] = [];

  beforeAll(async () => {
    pair = await startCompiledPair(LABEL, { admin: ADMIN_TOKEN, webhookKey: 'compiled-layout-webhook-key' });
    redis = createRedis({ url: pair.redis.url, commandTimeoutMs: 2000, name: 'layout-test' });
    expect(await waitForReady(redis, 5000)).toBe(true);
  }, 300_000);

  afterAll(async () => {
    await Promise.all(extra.map((p) => p.stop()));
    await Promise.all([...others, redis].filter(Boolean).map((c) => closeRedis(c)));
    await pair?.stop();
  }, 30_000);

  const outbox = async (phone: string): Promise<Array<{ text: string }>> => {
    const response = await pair.admin(`/outbox?phone=${encodeURIComponent(phone)}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: Array<{ text: string }> }).items;
  };
  /** The running workers' entries (waiting ones are under 'wait:' ids). */
  const registry = async (): Promise<string[]> => Object.entries(await redis.hgetall(REGISTRY)).filter(([id]) => !id.startsWith('wait:')).map(([, value]) => value);

  it('waits behind a worker of another layout and sends what was queued meanwhile once that one stops', async () => {
    // Two workers of this build: both registered, with their pids.
    const second = new CompiledProcess('worker-2', { ...pair.env, SERVICE_MODE: 'worker' });
    extra.push(second);
    await second.started();
    const entries = await registry();
    expect(entries).toHaveLength(2);
    for (const pid of [pair.worker.pid, second.pid]) expect(entries.some((v) => v.startsWith(`${STORAGE_LAYOUT}:`) && v.endsWith(` pid ${pid}`))).toBe(true);

    // Both stop (SIGTERM): each removes its entry on the way out.
    await Promise.all([pair.worker.stop(), second.stop()]);
    expect(await registry()).toEqual([]);

    // A worker of the next layout runs, and a connection named as a worker of a build from before the check.
    const newer = new WorkerLayoutGuard({ redis, key: REGISTRY, logger: createLogger('silent'), layout: STORAGE_LAYOUT + 1 });
    expect(await newer.claim()).toBe(true);
    const oldBuild = createRedis({ url: pair.redis.url, commandTimeoutMs: 2000, name: 'sms-worker-priority' });
    others.push(oldBuild);
    expect(await waitForReady(oldBuild, 5000)).toBe(true);

    const third = new CompiledProcess('worker-3', { ...pair.env, SERVICE_MODE: 'worker' });
    extra.push(third);
    const deadline = Date.now() + 20_000;
    while (!third.log.includes('queue workers of another storage layout are running on this Redis')) {
      if (Date.now() > deadline) throw new Error(`worker-3 did not report the other layout:\n${third.log}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(third.log).toContain(`(layout ${STORAGE_LAYOUT + 1})`);
    expect(third.log).toContain('queue workers of a build from before the storage layout check are connected to this Redis');
    expect(third.log).toContain('kiungo:sms-worker-priority');

    // The API takes a message meanwhile; nothing sends it while the worker waits.
    const phone = '+255754100091';
    const response = await pair.admin('/broadcasts/test-send', { method: 'POST', body: { phone, draft: { audience: { all: true }, messages: { sw: 'Ujumbe uliosubiri', en: 'A message that waited' } } } });
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await outbox(phone)).toEqual([]);
    expect(third.log).not.toContain('Kiungo is running');
    expect((await registry()).every((v) => v.startsWith(`${STORAGE_LAYOUT + 1}:`))).toBe(true);
    const listed = (await (await pair.admin('/system')).json()) as { storage: { layout: number; workers: { running: Array<{ layout: number }>; waiting: Array<{ layout: number; about: string }> } } };
    expect(listed.storage.layout).toBe(STORAGE_LAYOUT);
    expect(listed.storage.workers.running.map((w) => w.layout)).toEqual([STORAGE_LAYOUT + 1]);
    expect(listed.storage.workers.waiting).toEqual([expect.objectContaining({ layout: STORAGE_LAYOUT, about: expect.stringContaining(`pid ${third.pid}`) })]);

    // An API process started now says that workers of another layout would take what it queues.
    const apiPort = await freePort();
    const api2 = new CompiledProcess('api-2', { ...pair.env, SERVICE_MODE: 'api', PORT: String(apiPort) });
    extra.push(api2);
    await api2.started();
    const warnDeadline = Date.now() + 10_000;
    while (!api2.log.includes('which they may misread')) {
      if (Date.now() > warnDeadline) throw new Error(`api-2 did not warn about the other layout's workers:\n${api2.log}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(api2.log).toContain(`queue workers of another storage layout run on this Redis: this process writes layout ${STORAGE_LAYOUT}, which they may misread`);
    expect(api2.log).toContain(`(layout ${STORAGE_LAYOUT + 1})`);
    expect(pair.api.log).not.toContain('which they may misread');

    // One process with its workers inline answers HTTP (USSD) while its workers wait.
    const port = await freePort();
    const inline = new CompiledProcess('inline', { ...pair.env, SERVICE_MODE: 'all', WORKER_LAYOUT: 'inline', PORT: String(port) });
    extra.push(inline);
    const httpDeadline = Date.now() + 20_000;
    for (;;) {
      const health = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
      if (health === 200) break;
      if (Date.now() > httpDeadline) throw new Error(`the inline process did not answer HTTP while its workers waited:\n${inline.log}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(inline.log).toContain('queue workers of another storage layout are running on this Redis');

    // As npm start runs it (the workers in a child process): /readyz says what the child waits for.
    const defaultPort = await freePort();
    const started = new CompiledProcess('default', { ...pair.env, SERVICE_MODE: 'all', PORT: String(defaultPort) });
    extra.push(started);
    const readyDeadline = Date.now() + 20_000;
    let readiness: { status?: string; warning?: string; workers?: { state?: string; reason?: string } } = {};
    let readyCode = 0;
    for (;;) {
      const response = await fetch(`http://127.0.0.1:${defaultPort}/readyz`).catch(() => undefined);
      if (response) {
        readyCode = response.status;
        readiness = (await response.json()) as typeof readiness;
        if (readiness.workers?.reason?.includes('it waits for the queue workers of stored layout')) break;
      }
      if (Date.now() > readyDeadline) throw new Error(`/readyz did not say what the worker child waits for: ${JSON.stringify(readiness)}\n${started.log}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Still ready (this process answers USSD whatever the child does), with the child's reason as a warning.
    expect(readyCode).toBe(200);
    expect(readiness.warning).toBe(readiness.workers?.reason);
    expect(readiness.workers?.state).toBe('starting');
    expect(readiness.workers?.reason).toContain(`it waits for the queue workers of stored layout ${STORAGE_LAYOUT + 1} (`);
    expect(readiness.workers?.reason).toContain(`to stop, being of layout ${STORAGE_LAYOUT}`);

    // The other layout's worker stops: the waiting ones start by themselves and the message is sent.
    await newer.release();
    await Promise.all([third.started(20_000), inline.started(20_000), started.started(30_000)]);
    expect((await fetch(`http://127.0.0.1:${defaultPort}/readyz`)).status).toBe(200);
    const sendDeadline = Date.now() + 20_000;
    while ((await outbox(phone)).length === 0) {
      if (Date.now() > sendDeadline) throw new Error(`the waiting message was not sent:\n${third.log}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect((await outbox(phone))[0]?.text).toContain('Ujumbe uliosubiri');
    const last = await registry();
    expect(last).toHaveLength(3);
    for (const pid of [third.pid, inline.pid]) expect(last.some((v) => v.startsWith(`${STORAGE_LAYOUT}:`) && v.endsWith(` pid ${pid}`))).toBe(true);
  }, 120_000);
});
