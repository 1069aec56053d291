/**
 * The gateway as a process: a bad environment exits non-zero naming every problem; SIGTERM exits
 * cleanly; with no Redis answering it starts (and later stops) a private redis-server. The process
 * is the compiled build `npm start` runs (`node dist/src/main.js`, built once per run).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveRedis } from '../../../src/infra/redis/resolve-redis';
import { createLogger } from '../../../src/kernel/logger';
import { freePort, portAnswers, startPrivateRedis } from '../../../src/infra/redis/private-redis';
import { closeRedis, createRedis, waitForReady } from '../../../src/infra/redis/client';
import { createKeys } from '../../../src/infra/redis/keys';
import { testRedisUrl } from '../../support/redis';
import { buildDist, MAIN } from '../../support/dist-build';

const root = path.resolve(__dirname, '../../..');

beforeAll(() => buildDist(), 300_000);

function startGateway(env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [MAIN], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
  });
}

function collect(child: ChildProcessWithoutNullStreams): { out: () => string } {
  let text = '';
  child.stdout.on('data', (chunk) => { text += String(chunk); });
  child.stderr.on('data', (chunk) => { text += String(chunk); });
  return { out: () => text };
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function waitForText(read: () => string, needle: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!read().includes(needle)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for "${needle}"; output:\n${read()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the gateway process', () => {
  it('exits non-zero with one message naming every bad variable', async () => {
    const child = startGateway({ PORT: 'abc', REDIS_URL: 'nope', SMS_PROVIDER: 'carrier-pigeon' });
    const output = collect(child);
    expect(await exited(child)).toBe(1);
    expect(output.out()).toMatch(/3 problems/);
    for (const name of ['PORT', 'REDIS_URL', 'SMS_PROVIDER']) expect(output.out()).toContain(`${name}:`);
  }, 30000);

  it('refuses to start in production on a Redis that keeps nothing on disk when told to', async () => {
    const child = startGateway({ NODE_ENV: 'production', REDIS_POLICY_CHECK: 'refuse', WEBHOOK_KEY: '7f3a9c41e2b85d06af19c3e7', ALLOW_OUTBOX_IN_PRODUCTION: 'true', REDIS_URL: testRedisUrl(), PORT: String(await freePort()), REDIS_PREFIX: 'policy-refuse' });
    const output = collect(child);
    expect(await exited(child)).toBe(1);
    expect(output.out()).toMatch(/set appendonly yes/);
    expect(output.out()).toMatch(/refusing to start/);
  }, 30000);

  it('serves, then exits 0 within the grace time on SIGTERM', async () => {
    const port = await freePort();
    const child = startGateway({ PORT: String(port), REDIS_URL: testRedisUrl(), SHUTDOWN_GRACE_MS: '5000', REDIS_PREFIX: 'start-test', SPOOL_DIR: path.join(os.tmpdir(), 'kiungo-spool-start-test') });
    const output = collect(child);
    await waitForText(output.out, 'Kiungo is running', 25000);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(output.out()).toContain(`/simulator`);
    // Every callback URL the README tells an operator to paste into Africa's Talking's dashboard.
    for (const hook of ['ussd', 'ussd-events', 'sms', 'delivery-reports', 'opt-outs'])
      expect(output.out()).toContain(`http://localhost:${port}/webhooks/africastalking/${hook}\n`);
    const started = Date.now();
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
  }, 40000);
});

describe('npm start with no Redis running', () => {
  it('starts a private append-only redis-server under ./data/redis and stops it on SIGTERM', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'kiungo-fresh-'));
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, LOG_LEVEL: 'warn', PORT: String(port), LOCAL_REDIS_PORT: String(await freePort()), FLOWS_DIR: path.join(root, 'flows') },
    });
    const output = collect(child);
    try {
      await waitForText(output.out, 'Kiungo is running', 30000);
      expect(output.out()).toMatch(/private redis-server, data in \.\/data\/redis/);
      const redisPort = Number(/redis:\/\/127\.0\.0\.1:(\d+)/.exec(output.out())?.[1]);
      expect(await portAnswers('127.0.0.1', redisPort)).toBe(true);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      expect(readdirSync(path.join(cwd, 'data/redis')).join(' ')).toMatch(/appendonly/);
      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0);
      expect(await portAnswers('127.0.0.1', redisPort)).toBe(false);
    } finally {
      child.kill('SIGKILL');
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60000);
});

describe('npm start stopped with Ctrl-C', () => {
  it('stops its private redis-server only after the gateway has flushed and closed', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'kiungo-ctrlc-'));
    const port = await freePort();
    // Its own process group, like a terminal's foreground job: Ctrl-C signals every process in it.
    const child = spawn(process.execPath, [MAIN], {
      cwd, detached: true,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, LOG_LEVEL: 'info', PORT: String(port), LOCAL_REDIS_PORT: String(await freePort()), FLOWS_DIR: path.join(root, 'flows') },
    });
    const output = collect(child);
    try {
      await waitForText(output.out, 'Kiungo is running', 30000);
      const hop = await fetch(`http://127.0.0.1:${port}/webhooks/africastalking/ussd`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ sessionId: 'ATUid_ctrlc', serviceCode: '*384*2015#', phoneNumber: '+255713400001', text: '' }).toString(),
      });
      expect(await hop.text()).toMatch(/^CON /);
      process.kill(-(child.pid ?? 0), 'SIGINT');
      expect(await exited(child)).toBe(0);
      const log = readFileSync(path.join(cwd, 'data/redis/redis.log'), 'utf8');
      // redis-server heard only the gateway's SIGTERM, never the terminal's SIGINT.
      expect(log).toMatch(/Received SIGTERM/);
      expect(log).not.toMatch(/Received SIGINT/);
      const lines = output.out();
      expect(lines.indexOf('gateway closed: stopping the private redis-server')).toBeGreaterThan(lines.indexOf('shutting down'));
      expect(lines).not.toMatch(/error while closing/);

      // The hop's funnel count was written before Redis stopped: it is in the append-only file.
      const again = await startPrivateRedis({ dir: path.join(cwd, 'data/redis'), appendOnly: true, label: 'ctrlc-check' });
      const redis = createRedis({ url: again.url, commandTimeoutMs: 2000, name: 'ctrlc-check' });
      try {
        await waitForReady(redis, 5000);
        expect(await redis.hgetall(createKeys('kiungo').ussd.nodeEntries('egov2015'))).toMatchObject({ home: '1' });
      } finally {
        await closeRedis(redis);
        await again.stop();
      }
    } finally {
      try { process.kill(-(child.pid ?? 0), 'SIGKILL'); } catch { /* already gone */ }
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 90000);
});

