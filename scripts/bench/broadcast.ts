/**
 * The broadcast part: one broadcast to N delegates (100,000 by default; `--recipients 1000000` for
 * the million) created through the broadcast service, fanned out and sent by one worker process
 * whose Africa's Talking SDK is pointed at a loopback fake provider (node:http in the bench
 * process; the production adapter, SDK and axios run unchanged in the worker). Reports create,
 * fan-out and send time, the end-to-end rate as a ratio to the fake provider's own raw drain rate
 * (calls of the same size from a plain keep-alive client in another process, measured in the same
 * run), Redis memory per recipient after fan-out and after sending, and the worker's RSS over the run;
 * when the first and last provider calls left, recipients called per half second and the CPU time of
 * the worker, redis-server and the bench process (API and fake provider), so the bound is visible.
 * `--commandstats`: Redis's command statistics and its time per script over the run.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildGateway } from '../../src/compose/gateway';
import { broadcastKeys } from '../../src/broadcasts/broadcasts.redis';
import { loadConfig } from '../../src/config/load';
import { envSchema } from '../../src/config/schema';
import { createLogger } from '../../src/kernel/logger';
import { startPrivateRedis } from '../../src/infra/redis/private-redis';
import type { Keys } from '../../src/infra/redis/keys';
import type { RedisClient } from '../../src/infra/redis/client';
import { ROOT, workerEnvironment } from '../../test/scenarios/reliability/support/worker-process';
import { notSending } from './sms';
import { processCpuMs } from './ussd';
import { gatewayArgs } from './processes';
import type { BenchOptions, BenchPart } from './types';

const PACK = 'egov2015';
const PRELOAD = path.resolve(__dirname, 'loopback-at.cjs');
const perSecond = (count: number, ms: number): number => Math.round((count / Math.max(ms, 1)) * 1000);
const ratio = (a: number, b: number): number => Number((a / Math.max(b, 1)).toFixed(3));

async function usedMemory(redis: RedisClient): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

/** CPU seconds (user + system) a process has used so far, from /proc (0 when unreadable). */
function cpuSeconds(pid: number): number {
  return (processCpuMs(pid) ?? 0) / 1000;
}

/** Bytes redis-server has read from and written to its clients so far. */
async function netBytes(redis: RedisClient): Promise<{ in: number; out: number }> {
  const info = await redis.info('stats');
  return { in: Number(/total_net_input_bytes:(\d+)/.exec(info)?.[1] ?? 0), out: Number(/total_net_output_bytes:(\d+)/.exec(info)?.[1] ?? 0) };
}

/** `INFO commandstats` as { command: { calls, usec } }, the busiest (by time) first. */
async function commandStats(redis: RedisClient, top = 15): Promise<Record<string, { calls: number; usec: number; usecPerCall: number }>> {
  const info = await redis.info('commandstats');
  const rows = [...info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+),usec_per_call=([\d.]+)/gm)]
    .map((m) => [m[1] ?? '', { calls: Number(m[2]), usec: Number(m[3]), usecPerCall: Number(m[4]) }] as const)
    .filter(([name]) => name !== 'info' && name !== 'config|resetstat');
  return Object.fromEntries(rows.sort((a, b) => b[1].usec - a[1].usec).slice(0, top));
}

/**
 * Redis time per script (`--commandstats`): every EVALSHA slower than 10 us is in the slow log
 * (cleared at create); grouped by the script's SHA1 and its first key (ids, numbers and hashes
 * folded), which names the script's store (BullMQ's name their queue), the busiest first.
 */
