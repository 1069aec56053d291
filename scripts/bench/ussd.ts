/**
 * The USSD part: whole register sessions against the real gateway and three baselines (express 5,
 * plain node:http, and the npm package ussd-builder serving the same menu on node:http, each doing
 * one Redis GET + SET per request), one target at a time, each in
 * its own process, on one private redis-server. Reports throughput, latency, errors and wrong
 * screens per target, and the gateway's ratios to the baselines.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { loadPacks } from '../../src/packs/load';
import { freePort, startPrivateRedis } from '../../src/infra/redis/private-redis';
import { runLoad, type LoadJob } from './load-generator';
import { gatewayArgs, postForm, ROOT, runLoadInChild, startServer, tsxArgs, waitUntil, type Server } from './processes';
import type { BenchOptions, BenchPart, LoadFigures } from './types';
import { ANY_CON, hopBody, SERVICE_CODE, type ExpectedScreens } from './ussd-scenario';

const ROUTE = '/webhooks/africastalking/ussd';
const TARGETS = ['gateway', 'express', 'node-http', 'ussd-builder'] as const;
type Target = (typeof TARGETS)[number];

/** The aim set for the gateway: at 50 connections on 2 cores. */
export const USSD_AIM = { throughputVsExpress: 0.8, p99Ms: 30 } as const;

/** The start of the screens a new caller sees along the register path, from the pack's catalogue. */
export function registerScreens(flowsDir: string): ExpectedScreens {
  const pack = loadPacks(flowsDir).packs.find((p) => p.serviceCodes.includes(SERVICE_CODE));
  if (!pack) throw new Error(`no valid flow pack answers ${SERVICE_CODE} in ${flowsDir} (run npm run flows:check)`);
  const start = (key: string): string => `CON ${(pack.messages[pack.defaultLanguage][key] ?? '').split('{')[0] ?? ''}`;
  return [start('home.title'), start('reg.name'), start('reg.institution'), start('reg.type')];
}

function parseTargets(flag: string | undefined): Target[] {
  if (flag === undefined) return [...TARGETS];
  const wanted = flag.split(',').map((t) => t.trim());
  const unknown = wanted.filter((t) => !(TARGETS as readonly string[]).includes(t));
  if (unknown.length > 0) throw new Error(`unknown --targets ${unknown.join(',')}: use ${TARGETS.join(',')}`);
  return wanted as Target[];
}

