/**
 * A Redis Cluster of `redis-server` processes on loopback for scenario tests: `masters` nodes in
 * cluster mode, each on its own free port (with port + 10000, the cluster bus, free too) and its
 * own folder, joined with `redis-cli --cluster create`; resolves once every node says
 * `cluster_state:ok`. `url` is the gateway's `redis-cluster://` form.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, startPrivateRedis, type PrivateRedis } from '../../../../src/infra/redis/private-redis';

const run = promisify(execFile);

export interface RedisCluster {
  url: string;
  nodes: PrivateRedis[];
  /** `redis-cli -p <port> <args>` on the first node (or `port`). */
  cli(args: string[], port?: number): Promise<string>;
  stop(): Promise<void>;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port whose cluster bus port (port + 10000) is free too. */
async function clusterPort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = await freePort();
    if (port + 10000 > 65535 || taken.has(port)) continue;
    if (await portFree(port + 10000)) return port;
  }
  throw new Error('no free port pair for a cluster node');
}

export function redisCliAvailable(): boolean {
  try {
    require('node:child_process').execFileSync('redis-cli', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function startRedisCluster(options: { masters?: number; label: string; appendOnly?: boolean }): Promise<RedisCluster> {
  const count = options.masters ?? 3;
  const root = mkdtempSync(path.join(os.tmpdir(), `kiungo-cluster-${options.label}-`));
  const taken = new Set<number>();
  for (let i = 0; i < count; i += 1) taken.add(await clusterPort(taken));
  // The nodes start side by side: each is its own process.
  const nodes: PrivateRedis[] = await Promise.all([...taken].map((port, i) => startPrivateRedis({
    dir: path.join(root, `node-${i}`), port, appendOnly: options.appendOnly ?? false, label: `${options.label}-${i}`,
    args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000'],
  })));
  const cli = async (args: string[], port = nodes[0]?.port ?? 0): Promise<string> =>
    (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 30_000 })).stdout;
  await run('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: 60_000 });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const states = await Promise.all(nodes.map((n) => cli(['cluster', 'info'], n.port).catch(() => '')));
    if (states.every((info) => info.includes('cluster_state:ok'))) break;
    if (Date.now() > deadline) throw new Error(`cluster did not reach cluster_state:ok:\n${states.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url: `redis-cluster://${nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`,
    nodes,
    cli,
    async stop() {
      await Promise.all(nodes.map((n) => n.stop(3000)));
      rmSync(root, { recursive: true, force: true });
    },
  };
}
