/**
 * Seeded random faults over a broadcast plus USSD and inbound SMS traffic, against the compiled
 * API process and two compiled workers on a private append-only redis-server. Each fault is drawn
 * from the seed: kill -9 of a worker or of the API (started again), a Redis crash and restart, a
 * Redis pause (SIGSTOP for 1-3 s), or a worker replaced by one whose AT first answers 5xx and then
 * too slowly (timeouts). After each fault the invariants so far are checked: every USSD answer
 * was CON or END in time, no phone got a second call after AT took the first, and every inbound
 * SMS answered 200 gets its one reply; at the end the whole ledger is checked as well.
 */
import { freePort } from '../../../../src/infra/redis/private-redis';
import { smsBody, ussdBody } from '../../../support/at-bodies';
import { buildDist } from '../../../support/dist-build';
import { checkBroadcast, readProviderLog, type LedgerFacts } from './invariants';
import { isDone, openScenario, waitFor } from './scenario';
import { random } from './scenarios';
import type { WorkerProcess } from './worker-process';
import { RELIABILITY_WEBHOOK_KEY } from './worker-process';

export type Fault = 'kill-worker' | 'kill-api' | 'redis-crash' | 'redis-pause' | 'provider-faults';
const FAULTS: Fault[] = ['kill-worker', 'kill-api', 'redis-crash', 'redis-pause', 'provider-faults'];