async function startTarget(target: Target, redisUrl: string, webhookKey: string, profileDir: string | undefined): Promise<Server & { runtime: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}${ROUTE}`;
  if (target === 'gateway') {
    const { args, runtime } = gatewayArgs();
    const env = { PORT: String(port), HOST: '127.0.0.1', REDIS_URL: redisUrl, SERVICE_MODE: 'api', SMS_PROVIDER: 'outbox', LOG_LEVEL: 'warn', NODE_ENV: 'development', WEBHOOK_KEY: webhookKey, SHUTDOWN_GRACE_MS: '3000' };
    return { ...startServer(target, `${base}?key=${webhookKey}`, [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...args], env), runtime };
  }
  return { ...startServer(target, base, tsxArgs('scripts/bench/baseline-server.ts', [target, String(port), redisUrl])), runtime: 'tsx' };
}

/** Waits until the target answers a dial with a CON screen. */
async function ready(server: Server): Promise<void> {
  const probe = hopBody(`bench-probe-${server.pid}`, '+255754199999', 0, 0);
  const up = await waitUntil(async () => (await postForm(server.url, probe))?.text.startsWith('CON ') ?? false, 60_000);
  if (!up) throw new Error(`${server.name} did not answer ${ROUTE} within 60 s. Its output:\n${server.output()}`);
}

export interface UssdTargetReport extends LoadFigures {
  runtime: string;
  /** Redis commands executed per answered request during the round, by command (an EVALSHA and each command its script runs count apart). */
  redisCommandsPerHop: { total: number; byCommand: Record<string, number> };
  /** CPU time (user + system) per answered request during the round, in µs: the target's process and the redis-server's (null off Linux). */
  cpuUsPerHop: { target: number | null; redis: number | null };
}

/** User + system CPU time a process has used so far, in ms, from /proc (null where there is none). */
export function processCpuMs(pid: number): number | null {
  try {
    // The fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15, in ticks of 10 ms.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

const cpuUsPer = (before: number | null, after: number | null, requests: number): number | null =>
  before === null || after === null ? null : Math.round(((after - before) * 1000) / Math.max(1, requests));

/** Calls per command so far, from `INFO commandstats` (the monitoring commands themselves left out). */
export async function commandCalls(redis: Redis): Promise<Record<string, number>> {
  const calls: Record<string, number> = {};
  for (const match of (await redis.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    const [, name = '', count = '0'] = match;
    if (name !== 'info' && name !== 'client|setname' && name !== 'client' && name !== 'select') calls[name] = Number(count);
  }
  return calls;
}

/** Commands per request between two {@link commandCalls} readings. */
export function perRequest(before: Record<string, number>, after: Record<string, number>, requests: number): UssdTargetReport['redisCommandsPerHop'] {
  const byCommand: Record<string, number> = {};
  let total = 0;
  for (const [name, count] of Object.entries(after)) {
    const delta = count - (before[name] ?? 0);
    if (delta <= 0) continue;
    total += delta;
    byCommand[name] = Number((delta / Math.max(1, requests)).toFixed(2));
  }
  return { total: Number((total / Math.max(1, requests)).toFixed(2)), byCommand };
}

/**
 * The round with the median throughput (with its own latencies), every round's throughput, and
 * errors and wrong screens summed over all rounds (none may hide in a round not shown).
 */
function medianRound(list: UssdTargetReport[]): UssdTargetReport & { roundsRequestsPerSecond: number[] } {
  const sorted = [...list].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] as UssdTargetReport;
  const sum = (pick: (r: UssdTargetReport) => number): number => list.reduce((total, r) => total + pick(r), 0);
  return {
    ...median,
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    non2xx: sum((r) => r.non2xx),
    wrongScreens: sum((r) => r.wrongScreens),
    wrongScreensByHop: median.wrongScreensByHop.map((_, hop) => sum((r) => r.wrongScreensByHop[hop] ?? 0)),
    wrongSamples: list.flatMap((r) => r.wrongSamples).slice(0, 3),
    roundsRequestsPerSecond: list.map((r) => r.requestsPerSecond),
  };
}

const ratio = (a: number | undefined, b: number | undefined): number | null => (a !== undefined && b !== undefined && b > 0 ? Number((a / b).toFixed(3)) : null);

export const ussdPart: BenchPart = {
  name: 'ussd',
  description: 'USSD register sessions (4 hops) against the gateway, an express 5 baseline, the node:http + ioredis floor and ussd-builder serving the same menu',
  async run(options: BenchOptions) {
    const targets = parseTargets(options.flags.targets);
    const phonePool = Number(options.flags.phones ?? 10_000);
    const flowsDir = path.resolve(ROOT, process.env.FLOWS_DIR ?? 'flows');
    const gatewayScreens = targets.includes('gateway') || targets.includes('ussd-builder') ? registerScreens(flowsDir) : ANY_CON;
    const webhookKey = randomBytes(12).toString('hex');
    const redis = await startPrivateRedis({ appendOnly: false, label: 'bench' });
    const reports: Partial<Record<Target, UssdTargetReport & { roundsRequestsPerSecond?: number[] }>> = {};
    const roundCount = Number(options.flags.rounds ?? 1);
    // --profile <dir>: the gateway writes a V8 CPU profile there when it stops (open it in Chrome DevTools).
    const profileDir = options.flags.profile === undefined ? undefined : path.resolve(options.flags.profile);
    const expectedFor = (target: Target): ExpectedScreens => (target === 'gateway' || target === 'ussd-builder' ? gatewayScreens : ANY_CON);
    // Phones used per target so far: a phone is not dialled twice by one target while the pool lasts
    // (a second dial within the resume window would rightly get the resume prompt).
    const phonesUsed: Partial<Record<string, number>> = {};
    // --load in-process: the load runs in this process, not a child of its own per round (smoke
    // tests: no process to start per round; a measurement keeps the child, off this process's loop).
    const loadInProcess = options.flags.load === 'in-process';
    // Reads the private redis's command counters around each round: one target runs at a time.
    const monitor = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    const play = async (server: Server, seconds: number, expected: ExpectedScreens, tag: string): Promise<LoadFigures & Pick<UssdTargetReport, 'redisCommandsPerHop' | 'cpuUsPerHop'>> => {
      const phoneOffset = phonesUsed[server.name] ?? 0;
      const job: LoadJob = { url: server.url, connections: options.connections, durationS: seconds, phonePool, phoneOffset, sessionPrefix: `bench-${server.name}-${tag}-${Date.now()}`, expected };
      const before = await commandCalls(monitor);
      const cpuBefore = { target: processCpuMs(server.pid), redis: processCpuMs(redis.pid) };
      const figures = await (loadInProcess ? runLoad(job) : runLoadInChild(job));
      const cpuUsPerHop = { target: cpuUsPer(cpuBefore.target, processCpuMs(server.pid), figures.requests), redis: cpuUsPer(cpuBefore.redis, processCpuMs(redis.pid), figures.requests) };
      const redisCommandsPerHop = perRequest(before, await commandCalls(monitor), figures.requests);
      phonesUsed[server.name] = phoneOffset + figures.sessions + options.connections;
      return { ...figures, redisCommandsPerHop, cpuUsPerHop };
    };
    const servers: Array<Server & { runtime: string; target: Target }> = [];
    const rounds: Partial<Record<Target, UssdTargetReport[]>> = {};
    try {
      // The targets start side by side (each is its own process) and are played one at a time.
      const starting = targets.map(async (target) => {
        options.log(`ussd: starting ${target}`);
        const server = { ...(await startTarget(target, redis.url, webhookKey, profileDir)), target };
        servers.push(server);
        await ready(server);
        return server;
      });
      const started = await Promise.allSettled(starting);
      const failed = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (failed) throw failed.reason;
      // Rounds keep the order the targets were asked in.
      servers.sort((a, b) => targets.indexOf(a.target) - targets.indexOf(b.target));
      for (const server of servers.filter(() => options.warmupS > 0)) {
        options.log(`ussd: ${server.target} warm-up ${options.warmupS} s`);
        await play(server, options.warmupS, expectedFor(server.target), 'warmup');
      }
      // Rounds alternate the targets, so a busy moment of the machine does not fall on one alone.
      for (let round = 1; round <= roundCount; round++)
        for (const server of servers) {
          options.log(`ussd: ${server.target} ${options.durationS} s at ${options.connections} connections (round ${round}/${roundCount})`);
          (rounds[server.target] ??= []).push({ runtime: server.runtime, ...(await play(server, options.durationS, expectedFor(server.target), `run${round}`)) });
        }
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
      monitor.disconnect();
      await redis.stop();
    }
    for (const [target, list] of Object.entries(rounds) as Array<[Target, UssdTargetReport[]]>) reports[target] = medianRound(list);
    const gateway = reports.gateway;
    return {
      scenario: `register sessions: 4 hops each (dial, 1, 1*name, 1*name*institution), a new session id and phone (pool of ${phonePool}) per session; form bodies as Africa's Talking posts them`,
      connections: options.connections,
      durationS: options.durationS,
      rounds: roundCount,
      warmupS: options.warmupS,
      gatewayPhonePoolWrapped: (phonesUsed.gateway ?? 0) > phonePool,
      expectedScreens: gatewayScreens,
      targets: reports,
      ratios: {
        throughputGatewayToExpress: ratio(gateway?.requestsPerSecond, reports.express?.requestsPerSecond),
        throughputGatewayToNodeHttp: ratio(gateway?.requestsPerSecond, reports['node-http']?.requestsPerSecond),
        throughputGatewayToUssdBuilder: ratio(gateway?.requestsPerSecond, reports['ussd-builder']?.requestsPerSecond),
        p99GatewayToNodeHttp: ratio(gateway?.latencyMs.p99, reports['node-http']?.latencyMs.p99),
        p99GatewayToUssdBuilder: ratio(gateway?.latencyMs.p99, reports['ussd-builder']?.latencyMs.p99),
        cpuPerHopGatewayToNodeHttp: ratio(gateway?.cpuUsPerHop.target ?? undefined, reports['node-http']?.cpuUsPerHop.target ?? undefined),
        p99GatewayMs: gateway?.latencyMs.p99 ?? null,
        p99ExpressMs: reports.express?.latencyMs.p99 ?? null,
        p99NodeHttpMs: reports['node-http']?.latencyMs.p99 ?? null,
        p99UssdBuilderMs: reports['ussd-builder']?.latencyMs.p99 ?? null,
      },
      ...(profileDir ? { gatewayCpuProfileDir: profileDir } : {}),
      aim: gateway && reports.express
        ? {
          ...USSD_AIM,
          met: (ratio(gateway.requestsPerSecond, reports.express.requestsPerSecond) ?? 0) >= USSD_AIM.throughputVsExpress && gateway.latencyMs.p99 < USSD_AIM.p99Ms && gateway.wrongScreens === 0 && gateway.errors === 0,
        }
        : { ...USSD_AIM, met: null },
    };
  },
};
