/**
 * The gateway as a process: a bad environment exits non-zero naming every problem; SIGTERM exits
 * cleanly; with no Redis answering it starts (and later stops) a private redis-server.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveRedis } from '../../../src/infra/redis/resolve-redis';
import { createLogger } from '../../../src/kernel/logger';
import { freePort, portAnswers } from '../../../src/infra/redis/private-redis';
import { testRedisUrl } from '../../support/redis';

const root = path.resolve(__dirname, '../../..');

function startGateway(env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
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
    const child = startGateway({ NODE_ENV: 'production', REDIS_POLICY_CHECK: 'refuse', WEBHOOK_KEY: 'k'.repeat(24), REDIS_URL: testRedisUrl(), PORT: String(await freePort()), REDIS_PREFIX: 'policy-refuse' });
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
    const tsx = pathToFileURL(require.resolve('tsx')).href;
    const child = spawn(process.execPath, ['--import', tsx, path.join(root, 'src/main.ts')], {
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

  it('explains how to get Redis when there is none and no redis-server', async () => {
    const closedPort = await freePort();
    await expect(resolveRedis(undefined, logger, { probePort: closedPort, binary: 'redis-server-that-does-not-exist' }))
      .rejects.toThrow(/apt-get install redis-server[\s\S]*brew install redis[\s\S]*docker run/);
  });
});
