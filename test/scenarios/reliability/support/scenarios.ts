/**
 * The four reliability scenarios, shared by the jest tests (2,000 recipients) and
 * `npm run reliability` (10,000 by default). Each returns the ledger facts (with violations) and
 * what it did, and cleans up after itself.
 */
import { checkBroadcast, readProviderLog, type LedgerFacts } from './invariants';
import { isDone, openScenario, waitFor, type Scenario } from './scenario';
import type { WorkerProcess } from './worker-process';

export interface ScenarioOptions {
  recipients: number;
  /** Seed of the random kill points (printed, so a failure can be replayed). */
  seed?: number;
  log?: (message: string) => void;
}

export interface ScenarioResult {
  scenario: string;
  facts: LedgerFacts;
  /** The bound `uncertain` was checked against, and how it is made up. */
  uncertainBound: { value: number; reason: string };
  details: Record<string, unknown>;
  elapsedMs: number;
}

const BATCH = 100;
const BULK_CONCURRENCY = 2;

/** A small deterministic PRNG (mulberry32), so kill points can be replayed from the seed. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function recipientsLogged(scenario: Scenario, pid?: number): number {
  return readProviderLog(scenario.providerLog).filter((call) => pid === undefined || call.pid === pid).reduce((n, call) => n + call.to.length, 0);
}

/** Generous bound on a whole broadcast at `rate` on a busy machine, plus worker start-ups. */
function budgetMs(recipients: number, rate: number, startUps: number): number {
  return Math.ceil((recipients / (rate * 0.8)) * 1000 * 4) + startUps * 30_000 + 30_000;
}

async function untilDone(scenario: Scenario, id: string, worker: WorkerProcess, timeoutMs: number): Promise<void> {
  await waitFor('the broadcast to finish', async () => (isDone(await scenario.status(id)) ? true : undefined), timeoutMs,
    async () => `status: ${JSON.stringify((await scenario.status(id).catch(() => undefined))?.counts)}\nworker ${worker.pid} running=${worker.running}, output:\n${worker.output()}`);
}

async function run(label: string, env: Record<string, string>, options: ScenarioOptions, body: (scenario: Scenario, id: string, phones: string[]) => Promise<Omit<ScenarioResult, 'scenario' | 'facts' | 'elapsedMs'> & { maxUncertain: number }>): Promise<ScenarioResult> {
  const log = options.log ?? (() => undefined);
  const scenario = await openScenario(label, env);
  try {
    const phones = await scenario.registerDelegates(options.recipients);
    const broadcast = await scenario.createBroadcast(`${label}-1`);
    log(`${label}: broadcast ${broadcast.id} to ${broadcast.total}`);
    const started = Date.now();
    const outcome = await body(scenario, broadcast.id, phones);
    const elapsedMs = Date.now() - started;
    const facts = await checkBroadcast(scenario, broadcast.id, phones, outcome.maxUncertain);
    log(`${label}: ${JSON.stringify(facts.counts)} in ${elapsedMs} ms, ${facts.violations.length} violation(s)`);
    return { scenario: label, facts, uncertainBound: outcome.uncertainBound, details: outcome.details, elapsedMs };
  } finally {
    await scenario.close();
  }
}