async function scriptStats(redis: RedisClient, prefix: string): Promise<Record<string, { calls: number; usec: number }>> {
  const entries = (await redis.call('SLOWLOG', 'GET', '-1')) as Array<[number, number, number, string[]]>;
  const out = new Map<string, { calls: number; usec: number }>();
  for (const [, , usec, args] of entries) {
    if (String(args[0]).toLowerCase() !== 'evalsha') continue;
    const first = String(args[3] ?? '').replace(prefix, '').replace(/[0-9a-f]{8,}|\+?\d+|b[0-9a-f]{12}/g, '#');
    // One name per script: its first key up to the first id (the content guard's keys hold hashed shards).
    const name = `${String(args[1]).slice(0, 7)} ${first.split('#')[0] ?? first}`;
    const entry = out.get(name) ?? { calls: 0, usec: 0 };
    entry.calls += 1;
    entry.usec += usec;
    out.set(name, entry);
  }
  return Object.fromEntries([...out].sort((a, b) => b[1].usec - a[1].usec).slice(0, 15));
}

/** Recipients the provider was called for in each half second from `t0` (epoch ms), until the last call. */
function sendsPerHalfSecond(calls: Call[], t0: number): number[] {
  const out: number[] = [];
  for (const call of calls) {
    const slot = Math.max(0, Math.floor((call.t - t0) / 500));
    while (out.length <= slot) out.push(0);
    out[slot] = (out[slot] ?? 0) + call.n;
  }
  return out;
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, worker: BenchWorker): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (!worker.running) throw new Error(`worker exited while waiting for ${what}:\n${worker.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The gateway's worker (`SERVICE_MODE=worker`) as its own process with only the loopback preload
 * (no nock: its interceptors would wrap every request to the loopback provider).
 */
class BenchWorker {
  private readonly child: ChildProcess;
  readonly runtime: 'dist' | 'tsx';
  private tail = '';
  readonly exited: Promise<void>;

  constructor(env: Record<string, string>) {
    // The compiled build when it is up to date (what `npm start` runs), else the TypeScript through tsx.
    const { args, runtime } = gatewayArgs();
    this.runtime = runtime;
    this.child = spawn(process.execPath, runtime === 'dist' ? ['--require', PRELOAD, ...args] : ['--import', 'tsx', '--require', PRELOAD, path.join(ROOT, 'src/main.ts')], {
      cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer): void => { this.tail = (this.tail + chunk.toString('utf8')).slice(-6000); };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  get pid(): number { return this.child.pid ?? -1; }
  get running(): boolean { return this.child.exitCode === null && this.child.signalCode === null; }
  output(): string { return this.tail; }

  async ready(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.tail.includes('Kiungo is running')) {
      if (!this.running) throw new Error(`worker exited before it was ready:\n${this.tail}`);
      if (Date.now() > deadline) throw new Error(`worker not ready after ${timeoutMs} ms:\n${this.tail}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** SIGTERM (its CPU profile, if any, is written on the way out); SIGKILL after `timeoutMs`. */
  async terminate(timeoutMs = 30_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const late = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(late);
  }

  async kill(): Promise<void> {
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
  }
}

interface Call { t: number; n: number }

