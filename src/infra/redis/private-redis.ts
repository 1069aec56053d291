/**
 * Starts and stops a private `redis-server` child process: a free loopback port, its own directory,
 * `noeviction`, append-only on when asked. Used by `npm start` when no Redis answers, and by the
 * test harness so that tests never touch a shared instance.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../kernel/errors';

export interface PrivateRedisOptions {
  /** Directory for the data and log; a temp dir (removed on stop) when omitted. */
  dir?: string;
  /** More redis-server arguments (cluster mode, replicaof...), after the defaults. */
  args?: readonly string[];
  port?: number;
  appendOnly: boolean;
  /** Shown in the process title of the child. */
  label: string;
  binary?: string;
  /**
   * Start it in a process group of its own, so the terminal's Ctrl-C (sent to the whole foreground
   * group) does not stop it before the process that owns it has flushed and closed its connections.
   */
  ownProcessGroup?: boolean;
}

export interface PrivateRedis {
  url: string;
  port: number;
  pid: number;
  dir: string;
  /** Sends SIGTERM and waits for exit (SIGKILL after `graceMs`). Never throws. */
  stop(graceMs?: number): Promise<void>;
  /** Sends SIGKILL (simulates a crash) and waits for exit. */
  kill(): Promise<void>;
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when something accepts TCP connections on host:port within `timeoutMs`. */
export function portAnswers(host: string, port: number, timeoutMs = 300): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** True when `redis-server` (or `binary`) can be found on the PATH. */
export function redisServerAvailable(binary = 'redis-server'): boolean {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  if (binary.includes('/')) return existsSync(binary);
  return dirs.some((dir) => existsSync(path.join(dir, binary)));
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

function waitExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Starts redis-server and resolves once it accepts connections; rejects with the reason otherwise. */
export async function startPrivateRedis(options: PrivateRedisOptions): Promise<PrivateRedis> {
  const ownsDir = !options.dir;
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), `kiungo-redis-${options.label}-`));
  mkdirSync(dir, { recursive: true });
  const port = options.port ?? (await freePort());
  const args = [
    '--bind', '127.0.0.1', '--port', String(port), '--dir', dir,
    '--save', '', '--appendonly', options.appendOnly ? 'yes' : 'no',
    '--maxmemory-policy', 'noeviction', '--logfile', path.join(dir, 'redis.log'),
    '--protected-mode', 'yes',
    ...(options.args ?? []),
  ];
  const child = spawn(options.binary ?? 'redis-server', args, { stdio: 'ignore', detached: options.ownProcessGroup ?? false });
  let spawnError: Error | undefined;
  child.once('error', (error) => { spawnError = error; });
  const up = await waitFor(async () => spawnError !== undefined || child.exitCode !== null || portAnswers('127.0.0.1', port), 10_000);
  if (spawnError || child.exitCode !== null || !up) {
    child.kill('SIGKILL');
    throw new AppError('REDIS.START_FAILED', `could not start redis-server on port ${port}: ${spawnError?.message ?? `see ${path.join(dir, 'redis.log')}`}`);
  }
  const stop = async (graceMs = 5000): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitExit(child, graceMs))) {
        child.kill('SIGKILL');
        await waitExit(child, 2000);
      }
    }
    if (ownsDir) rmSync(dir, { recursive: true, force: true });
  };
  const kill = async (): Promise<void> => {
    child.kill('SIGKILL');
    await waitExit(child, 5000);
  };
  return { url: `redis://127.0.0.1:${port}`, port, pid: child.pid ?? -1, dir, stop, kill };
}
