/**
 * A Redis Sentinel set on loopback for scenario tests: one master, one replica and three sentinels
 * (`redis-server --sentinel`), each on its own free port and folder; down after 1 s, quorum 2.
 * `url` is the gateway's `redis-sentinel://h:p,h:p,h:p/<master name>` form.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, portAnswers, startPrivateRedis, type PrivateRedis } from '../../../../src/infra/redis/private-redis';

const run = promisify(execFile);
export const MASTER_NAME = 'kiungo';

export interface RedisSentinelSet {
  url: string;
  master: PrivateRedis;
  replica: PrivateRedis;
  sentinels: ChildProcess[];
  /** The address the sentinels give for the master now. */
  currentMaster(): Promise<string>;
  stop(): Promise<void>;
}

export async function startRedisSentinel(options: { label: string; downAfterMs?: number }): Promise<RedisSentinelSet> {
  const root = mkdtempSync(path.join(os.tmpdir(), `kiungo-sentinel-${options.label}-`));
  // The replica needs only the master's port: both start side by side, and it syncs once the master answers.
  const masterPort = await freePort();
  const [master, replica] = await Promise.all([
    startPrivateRedis({ dir: path.join(root, 'master'), port: masterPort, appendOnly: true, label: `${options.label}-m` }),
    startPrivateRedis({ dir: path.join(root, 'replica'), appendOnly: true, label: `${options.label}-r`, args: ['--replicaof', '127.0.0.1', String(masterPort)] }),
  ]);
  const sentinelPorts: number[] = [];
  const sentinels: ChildProcess[] = [];
  for (let i = 0; i < 3; i += 1) {
    const port = await freePort();
    const dir = path.join(root, `sentinel-${i}`);
    mkdirSync(dir, { recursive: true });
    const conf = path.join(dir, 'sentinel.conf');
    writeFileSync(conf, [
      `port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, `logfile ${path.join(dir, 'sentinel.log')}`,
      `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${master.port} 2`,
      `sentinel down-after-milliseconds ${MASTER_NAME} ${options.downAfterMs ?? 1000}`,
      `sentinel failover-timeout ${MASTER_NAME} 5000`,
      `sentinel parallel-syncs ${MASTER_NAME} 1`,
      '',
    ].join('\n'));
    sentinels.push(spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' }));
    sentinelPorts.push(port);
  }
  const deadline = Date.now() + 20_000;
  const cli = async (port: number, args: string[]): Promise<string> => (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 5000 })).stdout;
  for (;;) {
    const ready = await Promise.all(sentinelPorts.map(async (port) => (await portAnswers('127.0.0.1', port)) && /num-other-sentinels\s+2/.test(await cli(port, ['sentinel', 'master', MASTER_NAME]).catch(() => ''))));
    const synced = /master_link_status:up/.test(await cli(replica.port, ['info', 'replication']).catch(() => ''));
    if (ready.every(Boolean) && synced) break;
    if (Date.now() > deadline) throw new Error('the sentinel set did not come up (sentinels seeing each other, replica in sync)');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url: `redis-sentinel://${sentinelPorts.map((p) => `127.0.0.1:${p}`).join(',')}/${MASTER_NAME}`,
    master, replica, sentinels,
    async currentMaster() {
      return (await cli(sentinelPorts[0] ?? 0, ['sentinel', 'get-master-addr-by-name', MASTER_NAME])).split('\n').filter(Boolean).join(':');
    },
    async stop() {
      for (const sentinel of sentinels) sentinel.kill('SIGKILL');
      await Promise.all([master.kill().catch(() => undefined), replica.kill().catch(() => undefined)]);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
