/**
 * The gateway on a 3-master Redis Cluster of `redis-server` processes on loopback: the compiled
 * API process and two compiled worker processes (`dist/`, Africa's Talking answered by nock inside
 * each) against `redis-cluster://`. Over HTTP it registers a caller by USSD, answers two SMS
 * keywords (MSAADA, KUMBUSHA S101) and sends the change notice of a moved session, after a
 * broadcast to `recipients` during which one worker was killed with SIGKILL and replaced. Checks: nobody
 * lost, a second provider call only for `uncertain` recipients, each keyword reply and notice
 * exactly once, and no CROSSSLOT error on any node (Redis's own error statistics).
 * Shared by the jest test (1,000 recipients) and `npm run reliability -- --only cluster` (10,000).
 */
import { freePort } from '../../../../src/infra/redis/private-redis';
import { smsBody, ussdBody } from '../../../support/at-bodies';
import { buildDist } from '../../../support/dist-build';
import { checkBroadcast, readProviderLog, type LedgerFacts } from './invariants';
import { startRedisCluster } from './redis-cluster';
import { isDone, openScenario, PACK, waitFor, moveSampleToTomorrow } from './scenario';
import { random } from './scenarios';
import { RELIABILITY_WEBHOOK_KEY } from './worker-process';

export interface ClusterResult {
  scenario: 'cluster';
  facts: LedgerFacts;
  uncertainBound: { value: number; reason: string };
  details: {
    masters: number;
    seed: number;
    rate: number;
    killedAfterFirstCallMs: number;
    ussdRegistration: string;
    keywordReplies: Record<string, number>;
    changeNotices: number;
    crossSlotErrors: number;
    errorStats: string[];
    broadcastMs: number;
  };
  elapsedMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function clusterScenario(options: { recipients: number; seed?: number; rate?: number; log?: (message: string) => void }): Promise<ClusterResult> {
  const log = options.log ?? (() => undefined);
  const seed = options.seed ?? Date.now() % 1_000_000;
  const rate = options.rate ?? 400;
  const started = Date.now();
  await buildDist();
  const cluster = await startRedisCluster({ label: 'gw', masters: 3 });
  log(`cluster: ${cluster.url}`);
  const port = await freePort();
  const env = { SMS_RATE_PER_SECOND: String(rate), FAKE_AT_LATENCY_MS: '150', SMS_PER_PHONE_HOURLY_CAP: '20' };
  const scenario = await openScenario('cluster', env, { redisUrl: cluster.url });
  try {
    const api = scenario.worker({ SERVICE_MODE: 'api', PORT: String(port) }, { compiled: true });
    const workers = [scenario.worker({}, { compiled: true }), scenario.worker({}, { compiled: true })];
    await Promise.all([api, ...workers].map((p) => p.ready()));
    // Reminders are refused for a session that has begun: the sample event moves to tomorrow now,
    // and every process has dropped its cached agenda long before the keywords below.
    const agendaMoved = await moveSampleToTomorrow(scenario);
    const output = (): string => [api, ...workers].map((p) => `--- pid ${p.pid}\n${p.output()}`).join('\n');
    const base = `http://127.0.0.1:${port}/webhooks/africastalking`;
    const post = async (route: string, body: string): Promise<{ status: number; text: string }> => {
      const response = await fetch(`${base}/${route}?key=${RELIABILITY_WEBHOOK_KEY}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      return { status: response.status, text: await response.text() };
    };
    const callsTo = (phone: string): number => readProviderLog(scenario.providerLog).filter((call) => call.to.includes(phone)).length;

    // The broadcast, with one worker killed mid-way and replaced.
    const phones = await scenario.registerDelegates(options.recipients);
    const broadcast = await scenario.createBroadcast('cluster-1');
    log(`broadcast ${broadcast.id} to ${broadcast.total}`);
    const broadcastStarted = Date.now();
    const first = workers[0];
    if (!first) throw new Error('no worker');
    await waitFor('the first broadcast call of worker 1', async () => (readProviderLog(scenario.providerLog).some((c) => c.pid === first.pid && c.to.length > 1) ? true : undefined), 90_000, output);
    const killedAfterFirstCallMs = Math.round(200 + random(seed)() * 600);
    await sleep(killedAfterFirstCallMs);
    await first.kill();
    const replacement = scenario.worker({}, { compiled: true });
    workers.push(replacement);
    await waitFor('the broadcast to finish', async () => (isDone(await scenario.status(broadcast.id)) ? true : undefined),
      Math.ceil((options.recipients / (rate * 0.5)) * 1000) + 90_000, async () => `${JSON.stringify((await scenario.status(broadcast.id)).counts)}\n${output()}`);
    const broadcastMs = Date.now() - broadcastStarted;
    const maxUncertain = 2 * 100;
    const facts = await checkBroadcast(scenario, broadcast.id, phones, maxUncertain);

    // Then, on the same processes (one of them the replacement): USSD registration, hop by hop.
    const caller = '+255754200001';
    const inputs: string[] = [];
    let screen = '';
    for (const input of [undefined, '1', 'Neema Cluster', 'Wizara ya Fedha', '1', '1', '1']) {
      if (input !== undefined) inputs.push(input);
      const answer = await post('ussd', ussdBody({ sessionId: 'ATUid_cluster_registration', phoneNumber: caller, text: inputs.join('*') }));
      if (answer.status !== 200 || !/^(CON|END) /.test(answer.text)) throw new Error(`USSD hop answered ${answer.status}: ${answer.text}\n${output()}`);
      screen = answer.text;
    }
    if (!/umesajiliwa/.test(screen)) throw new Error(`registration did not finish: ${screen}`);

    // SMS keywords: help, and a reminder subscription.
    const helpPhone = '+255754200002';
    const remindPhone = '+255754200003';
    await agendaMoved.seenEverywhere();
    for (const [n, from, text] of [[1, helpPhone, 'MSAADA'], [2, remindPhone, 'KUMBUSHA S101']] as const) {
      const answer = await post('sms', smsBody({ from, text, id: `ATXid_cluster_${n}` }));
      if (answer.status !== 200) throw new Error(`SMS webhook answered ${answer.status}: ${answer.text}`);
    }
    await waitFor('the confirmation and the keyword replies', async () => ([caller, helpPhone, remindPhone].every((p) => callsTo(p) >= 1) ? true : undefined), 30_000, output);
    await waitFor('the reminder subscription', async () => ((await scenario.api.services.reminders.listForPhone(PACK, remindPhone)).includes('S101') ? true : undefined), 10_000, output);

    // The session moves: the subscriber gets one change notice from a worker.
    const before = await scenario.api.services.agenda.get(PACK);
    const after = structuredClone(before);
    const moved = after.sessions.find((s) => s.code === 'S101');
    if (!moved) throw new Error('S101 missing from the sample agenda');
    moved.room = 'Simba Hall';
    await scenario.api.services.agenda.put(PACK, after);
    await scenario.api.services.scheduler.onAgendaChanged(PACK, before, after);
    await waitFor('the change notice', async () => (callsTo(remindPhone) >= 2 ? true : undefined), 30_000, output);

    // Nothing more arrives late (a second reply or notice would show up here).
    await sleep(1500);
    const keywordReplies = { registration: callsTo(caller), help: callsTo(helpPhone), remind: callsTo(remindPhone) - 1 };
    const changeNotices = callsTo(remindPhone) - 1;
    const errorStats = (await Promise.all(cluster.nodes.map((n) => cluster.cli(['info', 'errorstats'], n.port)))).flatMap((info) => info.split('\n').filter((line) => line.startsWith('errorstat_')).map((line) => line.trim()));
    const crossSlotErrors = errorStats.filter((line) => line.startsWith('errorstat_CROSSSLOT')).reduce((sum, line) => sum + Number(/count=(\d+)/.exec(line)?.[1] ?? 0), 0);
    if (crossSlotErrors > 0) facts.violations.push(`${crossSlotErrors} CROSSSLOT errors on the cluster`);
    if (/CROSSSLOT/.test(output())) facts.violations.push('a process logged CROSSSLOT');
    for (const [what, count] of Object.entries({ registration: keywordReplies.registration, help: keywordReplies.help, 'remind reply': keywordReplies.remind, 'change notice': 1 })) {
      if (count !== 1) facts.violations.push(`${what}: ${count} provider calls, expected 1`);
    }
    if (changeNotices + 1 !== callsTo(remindPhone)) facts.violations.push('change notice count');
    await Promise.all([...workers, api].map((p) => p.terminate().catch(() => undefined)));
    return {
      scenario: 'cluster',
      facts,
      uncertainBound: { value: maxUncertain, reason: 'one kill x bulk concurrency 2 x batch 100' },
      details: { masters: cluster.nodes.length, seed, rate, killedAfterFirstCallMs, ussdRegistration: screen.split('\n')[0] ?? '', keywordReplies, changeNotices, crossSlotErrors, errorStats, broadcastMs },
      elapsedMs: Date.now() - started,
    };
  } finally {
    await scenario.close();
    await cluster.stop();
  }
}
