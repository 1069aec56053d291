/**
 * The personalised part: texts that differ per recipient, so every recipient is its own provider
 * call, sent by one worker process against a fake Africa's Talking HTTP server on loopback (its own
 * process, node:http with keep-alive) that answers each call after a latency (200 ms by default,
 * `--latency`). The worker runs the production adapter and HTTP stack unchanged; only the SDK's SMS
 * URL is pointed at the fake by a preload. Two phases on the same N recipients (2,000 by default,
 * `--recipients`): `queued`, one-recipient broadcast messages queued before the worker starts (the
 * send path alone); `broadcast`, a personalised broadcast ({name}) fanned out by the same worker.
 *
 * Reports recipients/s at the provider (calls' arrivals, the middle 80%) and end to end, and the
 * busiest sliding second there (stamped on arrival by the fake, so its own event-loop lag, also
 * reported, can bunch arrivals up), as ratios to the configured rate (`--rate`, default 500) and to
 * the bulk lane's share of it; the most calls the fake saw in flight and sockets open; the
 * worker's peak RSS and its and Redis's CPU per recipient; and the wrapper's per-call cost:
 * `createAfricasTalkingProvider(...).send` of one recipient vs a raw node:http request to the same
 * fake (answering at once), one after the other, in the same run. `--in-flight N` sets the
 * worker's SMS_MAX_IN_FLIGHT, `--concurrency N` its SMS_WORKER_CONCURRENCY.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildGateway } from '../../src/compose/gateway';
import { loadConfig } from '../../src/config/load';
import { createLogger } from '../../src/kernel/logger';
import { startPrivateRedis } from '../../src/infra/redis/private-redis';
import { bulkShare, PACE_WINDOW_MS } from '../../src/sms/outbound/rate-limiter.redis';
import { createAfricasTalkingProvider } from '../../src/providers/africastalking/at-sms-provider';
import { notSending } from './sms';
import { busiestWindow } from '../../test/support/busiest-window';
import { gatewayArgs, ROOT } from './processes';
import type { BenchOptions, BenchPart } from './types';

const PACK = 'egov2015';

/** The fake AT server, run with `node -e`: answers POSTs after FAKE_LATENCY_MS (paths under /fast at once), reports over IPC. */
const FAKE_AT_SOURCE = String.raw`
'use strict';
const http = require('node:http');
const { randomBytes } = require('node:crypto');
const latencyMs = Number(process.env.FAKE_LATENCY_MS || 200);
let inFlight = 0, maxInFlight = 0, open = 0, maxOpen = 0, opened = 0, calls = 0, recipients = 0, maxLagMs = 0;
// Its own event-loop lag: arrivals it stamps late by this much (on a loaded machine) bunch up.
let tick = Date.now();
setInterval(() => { const now = Date.now(); maxLagMs = Math.max(maxLagMs, now - tick - 10); tick = now; }, 10);
const times = [];
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const fast = req.url.startsWith('/fast');
    const to = (new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('to') || '').split(',').filter(Boolean);
    if (!fast) { inFlight += 1; if (inFlight > maxInFlight) maxInFlight = inFlight; times.push(Date.now()); }
    const answer = () => {
      if (!fast) { inFlight -= 1; calls += 1; recipients += to.length; }
      const body = JSON.stringify({ SMSMessageData: { Message: 'Sent to ' + to.length + '/' + to.length + ' Total Cost: TZS ' + (22 * to.length).toFixed(4), Recipients: to.map((number) => ({ statusCode: 101, number, status: 'Success', cost: 'TZS 22.0000', messageId: 'ATXid_' + randomBytes(16).toString('hex'), messageParts: 1 })) } });
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (fast || latencyMs <= 0) answer(); else setTimeout(answer, latencyMs);
  });
});
server.keepAliveTimeout = 60000;
server.headersTimeout = 61000;
server.on('connection', (socket) => {
  open += 1; opened += 1; if (open > maxOpen) maxOpen = open;
  socket.on('close', () => { open -= 1; });
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', (message) => {
  if (message === 'reset') { maxLagMs = 0; maxInFlight = inFlight; maxOpen = open; opened = 0; calls = 0; recipients = 0; times.length = 0; process.send({ reset: true }); }
  if (message === 'count') process.send({ count: calls });
  if (message === 'stats') process.send({ stats: { calls, recipients, maxInFlight, maxOpenSockets: maxOpen, socketsOpened: opened, openSockets: open, maxLoopLagMs: maxLagMs, times } });
});
process.on('disconnect', () => process.exit(0));
`;

