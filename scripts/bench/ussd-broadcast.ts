/**
 * The USSD-during-a-broadcast part: the gateway started as `npm start` starts it (the compiled
 * `dist/src/main.js` when fresh, no SERVICE_MODE, DEMO_DATES=auto) on a private redis-server, with
 * Africa's Talking answered by nock inside it (`--provider outbox`: the local outbox), so nothing
 * leaves the machine. USSD register sessions are played at a fixed rate of hops (`--hop-rate`,
 * over `--connections`) first with nothing else to do (`--idle` seconds, after the warm-up), then
 * while a broadcast to `--recipients` delegates (100,000 by default) is created through the admin
 * API, fanned out and sent, the run ending when every recipient is sent. Reports p50/p99 idle and
 * during, the ratio, and the broadcast's own times. `--gateway-env K=V,K=V` adds variables to the
 * gateway (to compare process layouts in one run of the machine's load).
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildGateway, type Gateway } from '../../src/compose/gateway';
import { loadConfig } from '../../src/config/load';
import { freePort, startPrivateRedis } from '../../src/infra/redis/private-redis';
import { createLogger } from '../../src/kernel/logger';
import type { LoadJob } from './load-generator';
import { gatewayArgs, postForm, ROOT, startServer, waitUntil, type Server } from './processes';
import { notSending } from './sms';
import type { BenchOptions, BenchPart, LoadFigures } from './types';
import { registerScreens } from './ussd';
import { hopBody } from './ussd-scenario';

const PACK = 'egov2015';
const ROUTE = '/webhooks/africastalking/ussd';
const FAKE_AT = path.join(ROOT, 'test/support/fake-at.cjs');
/** The load runs this long before the broadcast is created, so the whole broadcast is under load. */
const LEAD_MS = 2000;

/** `K=V,K=V` as an environment. */
export function parseGatewayEnv(flag: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of (flag ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, value] = pair.split(/=(.*)/s);
    if (!name || value === undefined) throw new Error(`--gateway-env: expected NAME=value, got "${pair}"`);
    env[name] = value;
  }
  return env;
}

interface Load {
  /** Sends the job: the forked generator is loaded by then, so the load starts at once. */
  start(job: LoadJob): void;
  /** Ends the run early; its figures still come. */
  stop(): void;
  /** Kills the generator (one never started waits for its job forever). */
  kill(): void;
  figures: Promise<LoadFigures>;
}