/** A loopback fake provider answering AT's bulk SMS endpoint: every recipient accepted with its own id; each call stamped. */
export async function startLoopbackProvider(): Promise<{ url: string; calls: Call[]; close(): Promise<void> }> {
  const calls: Call[] = [];
  let sequence = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const to = (new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('to') ?? '').split(',').filter(Boolean);
      calls.push({ t: Date.now(), n: to.length });
      const ids = randomBytes(4).toString('hex');
      // Ids as long as AT's (ATXid_ and 32 hex), so the memory figures are those of real ids.
      const recipients = to.map((number) => ({ statusCode: 101, number, status: 'Success', cost: 'TZS 22.0000', messageId: `ATXid_${ids}${(sequence++).toString(16).padStart(24, '0')}`, messageParts: 1 }));
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ SMSMessageData: { Message: `Sent to ${to.length}/${to.length}`, Recipients: recipients } }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/version1/messaging`, calls,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** The provider's own rate: `calls` calls of `batch` recipients from a plain keep-alive client in another process, `concurrency` in flight. */
export async function rawProviderDrain(url: string, calls: number, batch: number, concurrency: number): Promise<{ calls: number; batch: number; concurrency: number; ms: number; recipientsPerSecond: number }> {
  const script = `
    const http = require('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: ${concurrency} });
    const to = Array.from({ length: ${batch} }, (_, n) => '+2557' + String(15000000 + n).padStart(8, '0')).join(',');
    const body = new URLSearchParams({ username: 'bench', to, message: 'Mkutano unaanza saa 3 asubuhi.', bulkSMSMode: '1' }).toString();
    let left = ${calls};
    const one = () => new Promise((resolve, reject) => {
      const req = http.request(${JSON.stringify(url)}, { method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), accept: 'application/json' } }, (res) => { res.resume(); res.on('end', resolve); });
      req.on('error', reject); req.end(body);
    });
    const lane = async () => { while (left-- > 0) await one(); };
    const t0 = performance.now();
    Promise.all(Array.from({ length: ${concurrency} }, lane)).then(() => { process.stdout.write(String(performance.now() - t0)); agent.destroy(); });
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString('utf8'); });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ms = Number(out);
  if (code !== 0 || !Number.isFinite(ms)) throw new Error(`raw provider drain failed (exit ${code})`);
  return { calls, batch, concurrency, ms: Math.round(ms), recipientsPerSecond: perSecond(calls * batch, ms) };
}

/** Samples a process's resident memory (Linux /proc) every `everyMs`. */
function sampleRss(pid: number, everyMs = 200): { stop(): { startMb: number; maxMb: number; endMb: number; samples: number } } {
  const samples: number[] = [];
  const read = (): void => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
      if (Number.isFinite(kb)) samples.push(kb / 1024);
    } catch { /* gone, or not Linux */ }
  };
  read();
  const timer = setInterval(read, everyMs);
  return {
    stop() {
      clearInterval(timer);
      read();
      const mb = (n: number | undefined): number => Math.round(n ?? 0);
      return { startMb: mb(samples[0]), maxMb: mb(samples.length ? Math.max(...samples) : 0), endMb: mb(samples[samples.length - 1]), samples: samples.length };
    },
  };
}