interface FakeStats { calls: number; recipients: number; maxInFlight: number; maxOpenSockets: number; socketsOpened: number; openSockets: number; maxLoopLagMs: number; times: number[] }

interface FakeAt { port: number; stats(): Promise<FakeStats>; calls(): Promise<number>; reset(): Promise<void>; stop(): Promise<void> }

function startFakeAt(latencyMs: number): Promise<FakeAt> {
  const child = spawn(process.execPath, ['-e', FAKE_AT_SOURCE], { env: { PATH: process.env.PATH ?? '', FAKE_LATENCY_MS: String(latencyMs) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`fake AT server exited with code ${String(code)}`)));
    const ask = <T>(question: string): Promise<T> => new Promise((done) => {
      child.once('message', (answer: T) => done(answer));
      child.send(question);
    });
    child.once('message', (message: { port: number }) => resolve({
      port: message.port,
      stats: async () => (await ask<{ stats: FakeStats }>('stats')).stats,
      calls: async () => (await ask<{ count: number }>('count')).count,
      reset: async () => { await ask('reset'); },
      stop: () => stopChild(child),
    }));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Peak resident memory of a process, sampled every 200 ms from /proc (Linux). */
function rssSampler(pid: number): { peak(): number; stop(): void } {
  let peak = 0;
  const sample = (): void => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      peak = Math.max(peak, kb * 1024);
    } catch { /* gone */ }
  };
  sample();
  const timer = setInterval(sample, 200);
  return { peak: () => peak, stop: () => clearInterval(timer) };
}

/** CPU time (user + system) a process has used so far, in ms (Linux /proc). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/** Recipients per second over the middle 80% of the answer times (ramp-up and tail left out). */
export function steadyRate(times: readonly number[]): number {
  if (times.length < 10) return 0;
  const sorted = [...times].sort((a, b) => a - b);
  const from = Math.floor(sorted.length * 0.1);
  const to = Math.floor(sorted.length * 0.9);
  const span = (sorted[to] ?? 0) - (sorted[from] ?? 0);
  return span > 0 ? Math.round(((to - from) / span) * 1000) : 0;
}

const ratio = (a: number, b: number): number => Number((a / Math.max(b, 1e-9)).toFixed(3));

/** Per-call cost of the adapter vs a raw node:http request to the same fake (answering at once). */
export async function wrapperOverhead(port: number, calls: number): Promise<Record<string, number>> {
  const endpoints = require('africastalking/lib/common') as { SMS_URL: string };
  const original = endpoints.SMS_URL;
  endpoints.SMS_URL = `http://127.0.0.1:${port}/fast/version1/messaging`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const provider = createAfricasTalkingProvider({ username: 'kiungo-bench', apiKey: 'bench-key', timeoutMs: 5000, enqueue: true });
    const phone = (i: number): string => `+2557${String(16_000_000 + (i % 1000)).padStart(8, '0')}`;
    const viaWrapper = async (i: number): Promise<void> => {
      const outcome = await provider.send({ to: [phone(i)], message: `Habari Mjumbe ${i}, mkutano unaanza saa 3 asubuhi.`, bulk: true });
      if (outcome.kind !== 'per_recipient' || outcome.recipients[0]?.result !== 'accepted') throw new Error(`wrapper call failed: ${JSON.stringify(outcome)}`);
    };
    const raw = (i: number): Promise<void> => new Promise((resolve, reject) => {
      const body = new URLSearchParams({ username: 'kiungo-bench', to: phone(i), message: `Habari Mjumbe ${i}, mkutano unaanza saa 3 asubuhi.`, bulkSMSMode: '1', enqueue: '1' }).toString();
      const request = http.request({ host: '127.0.0.1', port, path: '/fast/version1/messaging', method: 'POST', agent, headers: { apikey: 'bench-key', accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { SMSMessageData?: { Recipients?: unknown[] } };
          if (response.statusCode !== 201 || parsed.SMSMessageData?.Recipients?.length !== 1) reject(new Error('raw call failed'));
          else resolve();
        });
      });
      request.on('error', reject);
      request.end(body);
    });
    const measure = async (call: (i: number) => Promise<void>): Promise<{ wallUs: number; cpuUs: number }> => {
      for (let i = 0; i < Math.min(50, calls); i += 1) await call(i); // warm-up
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < calls; i += 1) await call(i);
      const wall = performance.now() - t0;
      const used = process.cpuUsage(cpu);
      return { wallUs: Math.round((wall * 1000) / calls), cpuUs: Math.round((used.user + used.system) / calls) };
    };
    // Interleaved halves, so drift on a shared machine falls on both alike.
    const rawA = await measure(raw);
    const wrapperA = await measure(viaWrapper);
    const rawB = await measure(raw);
    const wrapperB = await measure(viaWrapper);
    const rawWall = (rawA.wallUs + rawB.wallUs) / 2;
    const rawCpu = (rawA.cpuUs + rawB.cpuUs) / 2;
    const wrapperWall = (wrapperA.wallUs + wrapperB.wallUs) / 2;
    const wrapperCpu = (wrapperA.cpuUs + wrapperB.cpuUs) / 2;
    return {
      calls,
      rawWallUsPerCall: Math.round(rawWall), wrapperWallUsPerCall: Math.round(wrapperWall), overheadWallUsPerCall: Math.round(wrapperWall - rawWall),
      rawCpuUsPerCall: Math.round(rawCpu), wrapperCpuUsPerCall: Math.round(wrapperCpu), overheadCpuUsPerCall: Math.round(wrapperCpu - rawCpu),
      wrapperToRawWall: ratio(wrapperWall, rawWall), wrapperToRawCpu: ratio(wrapperCpu, rawCpu),
    };
  } finally {
    endpoints.SMS_URL = original;
    agent.destroy();
  }
}