/** A load generator forked ahead of its start, so one window follows another with no gap. */
function prepareLoad(): Load {
  const child = fork(path.join(__dirname, 'load-generator.ts'), [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const figures = new Promise<LoadFigures>((resolve, reject) => {
    let settled = false;
    child.once('message', (message: { ok: true; figures: LoadFigures } | { ok: false; error: string }) => {
      settled = true;
      if (message.ok) resolve(message.figures);
      else reject(new Error(`load generator: ${message.error}`));
    });
    child.once('exit', (code) => { if (!settled) reject(new Error(`load generator exited with code ${String(code)} before reporting`)); });
    child.once('error', reject);
  });
  return { start: (job) => child.send(job), stop: () => { if (child.connected) child.send('stop'); }, kill: () => { if (child.exitCode === null) child.kill('SIGKILL'); }, figures };
}

async function registerDelegates(api: Gateway, count: number): Promise<void> {
  const at = new Date();
  for (let start = 0; start < count; start += 1000) {
    await Promise.all(Array.from({ length: Math.min(1000, count - start) }, (_, offset) => api.services.delegates.register(PACK, {
      phone: `+2557${String(15_000_000 + start + offset).padStart(8, '0')}`, name: `Mjumbe ${start + offset}`, institution: 'eGA',
      institutionType: 'agency', cohort: '1', language: (start + offset) % 4 === 0 ? 'en' : 'sw', channel: 'import',
    }, at)));
  }
}

const latency = (f: LoadFigures) => ({ p50: f.latencyMs.p50, p90: f.latencyMs.p90, p99: f.latencyMs.p99, max: f.latencyMs.max, requests: f.requests, requestsPerSecond: f.requestsPerSecond, errors: f.errors, timeouts: f.timeouts, non2xx: f.non2xx, wrongScreens: f.wrongScreens });

export const ussdBroadcastPart: BenchPart = {
  name: 'ussd-broadcast',
  description: 'USSD hop latency at a fixed rate, idle and then during a 100,000-recipient broadcast (--recipients N), on the gateway started as npm start starts it',
  async run(options: BenchOptions) {
    const recipients = Number(options.flags.recipients ?? 100_000);
    if (!Number.isInteger(recipients) || recipients < 10) throw new Error('--recipients must be a whole number >= 10');
    const hopRate = Number(options.flags['hop-rate'] ?? 200);
    const idleS = Number(options.flags.idle ?? options.durationS);
    const provider = options.flags.provider ?? 'at';
    if (provider !== 'at' && provider !== 'outbox') throw new Error('--provider must be at or outbox');
    const smsRate = options.flags['sms-rate'] ?? '10000';
    const extraEnv = parseGatewayEnv(options.flags['gateway-env']);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiungo-bench-ussd-bc-'));
    const providerLog = path.join(dir, 'provider.jsonl');
    writeFileSync(providerLog, '');
    const redis = await startPrivateRedis({ appendOnly: false, label: 'bench-ussd-broadcast' });
    const prefix = `bench-ub-${randomBytes(3).toString('hex')}`;
    const webhookKey = randomBytes(12).toString('hex');
    const adminToken = randomBytes(18).toString('base64url');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env: Record<string, string> = {
      NODE_ENV: 'development', DEMO_DATES: 'auto', PORT: String(port), HOST: '127.0.0.1', REDIS_URL: redis.url, REDIS_PREFIX: prefix,
      FLOWS_DIR: path.join(ROOT, 'flows'), WEBHOOK_KEY: webhookKey, ADMIN_TOKENS: `admin:${adminToken}`, LOG_LEVEL: 'warn',
      QUIET_HOURS: 'off', DIGEST_TIME: 'off', SMS_RATE_PER_SECOND: smsRate, SMS_BATCH_SIZE: '100', SHUTDOWN_GRACE_MS: '10000',
      SPOOL_DIR: path.join(dir, 'spool'), FAKE_AT_LOG: providerLog,
      ...(provider === 'at' ? { SMS_PROVIDER: 'africastalking', AT_USERNAME: 'kiungo-bench', AT_API_KEY: 'bench-key' } : { SMS_PROVIDER: 'outbox' }),
      ...extraEnv,
    };
    // The bench's own view of the data: registers the delegates and reads progress, never sends.
    const api = await buildGateway({ config: loadConfig({ ...env, SERVICE_MODE: 'api', LOG_LEVEL: 'silent', REDIS_COMMAND_TIMEOUT_MS: '20000' }), logger: createLogger('silent'), redisUrl: redis.url, defaultMetrics: false, provider: notSending });
    const { args, runtime } = gatewayArgs();
    let gateway: Server | undefined;
    let during: Load | undefined;
    let sending: Load | undefined;
    try {
      options.log(`ussd-broadcast: registering ${recipients} delegates`);
      await registerDelegates(api, recipients);
      gateway = startServer('gateway', `${base}${ROUTE}?key=${webhookKey}`, ['--require', FAKE_AT, ...args], env);
      const server = gateway;
      const probe = hopBody(`bench-probe-${process.pid}`, '+255754199999', 0, 0);
      if (!(await waitUntil(async () => (await postForm(server.url, probe))?.text.startsWith('CON ') ?? false, 60_000))) throw new Error(`the gateway did not answer within 60 s:\n${server.output()}`);
      const expected = registerScreens(path.join(ROOT, 'flows'));
      let phoneOffset = 0;
      const job = (tag: string, durationS: number): LoadJob => ({ url: server.url, connections: Math.min(options.connections, hopRate), durationS, phonePool: 100_000, phoneOffset, sessionPrefix: `bench-ub-${tag}-${Date.now()}`, expected, overallRate: hopRate });
      const play = async (tag: string, seconds: number): Promise<LoadFigures> => {
        const load = prepareLoad();
        load.start(job(tag, seconds));
        const figures = await load.figures;
        phoneOffset += figures.sessions + options.connections;
        return figures;
      };
      if (options.warmupS > 0) {
        options.log(`ussd-broadcast: warm-up ${options.warmupS} s`);
        await play('warmup', options.warmupS);
      }
      options.log(`ussd-broadcast: idle ${idleS} s at ${hopRate} hops/s`);
      const idle = await play('idle', idleS);
      options.log(`ussd-broadcast: broadcast to ${recipients} under the same load`);
      // Two windows back to back: while the API creates the broadcast, then while it is sent.
      const creating = prepareLoad();
      during = creating;
      sending = prepareLoad();
      creating.start(job('create', 3600));
      phoneOffset += 50_000;
      await new Promise((resolve) => setTimeout(resolve, LEAD_MS));
      const t0 = performance.now();
      const response = await fetch(`${base}/api/v1/broadcasts?pack=${PACK}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', 'idempotency-key': `bench-${prefix}` },
        body: JSON.stringify({ audience: { all: true }, messages: { sw: 'Mkutano unaanza saa 3 asubuhi.', en: 'The conference starts at 9 am.' }, urgent: true }),
      });
      const created = performance.now();
      sending.start(job('send', 3600));
      creating.stop();
      const whileCreating = await creating.figures;
      during = sending;
      const body = (await response.json()) as { id?: string };
      if (response.status !== 201 || !body.id) throw new Error(`creating the broadcast answered ${response.status}: ${JSON.stringify(body)}`);
      const id = body.id;
      const sent = await waitUntil(async () => {
        const status = await api.broadcasts.get(id);
        return Boolean(status && status.progress === 1 && status.counts.queued === 0 && status.counts.sending === 0);
      }, 1_800_000);
      const finished = performance.now();
      sending.stop();
      const whileSending = await sending.figures;
      during = undefined;
      sending = undefined;
      if (!sent) throw new Error('the broadcast was not all sent within 30 minutes');
      const status = await api.broadcasts.get(id);
      const toIdle = (ms: number): number => Number((ms / Math.max(idle.latencyMs.p99, 1)).toFixed(2));
      return {
        setup: `gateway as npm start runs it (${runtime}, no SERVICE_MODE${Object.keys(extraEnv).length > 0 ? `, ${JSON.stringify(extraEnv)}` : ''}), SMS via ${provider === 'at' ? 'the Africa\'s Talking adapter answered by nock in-process' : 'the local outbox'}, SMS_RATE_PER_SECOND=${smsRate}; USSD register sessions at ${hopRate} hops/s over ${job('x', 1).connections} connections; hops measured in two windows back to back: from ${LEAD_MS / 1000} s before the create request until it is answered (the API resolves and writes the audience), then until every recipient is sent`,
        recipients,
        hopRate,
        gatewayEnv: extraEnv,
        loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
        idle: latency(idle),
        duringCreate: latency(whileCreating),
        duringSend: latency(whileSending),
        ratios: {
          // The larger of the two windows' p99: no more than 1% of all the hops during the broadcast were slower.
          p99DuringToIdle: toIdle(Math.max(whileCreating.latencyMs.p99, whileSending.latencyMs.p99)),
          p99CreateToIdle: toIdle(whileCreating.latencyMs.p99),
          p99SendToIdle: toIdle(whileSending.latencyMs.p99),
          p50SendToIdle: Number((whileSending.latencyMs.p50 / Math.max(idle.latencyMs.p50, 1)).toFixed(2)),
        },
        broadcast: { createMs: Math.round(created - t0), totalMs: Math.round(finished - t0), counts: status?.counts ?? null },
        aim: { p99DuringToIdle: '<= 2', met: toIdle(Math.max(whileCreating.latencyMs.p99, whileSending.latencyMs.p99)) <= 2 && [whileCreating, whileSending].every((f) => f.errors === 0 && f.wrongScreens === 0) },
      };
    } finally {
      for (const load of [during, sending]) {
        load?.stop();
        if (load) await Promise.race([load.figures.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 3000))]);
        load?.kill();
      }
      await gateway?.stop(15_000);
      await api.close();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