describe('resolveRedis', () => {
  const logger = createLogger('silent');

  it('uses REDIS_URL as given', async () => {
    expect(await resolveRedis('redis://cache:6379', logger)).toEqual({ url: 'redis://cache:6379', origin: 'configured' });
  });

  it('starts a private append-only redis-server when nothing answers, and stops it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiungo-resolve-'));
    const closedPort = await freePort();
    try {
      const resolved = await resolveRedis(undefined, logger, { dataDir: dir, probePort: closedPort });
      expect(resolved.origin).toBe('private');
      const server = resolved.privateServer;
      if (!server) throw new Error('no private server');
      expect(await portAnswers('127.0.0.1', server.port)).toBe(true);
      await server.stop();
      expect(await portAnswers('127.0.0.1', server.port)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 20000);

  it('names the port it probed, and says when it shares a Redis already running there', async () => {
    const lines: string[] = [];
    const capture = createLogger('info', { write: (line: string) => { lines.push(line); } });
    const running = await startPrivateRedis({ appendOnly: false, label: 'shared' });
    try {
      expect(await resolveRedis(undefined, capture, { probePort: running.port })).toEqual({ url: `redis://127.0.0.1:${running.port}`, origin: 'local' });
    } finally {
      await running.stop();
    }
    expect(lines.join('')).toMatch(new RegExp(`sharing the Redis already running on 127\\.0\\.0\\.1:${running.port}.*REDIS_URL.*LOCAL_REDIS_PORT`));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiungo-probe-'));
    const closedPort = await freePort();
    try {
      const resolved = await resolveRedis(undefined, capture, { dataDir: dir, probePort: closedPort });
      await resolved.privateServer?.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(lines.join('')).toContain(`no Redis on 127.0.0.1:${closedPort}: starting a private redis-server`);
    expect(lines.join('')).not.toContain('127.0.0.1:6379');
  }, 20000);

  it('explains how to get Redis when there is none and no redis-server', async () => {
    const closedPort = await freePort();
    await expect(resolveRedis(undefined, logger, { probePort: closedPort, binary: 'redis-server-that-does-not-exist' }))
      .rejects.toThrow(/apt-get install redis-server[\s\S]*brew install redis[\s\S]*docker run/);
  });
});