/** The worker, as `npm start` runs it (compiled when fresh, else tsx), with the SDK's SMS URL on the fake. */
function startWorker(env: Record<string, string>, preload: string): { child: ChildProcess; output(): string; ready(timeoutMs: number): Promise<void> } {
  const { args } = gatewayArgs();
  const profile = process.env.BENCH_WORKER_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_WORKER_CPU_PROF] : [];
  const child = spawn(process.execPath, [...profile, '--require', preload, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (chunk: Buffer): void => { tail = (tail + chunk.toString('utf8')).slice(-6000); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    child,
    output: () => tail,
    async ready(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!tail.includes('Kiungo is running')) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`worker exited before it was ready:\n${tail}`);
        if (Date.now() > deadline) throw new Error(`worker not ready after ${timeoutMs} ms:\n${tail}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

export const personalPart: BenchPart = {
  name: 'personal',
  description: 'a personalised broadcast ({name}: one provider call per recipient, 2,000 by default, --recipients) at --rate 500 against a fake AT server answering after --latency 200 ms: recipients/s as a ratio to the rate, calls in flight and sockets seen, worker RSS, and the SDK wrapper\'s per-call cost vs raw node:http',
  async run(options: BenchOptions) {
    const recipients = Number(options.flags.recipients ?? 2000);
    const rate = Number(options.flags.rate ?? 500);
    const latencyMs = Number(options.flags.latency ?? 200);
    const overheadCalls = Number(options.flags['overhead-calls'] ?? 500);
    if (!Number.isInteger(recipients) || recipients < 10) throw new Error('--recipients must be a whole number >= 10');
    if (!Number.isInteger(rate) || rate < 1) throw new Error('--rate must be a whole number >= 1');
    // Optional tuning, passed to the worker as given (unset: the configuration's defaults).
    const tuning: Record<string, string> = {};
    if (options.flags.concurrency) tuning.SMS_WORKER_CONCURRENCY = options.flags.concurrency;
    if (options.flags['in-flight']) tuning.SMS_MAX_IN_FLIGHT = options.flags['in-flight'];
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiungo-bench-personal-'));
    const preload = path.join(dir, 'at-url.cjs');
    writeFileSync(preload, `require(${JSON.stringify(require.resolve('africastalking/lib/common', { paths: [ROOT] }))}).SMS_URL = process.env.BENCH_AT_SMS_URL;\n`);
    const fake = await startFakeAt(latencyMs);
    const redis = await startPrivateRedis({ appendOnly: false, label: 'bench-personal' });
    const prefix = `bench-pe-${randomBytes(3).toString('hex')}`;
    const env: Record<string, string> = {
      NODE_ENV: 'test', SERVICE_MODE: 'worker', SMS_PROVIDER: 'africastalking', AT_USERNAME: 'kiungo-bench', AT_API_KEY: 'bench-key',
      WEBHOOK_KEY: 'bench-webhook-key-7c1d9e2a4b6f', AT_TIMEOUT_MS: '10000', REDIS_URL: redis.url, REDIS_PREFIX: prefix,
      FLOWS_DIR: path.join(ROOT, 'flows'), QUIET_HOURS: 'off', DIGEST_TIME: 'off', SMS_RATE_PER_SECOND: String(rate),
      SMS_SWEEP_INTERVAL_MS: '30000', WORKER_LOCK_MS: '30000', REDIS_COMMAND_TIMEOUT_MS: '10000', SMS_CONTENT_REPEAT_CAP: '0',
      LOG_LEVEL: 'warn', SPOOL_DIR: path.join(dir, 'spool'), BENCH_AT_SMS_URL: `http://127.0.0.1:${fake.port}/version1/messaging`, ...tuning,
    };
    const config = loadConfig({ ...env, SERVICE_MODE: 'api', LOG_LEVEL: 'silent' });
    const api = await buildGateway({ config, logger: createLogger('silent'), redisUrl: redis.url, defaultMetrics: false, provider: notSending });
    let worker: ReturnType<typeof startWorker> | undefined;
    let rss: ReturnType<typeof rssSampler> | undefined;
    try {
      const phone = (i: number): string => `+2557${String(15_000_000 + i).padStart(8, '0')}`;
      options.log(`personal: registering ${recipients} delegates`);
      const at = new Date();
      for (let start = 0; start < recipients; start += 1000) {
        await Promise.all(Array.from({ length: Math.min(1000, recipients - start) }, (_, offset) => api.services.delegates.register(PACK, {
          phone: phone(start + offset), name: `Mjumbe ${start + offset}`, institution: 'eGA',
          institutionType: 'agency', cohort: '1', language: (start + offset) % 4 === 0 ? 'en' : 'sw', channel: 'import',
        }, at)));
      }
      // 1. Queued: N personalised messages queued as the fan-out queues them, then sent by the worker
      // (the send path alone, whatever the fan-out's own speed).
      options.log(`personal: queueing ${recipients} personalised messages`);
      for (let start = 0; start < recipients; start += 100) {
        await Promise.all(Array.from({ length: Math.min(100, recipients - start) }, (_, offset) => api.services.messaging.outbound.enqueue({
          to: phone(start + offset), text: `Habari Mjumbe ${start + offset}, mkutano unaanza saa 3 asubuhi.`, purpose: 'broadcast', idempotencyKey: `bench|${prefix}|${start + offset}`, packId: PACK,
        })));
      }
      worker = startWorker(env, preload);
      rss = rssSampler(worker.child.pid ?? -1);
      await worker.ready(90_000);
      options.log(`personal: sending them (rate ${rate}/s, provider latency ${latencyMs} ms)`);
      const q0 = performance.now();
      const cpu0 = { worker: cpuMs(worker.child.pid ?? -1), redis: cpuMs(redis.pid) };
      const deadline = (): number => Date.now() + Math.max(120_000, (recipients / Math.max(1, rate)) * 20_000);
      const queuedBy = deadline();
      while ((await fake.calls()) < recipients) {
        if (worker.child.exitCode !== null) throw new Error(`worker exited while sending:\n${worker.output()}`);
        if (Date.now() > queuedBy) throw new Error(`timed out sending the queued messages (${await fake.calls()} calls)`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const queuedMs = performance.now() - q0;
      const cpuPerRecipient = (used: number): number => Number(((used) / recipients).toFixed(3));
      const queuedCpu = { workerMsPerRecipient: cpuPerRecipient(cpuMs(worker.child.pid ?? -1) - cpu0.worker), redisMsPerRecipient: cpuPerRecipient(cpuMs(redis.pid) - cpu0.redis) };
      const queued = await fake.stats();
      const queuedRssPeak = rss.peak();
      await fake.reset();
      await new Promise((resolve) => setTimeout(resolve, 500));

      // 2. The broadcast: the same N through the broadcast's fan-out, which runs in the same worker.
      options.log('personal: a personalised broadcast to all of them');
      const t0 = performance.now();
      const { broadcast } = await api.broadcasts.create({ audience: { all: true }, messages: { sw: 'Habari {name}, mkutano unaanza saa 3 asubuhi.', en: 'Hello {name}, the conference starts at 9 am.' }, urgent: true }, `bench-${prefix}`);
      const broadcastBy = deadline();
      let status = await api.broadcasts.get(broadcast.id);
      while (!(status && status.progress === 1 && status.counts.queued === 0 && status.counts.sending === 0)) {
        if (worker.child.exitCode !== null) throw new Error(`worker exited while sending:\n${worker.output()}`);
        if (Date.now() > broadcastBy) throw new Error(`timed out sending; last counts ${JSON.stringify(status?.counts)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = await api.broadcasts.get(broadcast.id);
      }
      const sendMs = performance.now() - t0;
      const stats = await fake.stats();
      const workerRssPeak = rss.peak();
      rss.stop();
      options.log(`personal: wrapper overhead, ${overheadCalls} calls each way`);
      const overhead = await wrapperOverhead(fake.port, overheadCalls);
      const share = bulkShare(rate);
      const figures = (times: number[], ms: number) => {
        const atProvider = steadyRate(times);
        const endToEnd = Math.round((recipients / ms) * 1000);
        const busiest = busiestWindow(times.map((t) => ({ t, n: 1 })));
        const first = Math.min(...times);
        // The same after the first 1.5 s: new connections (their set-up delays the first calls' arrival) left out.
        const warm = busiestWindow(times.filter((t) => t >= first + 1500).map((t) => ({ t, n: 1 })));
        const perSecond: number[] = [];
        for (const t of times) { const second = Math.floor((t - first) / 1000); perSecond[second] = (perSecond[second] ?? 0) + 1; }
        return {
          recipientsPerSecond: { atProvider, endToEnd, busiestSecond: busiest, busiestSecondWarm: warm, eachSecond: Array.from(perSecond, (n) => n ?? 0) },
          ratios: { atProviderToRate: ratio(atProvider, rate), atProviderToBulkShare: ratio(atProvider, share), endToEndToRate: ratio(endToEnd, rate), busiestSecondToBulkShare: ratio(busiest, share), busiestSecondWarmToBulkShare: ratio(warm, share) },
        };
      };
      const queuedFigures = figures(queued.times, queuedMs);
      return {
        setup: `${recipients} delegates; one worker process (${gatewayArgs().runtime}) with SMS_RATE_PER_SECOND=${rate} (bulk share ${share}/s)${Object.entries(tuning).map(([k, v]) => `, ${k}=${v}`).join('')}; fake AT on loopback (node:http keep-alive, own process) answering after ${latencyMs} ms; redis-server without AOF. queued: ${recipients} one-recipient broadcast messages, each its own text, queued before the worker starts (the send path alone); broadcast: the same recipients through a personalised broadcast ({name}), fanned out by the same worker while it sends`,
        recipients, rate, bulkShare: share, latencyMs,
        queued: {
          sendMs: Math.round(queuedMs), providerCalls: queued.calls, ...queuedFigures,
          provider: { maxCallsInFlight: queued.maxInFlight, maxOpenSockets: queued.maxOpenSockets, socketsOpened: queued.socketsOpened, maxLoopLagMs: queued.maxLoopLagMs },
          workerRssPeakBytes: queuedRssPeak, cpu: queuedCpu,
        },
        broadcast: {
          counts: status.counts, sendMs: Math.round(sendMs), providerCalls: stats.calls, ...figures(stats.times, sendMs),
          provider: { maxCallsInFlight: stats.maxInFlight, maxOpenSockets: stats.maxOpenSockets, socketsOpened: stats.socketsOpened, maxLoopLagMs: stats.maxLoopLagMs },
        },
        workerRssBytes: { peak: workerRssPeak },
        wrapperOverhead: overhead,
        // A broadcast alone (no reply asking) may take the whole rate per window of a second plus the guard: its ceiling.
        aim: { queuedAtProviderToRate: '>= 0.8', bulkLaneCeilingToRate: ratio(rate / (PACE_WINDOW_MS / 1000), rate), met: queuedFigures.recipientsPerSecond.atProvider / rate >= 0.8 },
      };
    } finally {
      rss?.stop();
      if (worker) await stopChild(worker.child);
      await api.close();
      await redis.stop();
      await fake.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