/** kill -9 of the worker `kills` times, each 200-800 ms after the new worker's first provider call. */
/** `maxInFlight`: the workers' SMS_MAX_IN_FLIGHT (absent: the scenarios' 2 bulk jobs at a time). */
export function workerKills(options: ScenarioOptions & { kills?: number; rate?: number; maxInFlight?: number }): Promise<ScenarioResult> {
  const kills = options.kills ?? 3;
  const rate = options.rate ?? 400;
  const seed = options.seed ?? Date.now() % 1_000_000;
  const next = random(seed);
  const inFlight = options.maxInFlight ?? BULK_CONCURRENCY;
  const env: Record<string, string> = { SMS_RATE_PER_SECOND: String(rate), FAKE_AT_LATENCY_MS: '250', ...(options.maxInFlight ? { SMS_MAX_IN_FLIGHT: String(options.maxInFlight) } : {}) };
  return run('kill', env, options, async (scenario, id) => {
    const done: Array<{ pid: number; killedAfterFirstCallMs: number; recipientsLoggedBefore: number }> = [];
    for (let k = 0; k < kills; k++) {
      const worker = scenario.worker();
      const active = await waitFor(`worker ${k + 1} to call the provider`, async () => {
        if (recipientsLogged(scenario, worker.pid) > 0) return 'sending';
        return isDone(await scenario.status(id)) ? 'finished' : undefined;
      }, 90_000, () => worker.output());
      if (active === 'finished') {
        await worker.terminate();
        break;
      }
      const delay = Math.round(200 + next() * 600);
      await sleep(delay);
      await worker.kill();
      done.push({ pid: worker.pid, killedAfterFirstCallMs: delay, recipientsLoggedBefore: recipientsLogged(scenario) });
    }
    const last = scenario.worker();
    await untilDone(scenario, id, last, budgetMs(options.recipients, rate, kills + 1));
    const exit = await last.terminate();
    const maxUncertain = done.length * inFlight * BATCH;
    return {
      maxUncertain,
      uncertainBound: { value: maxUncertain, reason: `${done.length} kills x bulk jobs in flight ${inFlight} x batch ${BATCH} (sends in flight at a kill)` },
      details: { seed, rate, kills: done, finalWorkerExit: exit },
    };
  });
}

/** The redis-server (append-only) crashes (SIGKILL) or stops (SIGTERM) mid-broadcast and comes back. */
export function redisRestart(options: ScenarioOptions & { how?: 'crash' | 'stop'; rate?: number }): Promise<ScenarioResult> {
  const rate = options.rate ?? 400;
  const how = options.how ?? 'crash';
  return run(`redis-${how}`, { SMS_RATE_PER_SECOND: String(rate) }, options, async (scenario, id) => {
    const worker = scenario.worker();
    const threshold = Math.ceil(options.recipients / 5);
    await waitFor(`${threshold} recipients sent before the restart`, async () => (recipientsLogged(scenario) >= threshold ? true : undefined), 90_000, () => worker.output());
    const sentBefore = recipientsLogged(scenario);
    await scenario.restartRedis(how, 1000);
    await untilDone(scenario, id, worker, budgetMs(options.recipients, rate, 1));
    const survived = worker.running;
    const exit = await worker.terminate();
    const maxUncertain = BULK_CONCURRENCY * BATCH;
    return {
      maxUncertain,
      uncertainBound: { value: maxUncertain, reason: `one outage x bulk concurrency ${BULK_CONCURRENCY} x batch ${BATCH}` },
      details: { rate, how, recipientsLoggedBeforeRestart: sentBefore, workerSurvived: survived, workerExit: exit },
    };
  });
}

/** SIGTERM mid-broadcast: a clean exit within the grace time, nothing in flight, the rest sent after a restart. */
export function sigterm(options: ScenarioOptions & { rate?: number; graceMs?: number }): Promise<ScenarioResult> {
  const rate = options.rate ?? 400;
  const graceMs = options.graceMs ?? 8000;
  return run('sigterm', { SMS_RATE_PER_SECOND: String(rate), SHUTDOWN_GRACE_MS: String(graceMs), FAKE_AT_LATENCY_MS: '30' }, options, async (scenario, id) => {
    const first = scenario.worker();
    const threshold = Math.ceil(options.recipients / 5);
    await waitFor(`${threshold} recipients sent before SIGTERM`, async () => (recipientsLogged(scenario) >= threshold ? true : undefined), 90_000, () => first.output());
    const exit = await first.terminate(graceMs + 10_000);
    const atStop = await scenario.status(id);
    const second = scenario.worker();
    await untilDone(scenario, id, second, budgetMs(options.recipients, rate, 1));
    await second.terminate();
    return {
      maxUncertain: 0,
      uncertainBound: { value: 0, reason: 'a clean stop finishes every call it started' },
      details: { rate, graceMs, exit, countsAtStop: atStop.counts, recipientsLoggedAtStop: recipientsLogged(scenario, first.pid) },
    };
  });
}

