/**
 * Queue workers of two stored layouts never run on one Redis at once: a worker of another layout
 * waits (saying whom for) until the others stop or their entries lapse, and starts by itself then.
 */
import { Writable } from 'node:stream';
import { closeRedis, createRedis, waitForReady, type RedisClient } from '../../../src/infra/redis/client';
import { startPrivateRedis, type PrivateRedis } from '../../../src/infra/redis/private-redis';
import { registeredWorkers, STORAGE_LAYOUT, unregisteredWorkerConnections, WorkerLayoutGuard, WORKER_CONNECTION_PREFIX, type LayoutGuardOptions } from '../../../src/infra/redis/storage-layout';
import { createLogger } from '../../../src/kernel/logger';

const KEY = 'layout-test:workers:layouts';

describe('the storage layout check of queue workers', () => {
  let server: PrivateRedis;
  let redis: RedisClient;
  const guards: WorkerLayoutGuard[] = [];
  const lines: string[] = [];
  const logger = createLogger('info', new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(chunk.toString('utf8')); done(); } }));

  beforeAll(async () => {
    server = await startPrivateRedis({ appendOnly: false, label: 'storage-layout' });
    redis = createRedis({ url: server.url, commandTimeoutMs: 2000, name: 'storage-layout-test' });
  });
  afterEach(async () => {
    await Promise.all(guards.splice(0).map((g) => g.release()));
    await redis.del(KEY);
    lines.length = 0;
  });
  afterAll(async () => {
    await closeRedis(redis);
    await server.stop();
  });

  const guard = (options: Partial<LayoutGuardOptions> = {}): WorkerLayoutGuard => {
    const made = new WorkerLayoutGuard({ redis, key: KEY, logger, retryMs: 50, logEveryMs: 200, ...options });
    guards.push(made);
    return made;
  };
  /** Resolves to what `promise` resolved to, or 'pending' if it has not within `ms`. */
  const within = <T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> => Promise.race([promise, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms))]);

  it('lets any number of workers of one layout start at once', async () => {
    const results = await Promise.all([guard(), guard(), guard()].map((g) => g.claim()));
    expect(results).toEqual([true, true, true]);
    const entries = await redis.hgetall(KEY);
    expect(Object.values(entries)).toHaveLength(3);
    for (const value of Object.values(entries)) expect(value).toMatch(new RegExp(`^${STORAGE_LAYOUT}:\\d+:.* pid ${process.pid}$`));
    expect(await redis.pttl(KEY)).toBeGreaterThan(0);
  });

  it('holds a worker of another layout until the running ones stop, saying whom it waits for, then starts it', async () => {
    const running = [guard(), guard()];
    await Promise.all(running.map((g) => g.claim()));
    const newer = guard({ layout: STORAGE_LAYOUT + 1 });
    const claimed = newer.claim();
    expect(await within(claimed, 400)).toBe('pending');
    expect(newer.status()).toMatchObject({ state: 'waiting', layout: STORAGE_LAYOUT + 1 });
    expect(newer.status().waitingFor.map((o) => o.layout)).toEqual([STORAGE_LAYOUT, STORAGE_LAYOUT]);
    expect(lines.join('')).toMatch(new RegExp(`queue workers of another storage layout are running on this Redis: this worker \\(layout ${STORAGE_LAYOUT + 1}\\) waits`));
    expect(lines.join('')).toContain(`pid ${process.pid} (layout ${STORAGE_LAYOUT})`);
    // The waiting worker is listed as waiting; the running ones renew without taking it for one of another layout.
    const listed = await registeredWorkers(redis, KEY);
    expect(listed.running.map((w) => w.layout)).toEqual([STORAGE_LAYOUT, STORAGE_LAYOUT]);
    expect(listed.waiting).toEqual([{ layout: STORAGE_LAYOUT + 1, about: expect.stringContaining(`pid ${process.pid}`), expiresInS: expect.any(Number) }]);
    expect(listed.waiting[0]?.expiresInS).toBeGreaterThan(0);
    await Promise.all(running.map((g) => (g as unknown as { renew(): Promise<void> }).renew()));
    expect(lines.join('')).not.toContain('started beside this one');

    await running[0]?.release();
    expect(await within(claimed, 300)).toBe('pending');
    await running[1]?.release();
    expect(await within(claimed, 2000)).toBe(true);
    expect(newer.status().state).toBe('running');
    expect(Object.values(await redis.hgetall(KEY))).toEqual([expect.stringMatching(new RegExp(`^${STORAGE_LAYOUT + 1}:`))]);
    expect((await registeredWorkers(redis, KEY)).waiting).toEqual([]);
    expect(lines.join('')).toContain('the queue workers of the other storage layout have stopped: starting');
  });

  it('starts a worker once the entry of a worker that died without a word has lapsed', async () => {
    // A worker killed with -9: its entry stays until it lapses (here after 600 ms).
    const dead = guard({ lifetimeMs: 600 });
    expect(await dead.claim()).toBe(true);
    (dead as unknown as { renewal?: NodeJS.Timeout }).renewal?.unref();
    clearInterval((dead as unknown as { renewal?: NodeJS.Timeout }).renewal);
    const started = Date.now();
    const other = guard({ layout: STORAGE_LAYOUT + 1 });
    expect(await within(other.claim(), 3000)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(Object.keys(await redis.hgetall(KEY))).toEqual([other.id]);
  });

  it('keeps renewing a running worker, so a worker of another layout waits as long as it runs', async () => {
    const running = guard({ lifetimeMs: 300 });
    expect(await running.claim()).toBe(true);
    const other = guard({ layout: STORAGE_LAYOUT + 1 });
    // Five lifetimes: without the renewal the entry would have lapsed after one.
    expect(await within(other.claim(), 1500)).toBe('pending');
    await running.release();
    expect(await within(other.claim(), 2000)).toBe(true);
  });

  it('lets only one layout in when workers of two layouts start at the same moment', async () => {
    const mixed = Array.from({ length: 8 }, (_, i) => guard({ layout: STORAGE_LAYOUT + (i % 2) }));
    const claims = mixed.map((g) => g.claim());
    await new Promise((resolve) => setTimeout(resolve, 500));
    const states = mixed.map((g) => g.status());
    const runningLayouts = new Set(states.filter((s) => s.state === 'running').map((s) => s.layout));
    expect(runningLayouts.size).toBe(1);
    expect(states.filter((s) => s.state === 'running')).toHaveLength(4);
    expect(states.filter((s) => s.state === 'waiting')).toHaveLength(4);
    // The first layout stops: the other's four start.
    const [first] = [...runningLayouts];
    await Promise.all(mixed.filter((g) => g.status().layout === first).map((g) => g.release()));
    const waiting = mixed.filter((g) => g.status().layout !== first);
    expect(await Promise.all(waiting.map((g) => within(g.claim(), 2000)))).toEqual([true, true, true, true]);
    await Promise.all(mixed.map((g) => g.release()));
    expect(await Promise.all(claims)).toHaveLength(8);
  });

  it('ends the wait without starting when the worker is stopped while it waits', async () => {
    await guard().claim();
    const other = guard({ layout: STORAGE_LAYOUT + 1 });
    const claimed = other.claim();
    expect(await within(claimed, 200)).toBe('pending');
    await other.release();
    expect(await within(claimed, 1000)).toBe(false);
    expect(Object.values(await redis.hgetall(KEY)).every((v) => v.startsWith(`${STORAGE_LAYOUT}:`))).toBe(true);
  });

  it('when Redis lost the registry and a worker of another layout got in, the running one says so at its next renewal and both stay listed as running', async () => {
    const running = guard();
    expect(await running.claim()).toBe(true);
    await redis.del(KEY);
    const other = guard({ layout: STORAGE_LAYOUT + 1 });
    expect(await other.claim()).toBe(true);
    await (running as unknown as { renew(): Promise<void> }).renew();
    expect(lines.join('')).toContain('queue workers of another storage layout started beside this one (its entry had lapsed)');
    const listed = await registeredWorkers(redis, KEY);
    expect(listed.running.map((w) => w.layout)).toEqual([STORAGE_LAYOUT, STORAGE_LAYOUT + 1]);
    expect(listed.waiting).toEqual([]);
  });

  it('leaves no entry when stopped while its first registration is under way', async () => {
    const stopped = guard();
    const claimed = stopped.claim();
    await stopped.release();
    expect(await claimed).toBe(false);
    expect(await redis.hgetall(KEY)).toEqual({});
  });

  it('keeps asking while Redis does not answer, and starts once it does', async () => {
    const paused = await startPrivateRedis({ appendOnly: false, label: 'storage-layout-paused' });
    const client = createRedis({ url: paused.url, commandTimeoutMs: 200, name: 'storage-layout-paused' });
    try {
      expect(await waitForReady(client, 5000)).toBe(true);
      process.kill(paused.pid, 'SIGSTOP');
      const waiting = new WorkerLayoutGuard({ redis: client, key: KEY, logger, retryMs: 50 });
      const claimed = waiting.claim();
      expect(await within(claimed, 700)).toBe('pending');
      // Said once, not at every attempt (about one every 250 ms here).
      expect(lines.join('').split('cannot check the storage layout of other queue workers yet (Redis)')).toHaveLength(2);
      process.kill(paused.pid, 'SIGCONT');
      expect(await within(claimed, 3000)).toBe(true);
      await waiting.release();
    } finally {
      process.kill(paused.pid, 'SIGCONT');
      await closeRedis(client);
      await paused.stop();
    }
  });

  it('names the queue-worker connections of a build from before the check, and not its own', async () => {
    const old = createRedis({ url: server.url, commandTimeoutMs: 2000, name: 'sms-worker-bulk' });
    const own = createRedis({ url: server.url, commandTimeoutMs: 2000, name: `${WORKER_CONNECTION_PREFIX}bulk` });
    try {
      expect(await Promise.all([waitForReady(old, 5000), waitForReady(own, 5000)])).toEqual([true, true]);
      const found = await unregisteredWorkerConnections(redis);
      expect(found).toEqual([expect.stringMatching(/^kiungo:sms-worker-bulk 127\.0\.0\.1:\d+$/)]);
      expect(await guard().claim()).toBe(true);
      expect(lines.join('')).toContain('queue workers of a build from before the storage layout check are connected to this Redis');
    } finally {
      await Promise.all([closeRedis(old), closeRedis(own)]);
    }
  });
});
