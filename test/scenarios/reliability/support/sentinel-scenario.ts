/**
 * A Sentinel failover mid-broadcast against the compiled gateway: the API process and two worker
 * processes on `redis-sentinel://` (1 master, 1 replica, 3 sentinels); once the broadcast is
 * going, the master is killed with SIGKILL (or paused with SIGSTOP). USSD first hops go to the
 * API all along: every answer must be CON or END within 2 s. The figures: how long until a worker
 * calls AT again, the USSD answers during the fault, and the ledger invariants at the end.
 */
import Redis from 'ioredis';
import { freePort } from '../../../../src/infra/redis/private-redis';
import { ussdBody } from '../../../support/at-bodies';
import { buildDist } from '../../../support/dist-build';
import { checkBroadcast, readProviderLog, type LedgerFacts } from './invariants';
import { startRedisSentinel } from './redis-sentinel';
import { isDone, openScenario, waitFor } from './scenario';
import { RELIABILITY_WEBHOOK_KEY } from './worker-process';

export interface SentinelResult {
  scenario: 'sentinel';
  facts: LedgerFacts;
  uncertainBound: { value: number; reason: string };
  details: {
    how: 'kill' | 'pause';
    rate: number;
    failoverMs: number | null;
    resumeMs: number;
    ussd: { hops: number; con: number; end: number; busyEnd: number; other: number; slowest: number; over2s: number };
    masterBefore: string;
    masterAfter: string;
    broadcastMs: number;
  };
  elapsedMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The processes' command connections (named kiungo:app) on `address`, waiting up to 15 s for `expected`. */
async function appConnectionsOn(address: string, expected: number): Promise<number> {
  const [host, port] = address.split(':');
  const admin = new Redis({ host, port: Number(port), lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await admin.connect();
    let count = 0;
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await sleep(250)) {
      const list = String(await admin.client('LIST'));
      count = list.split('\n').filter((line) => / name=kiungo:app /.test(` ${line} `)).length;
      if (count >= expected) break;
    }
    return count;
  } finally {
    admin.disconnect();
  }
}

export async function sentinelScenario(options: { recipients: number; how?: 'kill' | 'pause'; rate?: number; log?: (message: string) => void }): Promise<SentinelResult> {
  const log = options.log ?? (() => undefined);
  const how = options.how ?? 'kill';
  const rate = options.rate ?? 200;
  const started = Date.now();
  await buildDist();
  const set = await startRedisSentinel({ label: 'gw' });
  const port = await freePort();
  const scenario = await openScenario('sentinel', { SMS_RATE_PER_SECOND: String(rate), FAKE_AT_LATENCY_MS: '100' }, { redisUrl: set.url });
  let ussdRunning = true;
  try {
    const api = scenario.worker({ SERVICE_MODE: 'api', PORT: String(port) }, { compiled: true });
    const workers = [scenario.worker({}, { compiled: true }), scenario.worker({}, { compiled: true })];
    await Promise.all([api, ...workers].map((p) => p.ready()));
    const output = (): string => [api, ...workers].map((p) => `--- pid ${p.pid}\n${p.output()}`).join('\n');

    const phones = await scenario.registerDelegates(options.recipients);
    const broadcast = await scenario.createBroadcast('sentinel-1');
    log(`broadcast ${broadcast.id} to ${broadcast.total}`);
    const broadcastStarted = Date.now();
    const threshold = Math.ceil(options.recipients / 5);
    const sentSoFar = (): number => readProviderLog(scenario.providerLog).reduce((n, call) => n + call.to.length, 0);
    await waitFor(`${threshold} recipients sent before the fault`, async () => (sentSoFar() >= threshold ? true : undefined), 90_000, output);

    // USSD traffic from now until the broadcast is done: a new session's first hop every 100 ms.
    const ussd = { hops: 0, con: 0, end: 0, busyEnd: 0, other: 0, slowest: 0, over2s: 0 };
    const ussdLoop = (async () => {
      for (let n = 0; ussdRunning; n += 1) {
        const sent = Date.now();
        let text = '';
        try {
          const response = await fetch(`http://127.0.0.1:${port}/webhooks/africastalking/ussd?key=${RELIABILITY_WEBHOOK_KEY}`, {
            method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: ussdBody({ sessionId: `ATUid_sentinel_${n}`, phoneNumber: `+2557546${String(n % 100000).padStart(5, '0')}`, text: '' }),
            signal: AbortSignal.timeout(10_000),
          });
          text = await response.text();
        } catch (error) {
          text = `error: ${error instanceof Error ? error.message : String(error)}`;
        }
        const took = Date.now() - sent;
        ussd.hops += 1;
        ussd.slowest = Math.max(ussd.slowest, took);
        if (took > 2000) ussd.over2s += 1;
        if (text.startsWith('CON ')) ussd.con += 1;
        else if (text.startsWith('END ')) { ussd.end += 1; if (!/Karibu|Welcome/.test(text)) ussd.busyEnd += 1; }
        else ussd.other += 1;
        await sleep(100);
      }
    })();

    const masterBefore = await set.currentMaster();
    const faultAt = Date.now();
    const loggedAtFault = readProviderLog(scenario.providerLog).length;
    if (how === 'kill') await set.master.kill();
    else process.kill(set.master.pid, 'SIGSTOP');
    log(`master ${masterBefore} ${how === 'kill' ? 'killed' : 'paused'}`);
    let failoverMs: number | null = null;
    void (async () => {
      while (failoverMs === null && ussdRunning) {
        if ((await set.currentMaster().catch(() => masterBefore)) !== masterBefore) failoverMs = Date.now() - faultAt;
        else await sleep(100);
      }
    })();
    const resumedAt = await waitFor('a worker calling AT again after the fault', async () => {
      const calls = readProviderLog(scenario.providerLog).slice(loggedAtFault).filter((call) => call.t > faultAt + 50);
      return calls[0]?.t;
    }, 60_000, output);
    const resumeMs = resumedAt - faultAt;
    log(`first provider call ${resumeMs} ms after the fault`);
    await waitFor('the broadcast to finish', async () => (isDone(await scenario.status(broadcast.id)) ? true : undefined),
      Math.ceil((options.recipients / (rate * 0.5)) * 1000) + 90_000, async () => `${JSON.stringify((await scenario.status(broadcast.id).catch(() => undefined))?.counts)}\n${output()}`);
    const broadcastMs = Date.now() - broadcastStarted;
    ussdRunning = false;
    await ussdLoop;
    const maxUncertain = 2 * 2 * 100;
    const facts = await checkBroadcast(scenario, broadcast.id, phones, maxUncertain);
    if (ussd.over2s > 0) facts.violations.push(`${ussd.over2s} USSD answers took over 2 s (slowest ${ussd.slowest} ms)`);
    if (ussd.other > 0) facts.violations.push(`${ussd.other} USSD answers were neither CON nor END`);
    if (resumeMs > 30_000) facts.violations.push(`workers resumed ${resumeMs} ms after the fault (> 30 s)`);
    const masterAfter = await set.currentMaster();
    // Every process must hold its command connection on the new master: one that ended during the
    // failover and never came back leaves a process that looks alive but fails every command.
    const appConnections = await appConnectionsOn(masterAfter, 1 + workers.length);
    if (appConnections < 1 + workers.length) facts.violations.push(`${appConnections} of ${1 + workers.length} processes have their command connection on the new master`);
    await Promise.all([api, ...workers].map((p) => p.terminate().catch(() => undefined)));
    if (how === 'pause') process.kill(set.master.pid, 'SIGCONT');
    return {
      scenario: 'sentinel',
      facts,
      uncertainBound: { value: maxUncertain, reason: 'one fault x 2 workers x bulk concurrency 2 x batch 100' },
      details: { how, rate, failoverMs, resumeMs, ussd, masterBefore, masterAfter, broadcastMs },
      elapsedMs: Date.now() - started,
    };
  } finally {
    ussdRunning = false;
    await scenario.close();
    await set.stop();
  }
}