export const broadcastPart: BenchPart = {
  name: 'broadcast',
  description: 'a 100,000-recipient broadcast (--recipients N, e.g. 1000000) to a loopback fake provider through the AT adapter: create, fan-out and send time, the end-to-end rate / the provider\'s raw drain rate, Redis bytes per recipient, worker RSS',
  async run(options: BenchOptions) {
    const recipients = Number(options.flags.recipients ?? 100_000);
    if (!Number.isInteger(recipients) || recipients < 100) throw new Error('--recipients must be a whole number >= 100');
    const rate = Number(options.flags.rate ?? 50_000);
    const concurrency = Number(options.flags.concurrency ?? 8);
    const inFlight = options.flags['in-flight'] !== undefined ? Number(options.flags['in-flight']) : envSchema.shape.SMS_MAX_IN_FLIGHT.parse(undefined);
    if (!Number.isInteger(inFlight) || inFlight < 0) throw new Error('--in-flight must be a whole number >= 0');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiungo-bench-broadcast-'));
    const unusedLog = path.join(dir, 'nock.jsonl');
    writeFileSync(unusedLog, '');
    const redis = await startPrivateRedis({ appendOnly: false, label: 'bench-broadcast' });
    const provider = await startLoopbackProvider();
    const prefix = `bench-bc-${randomBytes(3).toString('hex')}`;
    const env = workerEnvironment({
      redisUrl: redis.url, prefix, providerLog: unusedLog,
      extra: {
        SMS_BATCH_SIZE: '100', SMS_RATE_PER_SECOND: String(rate), SMS_WORKER_CONCURRENCY: String(concurrency), SMS_SWEEP_INTERVAL_MS: '30000', WORKER_LOCK_MS: '30000', REDIS_COMMAND_TIMEOUT_MS: '10000',
        // `--in-flight N`: the worker's SMS_MAX_IN_FLIGHT; unset, what a default `npm start` runs (32);
        // `--in-flight 0`: the bulk lane runs --concurrency (8), as this bench did before.
        SMS_MAX_IN_FLIGHT: String(inFlight),
        LOOPBACK_AT_URL: provider.url, ...(options.flags.profile ? { BENCH_CPU_PROFILE: path.resolve(options.flags.profile) } : {}), AT_TIMEOUT_MS: '30000',
        // `--worker-node-options=--max-semi-space-size=32`: Node options of the worker alone (to try GC settings).
        ...(options.flags['worker-node-options'] ? { NODE_OPTIONS: options.flags['worker-node-options'] } : {}),
      },
    });
    const config = loadConfig({ ...env, SERVICE_MODE: 'api', LOG_LEVEL: 'silent' });
    const api = await buildGateway({ config, logger: createLogger('silent'), redisUrl: redis.url, defaultMetrics: false, provider: notSending });
    const worker = new BenchWorker(env);
    let rss: ReturnType<typeof sampleRss> | undefined;
    try {
      options.log(`broadcast: registering ${recipients} delegates`);
      const at = new Date();
      for (let start = 0; start < recipients; start += 1000) {
        await Promise.all(Array.from({ length: Math.min(1000, recipients - start) }, (_, offset) => api.services.delegates.register(PACK, {
          phone: `+2557${String(15_000_000 + start + offset).padStart(8, '0')}`, name: `Mjumbe ${start + offset}`, institution: 'eGA',
          institutionType: 'agency', cohort: '1', language: (start + offset) % 4 === 0 ? 'en' : 'sw', channel: 'import',
        }, at)));
      }
      await worker.ready();
      rss = sampleRss(worker.pid);
      const memoryBefore = await usedMemory(api.redis);
      const statsBefore = options.flags.breakdown ? await memoryStats(api.redis) : undefined;
      const redisCpuBefore = options.flags.breakdown ? await redisCpu(api.redis) : undefined;
      options.log('broadcast: creating');
      if (options.flags.commandstats) {
        await api.redis.config('RESETSTAT');
        await api.redis.config('SET', 'slowlog-log-slower-than', '10');
        await api.redis.config('SET', 'slowlog-max-len', '100000');
        await api.redis.call('SLOWLOG', 'RESET');
      }
      const cpuBefore = { worker: cpuSeconds(worker.pid), redis: cpuSeconds(redis.pid), bench: process.cpuUsage() };
      const netBefore = await netBytes(api.redis);
      const wallT0 = Date.now();
      const t0 = performance.now();
      const { broadcast } = await api.broadcasts.create({ audience: { all: true }, messages: { sw: 'Mkutano unaanza saa 3 asubuhi.', en: 'The conference starts at 9 am.' }, urgent: true }, `bench-${prefix}`);
      const created = performance.now();
      // Fanned out: the last wave recorded its groups (every recipient is in the ledger).
      await until('the fan-out', async () => ((await fannedOut(api.redis, api.keys, broadcast.id)) ? true : undefined), 3_600_000, worker);
      const fannedOutAt = performance.now();
      const memoryAfterFanOut = await usedMemory(api.redis);
      options.log('broadcast: sending');
      let statusReads = 0;
      let statusReadMs = 0;
      const done = await until('every recipient sent', async () => {
        const readStart = performance.now();
        const status = await api.broadcasts.get(broadcast.id);
        statusReadMs += performance.now() - readStart;
        statusReads += 1;
        return status && status.progress === 1 && status.counts.queued === 0 && status.counts.sending === 0 ? status : undefined;
      }, 3_600_000, worker);
      const finished = performance.now();
      const benchCpu = process.cpuUsage(cpuBefore.bench);
      const cpu = {
        workerS: Number((cpuSeconds(worker.pid) - cpuBefore.worker).toFixed(2)),
        redisS: Number((cpuSeconds(redis.pid) - cpuBefore.redis).toFixed(2)),
        benchS: Number(((benchCpu.user + benchCpu.system) / 1e6).toFixed(2)),
      };
      const netAfter = await netBytes(api.redis);
      const commands = options.flags.commandstats ? await commandStats(api.redis) : undefined;
      const scripts = options.flags.commandstats ? await scriptStats(api.redis, prefix) : undefined;
      const memoryAfterSend = await usedMemory(api.redis);
      const breakdown = options.flags.breakdown ? await memoryByFamily(api.redis, prefix) : undefined;
      const statsDelta = statsBefore ? memoryStatsDelta(statsBefore, await memoryStats(api.redis)) : undefined;
      const redisCpuAfter = redisCpuBefore ? await redisCpu(api.redis) : undefined;
      const workerRss = rss.stop();
      rss = undefined;
      const calls = [...provider.calls];
      await worker.terminate();
      const endToEnd = perSecond(recipients, finished - t0);
      const rawCalls = Number(options.flags['raw-calls'] ?? Math.max(20, Math.min(2000, Math.ceil(recipients / 100))));
      options.log(`broadcast: the fake provider's raw drain, ${rawCalls} calls of 100`);
      const raw = await rawProviderDrain(provider.url, rawCalls, 100, concurrency);
      const firstCall = calls[0]?.t ?? 0;
      const lastCall = calls[calls.length - 1]?.t ?? 0;
      return {
        setup: `${recipients} delegates (3/4 sw, 1/4 en: two ledger groups per wave); one worker process (${worker.runtime === 'dist' ? 'the compiled build' : 'TypeScript through tsx: run npm run build'}, bulk calls in flight ${inFlight > 0 ? `${inFlight} (SMS_MAX_IN_FLIGHT)` : `${concurrency} (SMS_MAX_IN_FLIGHT=0: SMS_WORKER_CONCURRENCY)`}, batch 100, SMS_RATE_PER_SECOND=${rate}) whose AT SDK calls a loopback fake provider (node:http) in the bench process; redis-server without AOF`,
        recipients,
        counts: done.counts,
        providerCalls: calls.length,
        createMs: Math.round(created - t0),
        fanOutMs: Math.round(fannedOutAt - t0),
        sendMs: Math.round(finished - fannedOutAt),
        totalMs: Math.round(finished - t0),
        recipientsPerSecond: { endToEnd, whileCalling: perSecond(calls.reduce((sum, call) => sum + call.n, 0), lastCall - firstCall) },
        providerCallsMs: { first: firstCall ? firstCall - wallT0 : null, last: lastCall ? lastCall - wallT0 : null },
        sentPerHalfSecond: sendsPerHalfSecond(calls, wallT0),
        cpuSeconds: cpu,
        redisNetBytesPerRecipient: { in: Math.round((netAfter.in - netBefore.in) / recipients), out: Math.round((netAfter.out - netBefore.out) / recipients) },
        ...(commands ? { redisCommandStats: commands } : {}),
        ...(scripts ? { redisScriptsOver10Us: scripts } : {}),
        providerRaw: raw,
        ratios: { endToEndToProviderRaw: ratio(endToEnd, raw.recipientsPerSecond) },
        redisMemory: {
          beforeBytes: memoryBefore,
          perRecipientAfterFanOutBytes: Math.round((memoryAfterFanOut - memoryBefore) / recipients),
          perRecipientAfterSendBytes: Math.round((memoryAfterSend - memoryBefore) / recipients),
        },
        ...(breakdown ? { memoryByKeyFamilyAfterSend: breakdown } : {}),
        ...(statsDelta ? { memoryStatsGrowth: statsDelta } : {}),
        ...(redisCpuBefore && redisCpuAfter ? { redisCpuMs: { total: Math.round(redisCpuAfter.total - redisCpuBefore.total), scripts: Math.round(redisCpuAfter.scripts - redisCpuBefore.scripts) } } : {}),
        workerRss,
        statusRead: { reads: statusReads, meanMs: Number((statusReadMs / Math.max(1, statusReads)).toFixed(2)) },
        aim: { totalMs: recipients <= 100_000 ? '<= 5000 at 100,000' : '<= 60000 at 1,000,000', perRecipientAfterSendBytes: '<= 250' },
      };
    } finally {
      rss?.stop();
      await worker.kill();
      await api.close();
      await provider.close();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** `--breakdown`: bytes per key family (ids, numbers and hashes in key names folded), largest first. */
async function memoryByFamily(redis: RedisClient, prefix: string): Promise<Record<string, { keys: number; bytes: number }>> {
  const families = new Map<string, { keys: number; bytes: number }>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
    cursor = next;
    const sizes = await Promise.all(keys.map((key) => redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '20') as Promise<number | null>));
    keys.forEach((key, position) => {
      const family = key.replace(prefix, '').replace(/[0-9a-f]{8,}|\+?\d+|b[0-9a-f]{12}/g, '#').replace(/^(:sms:pids:#:)[#0-9a-z]+$/, '$1#');
      const entry = families.get(family) ?? { keys: 0, bytes: 0 };
      entry.keys += 1;
      entry.bytes += Number(sizes[position] ?? 0);
      families.set(family, entry);
    });
  } while (cursor !== '0');
  return Object.fromEntries([...families].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 15));
}

/** MEMORY STATS as flat numbers (nested maps, e.g. per database, flattened with dots). */
async function memoryStats(redis: RedisClient): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const walk = (reply: unknown, path: string): void => {
    if (!Array.isArray(reply)) {
      const value = Number(reply);
      if (path && Number.isFinite(value)) out[path] = value;
      return;
    }
    for (let i = 0; i + 1 < reply.length; i += 2) walk(reply[i + 1], path ? `${path}.${String(reply[i])}` : String(reply[i]));
  };
  walk(await redis.call('MEMORY', 'STATS'), '');
  const info = await redis.info('memory');
  for (const name of ['used_memory_scripts', 'used_memory_vm_eval', 'used_memory_lua', 'mem_clients_normal']) {
    const match = new RegExp(`${name}:(\\d+)`).exec(info);
    if (match) out[`info.${name}`] = Number(match[1]);
  }
  return out;
}

/** redis-server's CPU so far (user + system) and the time its scripts (EVALSHA) took, in ms. */
async function redisCpu(redis: RedisClient): Promise<{ total: number; scripts: number }> {
  const [cpu, commands] = await Promise.all([redis.info('cpu'), redis.info('commandstats')]);
  const field = (text: string, name: string): number => Number(new RegExp(`${name}:([\\d.]+)`).exec(text)?.[1] ?? 0);
  const scripts = Number(/cmdstat_evalsha:calls=\d+,usec=(\d+)/.exec(commands)?.[1] ?? 0) / 1000;
  return { total: (field(cpu, 'used_cpu_user') + field(cpu, 'used_cpu_sys')) * 1000, scripts };
}

/** MEMORY STATS fields that grew or shrank by more than 64 KB over the broadcast, in bytes. */
function memoryStatsDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(after)) {
    if (/ratio|percentage|keys\.count|count$/.test(name)) continue;
    const delta = value - (before[name] ?? 0);
    if (Math.abs(delta) >= 65_536) out[name] = delta;
  }
  return out;
}

/** True once the broadcast's last wave has been recorded (nextWave reached waves). */
async function fannedOut(redis: RedisClient, keys: Keys, id: string): Promise<boolean> {
  const hash = await redis.hgetall(broadcastKeys(keys, id).record);
  const meta = hash.meta ? (JSON.parse(hash.meta) as { waves: number }) : undefined;
  return meta !== undefined && Number(hash.nextWave ?? 0) >= meta.waves;
}