export interface ChaosResult {
  scenario: 'chaos';
  facts: LedgerFacts;
  uncertainBound: { value: number; reason: string };
  details: {
    seed: number;
    faults: Array<{ fault: Fault; atMs: number; violationsAfter: number }>;
    ussd: { hops: number; con: number; end: number; invalid: number; slowest: number; over2s: number; refused: number };
    inbound: { acknowledged: number; replied: number; repliedTwice: number; refusedOrDown: number };
    broadcastMs: number;
  };
  elapsedMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function chaosScenario(options: { recipients: number; seed?: number; faults?: number; log?: (message: string) => void }): Promise<ChaosResult> {
  const log = options.log ?? (() => undefined);
  const seed = options.seed ?? Date.now() % 1_000_000;
  const next = random(seed);
  const faultCount = options.faults ?? 5;
  const rate = 200;
  const started = Date.now();
  await buildDist();
  const scenario = await openScenario('chaos', { SMS_RATE_PER_SECOND: String(rate), FAKE_AT_LATENCY_MS: '100', AT_TIMEOUT_MS: '1000', FAKE_AT_SLOW_MS: '1500', SMS_PER_PHONE_HOURLY_CAP: '20' });
  const port = await freePort();
  let running = true;
  const violations: string[] = [];
  try {
    const startApi = (): WorkerProcess => scenario.worker({ SERVICE_MODE: 'api', PORT: String(port) }, { compiled: true });
    const startWorker = (extra: Record<string, string> = {}): WorkerProcess => scenario.worker(extra, { compiled: true });
    let api = startApi();
    const workers = [startWorker(), startWorker()];
    await Promise.all([api, ...workers].map((p) => p.ready()));
    const output = (): string => [api, ...workers].map((p) => `--- pid ${p.pid} running=${p.running}\n${p.output()}`).join('\n');

    const phones = await scenario.registerDelegates(options.recipients);
    const broadcast = await scenario.createBroadcast('chaos-1');
    log(`chaos seed ${seed}: broadcast ${broadcast.id} to ${broadcast.total}, ${faultCount} faults`);
    const broadcastStarted = Date.now();

    // USSD traffic: a first hop every 150 ms. A refused connection (the API being restarted) is
    // what AT sees of a dead host, counted apart; an answer must be CON/END within 2 s.
    const ussd = { hops: 0, con: 0, end: 0, invalid: 0, slowest: 0, over2s: 0, refused: 0 };
    const ussdLoop = (async () => {
      for (let n = 0; running; n += 1) {
        const sent = Date.now();
        try {
          const response = await fetch(`http://127.0.0.1:${port}/webhooks/africastalking/ussd?key=${RELIABILITY_WEBHOOK_KEY}`, {
            method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: ussdBody({ sessionId: `ATUid_chaos_${n}`, phoneNumber: `+2557547${String(n % 100000).padStart(5, '0')}`, text: '' }),
            signal: AbortSignal.timeout(10_000),
          });
          const text = await response.text();
          const took = Date.now() - sent;
          ussd.hops += 1;
          ussd.slowest = Math.max(ussd.slowest, took);
          if (took > 2000) ussd.over2s += 1;
          if (text.startsWith('CON ')) ussd.con += 1;
          else if (text.startsWith('END ')) ussd.end += 1;
          else { ussd.invalid += 1; violations.push(`USSD answer neither CON nor END: ${response.status} ${text.slice(0, 80)}`); }
        } catch {
          ussd.refused += 1;
        }
        await sleep(150);
      }
    })();

    // Inbound SMS: like AT, each message is posted again until it is answered 200.
    const acknowledged = new Set<string>();
    let refusedOrDown = 0;
    const inboundLoop = (async () => {
      for (let n = 0; running; n += 1) {
        const from = `+2557548${String(n).padStart(5, '0')}`;
        for (let attempt = 0; running; attempt += 1) {
          const status = await fetch(`http://127.0.0.1:${port}/webhooks/africastalking/sms?key=${RELIABILITY_WEBHOOK_KEY}`, {
            method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: smsBody({ from, text: 'RATIBA', id: `ATXid_chaos_${n}` }), signal: AbortSignal.timeout(10_000),
          }).then((r) => r.status, () => 0);
          if (status === 200) { acknowledged.add(from); break; }
          refusedOrDown += 1;
          await sleep(300);
        }
        await sleep(400);
      }
    })();

    const callsTo = (): Map<string, string[]> => {
      const map = new Map<string, string[]>();
      for (const call of readProviderLog(scenario.providerLog)) for (const phone of call.to) map.set(phone, [...(map.get(phone) ?? []), call.mode]);
      return map;
    };
    const checkSoFar = (): number => {
      let found = 0;
      for (const [phone, modes] of callsTo()) {
        if (modes.length > 1 && modes.slice(0, -1).some((mode) => mode === 'ok')) {
          found += 1;
          if (found <= 3) violations.push(`${phone} called again after AT took it: ${modes.join(' -> ')}`);
        }
      }
      return found;
    };

    const faults: ChaosResult['details']['faults'] = [];
    for (let f = 0; f < faultCount; f += 1) {
      await sleep(Math.round(1000 + next() * 2000));
      const fault = FAULTS[Math.floor(next() * FAULTS.length)] as Fault;
      const atMs = Date.now() - broadcastStarted;
      log(`fault ${f + 1}: ${fault} at ${atMs} ms`);
      if (fault === 'kill-worker' || fault === 'provider-faults') {
        const index = Math.floor(next() * workers.length);
        await workers[index]?.kill();
        workers[index] = startWorker(fault === 'provider-faults' ? { FAKE_AT_PHASES: 'http500:1000,status500:800,timeout:1500,ok' } : {});
        await workers[index]?.ready();
      } else if (fault === 'kill-api') {
        await api.kill();
        api = startApi();
        await api.ready();
      } else if (fault === 'redis-crash') {
        await scenario.restartRedis('crash', Math.round(300 + next() * 1200));
      } else {
        process.kill(scenario.redis.pid, 'SIGSTOP');
        await sleep(Math.round(1000 + next() * 2000));
        process.kill(scenario.redis.pid, 'SIGCONT');
      }
      faults.push({ fault, atMs, violationsAfter: checkSoFar() + violations.length });
    }

    await waitFor('the broadcast to finish after the faults', async () => (isDone(await scenario.status(broadcast.id)) ? true : undefined),
      Math.ceil((options.recipients / (rate * 0.5)) * 1000) + 120_000, async () => `${JSON.stringify((await scenario.status(broadcast.id).catch(() => undefined))?.counts)}\n${output()}`);
    const broadcastMs = Date.now() - broadcastStarted;
    running = false;
    await Promise.all([ussdLoop, inboundLoop]);
    await waitFor('one reply per acknowledged inbound SMS', async () => ([...acknowledged].every((phone) => callsTo().has(phone)) ? true : undefined), 60_000, output).catch((error: Error) => { violations.push(error.message.split('\n')[0] ?? ''); });
    await sleep(1500);
    const calls = callsTo();
    const replied = [...acknowledged].filter((phone) => calls.has(phone)).length;
    const repliedTwice = [...acknowledged].filter((phone) => (calls.get(phone)?.filter((mode) => mode === 'ok').length ?? 0) > 1).length;
    if (repliedTwice > 0) violations.push(`${repliedTwice} inbound SMS answered twice`);
    if (ussd.over2s > 0) violations.push(`${ussd.over2s} USSD answers over 2 s (slowest ${ussd.slowest} ms)`);
    // Uncertain: calls in flight at each fault (2 workers x bulk concurrency 2 x batch 100), and timeouts.
    const maxUncertain = faults.length * 2 * 2 * 100 + readProviderLog(scenario.providerLog).filter((c) => c.mode === 'timeout').reduce((n, c) => n + c.to.length, 0);
    const facts = await checkBroadcast(scenario, broadcast.id, phones, maxUncertain);
    facts.violations.push(...violations.slice(0, 20));
    await Promise.all([api, ...workers].map((p) => p.terminate().catch(() => undefined)));
    return {
      scenario: 'chaos',
      facts,
      uncertainBound: { value: maxUncertain, reason: 'faults x 2 workers x bulk concurrency 2 x batch 100, plus recipients of calls that timed out' },
      details: { seed, faults, ussd, inbound: { acknowledged: acknowledged.size, replied, repliedTwice, refusedOrDown }, broadcastMs },
      elapsedMs: Date.now() - started,
    };
  } finally {
    running = false;
    await scenario.close();
  }
}