/**
 * AT answers HTTP 500, then statusCode 500 per recipient, then too slowly (past AT_TIMEOUT_MS),
 * then recovers. Details carry the busiest second and the recipients of calls that timed out.
 */
export function providerFailure(options: ScenarioOptions & { rate?: number }): Promise<ScenarioResult> {
  const rate = options.rate ?? 500;
  const batch = 20;
  const env = { SMS_RATE_PER_SECOND: String(rate), SMS_BATCH_SIZE: String(batch), AT_TIMEOUT_MS: '1000', FAKE_AT_SLOW_MS: '1500', FAKE_AT_PHASES: 'http500:2000,status500:1500,timeout:1500,ok' };
  return run('provider-failure', env, options, async (scenario, id) => {
    const worker = scenario.worker();
    await untilDone(scenario, id, worker, budgetMs(options.recipients, rate, 1) + 20_000);
    await worker.terminate();
    const calls = readProviderLog(scenario.providerLog);
    const timedOut = calls.filter((call) => call.mode === 'timeout').reduce((n, call) => n + call.to.length, 0);
    const byMode: Record<string, number> = {};
    for (const call of calls) byMode[call.mode] = (byMode[call.mode] ?? 0) + call.to.length;
    const bulkShare = rate - Math.max(1, Math.floor(rate / 5));
    return {
      maxUncertain: timedOut,
      uncertainBound: { value: timedOut, reason: 'recipients of calls that timed out at AT' },
      details: {
        rate, bulkShare, batch, recipientsByMode: byMode, timedOutRecipients: timedOut,
        // A call reserved in one second can reach AT in the next: at most the calls in flight at
        // that instant (bulk concurrency x batch) come on top of the rate (no reply asks here, so
        // the broadcast may use all of it).
        busiestSecondCeiling: rate + BULK_CONCURRENCY * batch,
      },
    };
  });
}

/**
 * One batch interrupted twice: AT holds every call (so a kill always lands mid-call) and the rate
 * splits each batch into several calls. The worker is killed during the batch's first call, and
 * again during its next call after the job was taken up again; a third worker finds AT healthy.
 */
export function batchKilledTwice(options: ScenarioOptions): Promise<ScenarioResult> {
  const rate = 50; // bulk share 40: a batch of 100 goes out in calls of 40
  const hanging = { FAKE_AT_LATENCY_MS: '600000', AT_TIMEOUT_MS: '120000' };
  return run('kill-twice', { SMS_RATE_PER_SECOND: String(rate) }, options, async (scenario, id) => {
    const kills: Array<{ pid: number; callsBefore: number }> = [];
    for (let k = 0; k < 2; k++) {
      const worker = scenario.worker(hanging);
      const before = readProviderLog(scenario.providerLog).length;
      await waitFor(`worker ${k + 1} to call the provider`, async () => (readProviderLog(scenario.providerLog).length > before ? true : undefined), 90_000, () => worker.output());
      await sleep(100);
      await worker.kill();
      kills.push({ pid: worker.pid, callsBefore: before });
    }
    const last = scenario.worker();
    await untilDone(scenario, id, last, 90_000);
    await last.terminate();
    const inFlight = readProviderLog(scenario.providerLog).filter((call) => kills.some((kill) => kill.pid === call.pid)).reduce((n, call) => n + call.to.length, 0);
    return {
      maxUncertain: inFlight,
      uncertainBound: { value: inFlight, reason: 'recipients of the calls AT was holding when the workers were killed' },
      details: { rate, kills, inFlightAtKills: inFlight },
    };
  });
}
