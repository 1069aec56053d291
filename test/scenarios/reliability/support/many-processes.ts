/**
 * Several compiled API processes and several compiled worker processes on one Redis (AT answered
 * by nock inside each worker): a broadcast shared by every worker under one global send rate;
 * inbound SMS posted to two different API processes each (AT retrying elsewhere) answered once;
 * one phone's messages spread over every API held to the per-phone cap; reminder subscriptions
 * through different APIs, then a session move that every worker could fire, one notice each.
 * Shared by the jest test (small) and `npm run reliability -- --only many`.
 */
import { freePort } from '../../../../src/infra/redis/private-redis';
import { smsBody } from '../../../support/at-bodies';
import { buildDist } from '../../../support/dist-build';
import { busiestWindow, checkBroadcast, readProviderLog, type LedgerFacts } from './invariants';
import { isDone, openScenario, PACK, waitFor, moveSampleToTomorrow } from './scenario';
import { RELIABILITY_WEBHOOK_KEY, type WorkerProcess } from './worker-process';

export interface ManyResult {
  scenario: 'many';
  facts: LedgerFacts;
  uncertainBound: { value: number; reason: string };
  details: {
    apis: number;
    workers: number;
    rate: number;
    batch: number;
    busiestSecond: number;
    busiestSecondCeiling: number;
    workersThatSent: number;
    inboundPosts: number;
    inboundMessages: number;
    repliesPerMessage: Record<string, number>;
    capPhone: { sent: number; cap: number; replies: number };
    reminderSubscribers: number;
    noticesPerSubscriber: Record<string, number>;
    broadcastMs: number;
  };
  elapsedMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function tally(values: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const value of values) out[String(value)] = (out[String(value)] ?? 0) + 1;
  return out;
}

export async function manyProcesses(options: { recipients: number; apis?: number; workers?: number; rate?: number; inbound?: number; subscribers?: number; log?: (message: string) => void }): Promise<ManyResult> {
  const log = options.log ?? (() => undefined);
  const apis = options.apis ?? 3;
  const workerCount = options.workers ?? 3;
  const rate = options.rate ?? 100;
  const inbound = options.inbound ?? 30;
  const subscribers = options.subscribers ?? 20;
  const cap = 3;
  const batch = 10;
  const started = Date.now();
  await buildDist();
  const env = { SMS_RATE_PER_SECOND: String(rate), SMS_BATCH_SIZE: String(batch), SMS_PER_PHONE_HOURLY_CAP: String(cap) };
  const scenario = await openScenario('many', env);
  const processes: WorkerProcess[] = [];
  try {
    const ports = await Promise.all(Array.from({ length: apis }, () => freePort()));
    for (const port of ports) processes.push(scenario.worker({ SERVICE_MODE: 'api', PORT: String(port) }, { compiled: true }));
    const workers = Array.from({ length: workerCount }, () => scenario.worker({}, { compiled: true }));
    processes.push(...workers);
    await Promise.all(processes.map((p) => p.ready()));
    // Reminders are refused for a session that has begun: the sample event moves to tomorrow now,
    // and every process has dropped its cached agenda long before the subscriptions below.
    const moved = await moveSampleToTomorrow(scenario);
    const output = (): string => processes.map((p) => `--- pid ${p.pid}\n${p.output()}`).join('\n');
    const sms = async (api: number, from: string, text: string, id: string): Promise<void> => {
      const response = await fetch(`http://127.0.0.1:${ports[api % apis]}/webhooks/africastalking/sms?key=${RELIABILITY_WEBHOOK_KEY}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: smsBody({ from, text, id }) });
      if (response.status !== 200) throw new Error(`SMS webhook answered ${response.status}: ${await response.text()}`);
    };
    const callsTo = (phone: string): number => readProviderLog(scenario.providerLog).filter((call) => call.to.includes(phone)).length;

    // A broadcast every worker takes part in, under one global rate.
    const phones = await scenario.registerDelegates(options.recipients);
    const broadcast = await scenario.createBroadcast('many-1');
    log(`broadcast ${broadcast.id} to ${broadcast.total} with ${workerCount} workers at ${rate}/s`);
    const broadcastStarted = Date.now();
    await waitFor('the broadcast to finish', async () => (isDone(await scenario.status(broadcast.id)) ? true : undefined),
      Math.ceil((options.recipients / (rate * 0.5)) * 1000) + 60_000, async () => `${JSON.stringify((await scenario.status(broadcast.id)).counts)}\n${output()}`);
    const broadcastMs = Date.now() - broadcastStarted;
    const facts = await checkBroadcast(scenario, broadcast.id, phones, 0);
    const broadcastCalls = readProviderLog(scenario.providerLog);
    const workersThatSent = new Set(broadcastCalls.map((call) => call.pid)).size;
    // Every sliding second at AT (stamped by the fake AT on arrival) within the rate, however
    // many workers share it: a call leaves within the limiter's guard (25 ms) of its slot. With no
    // reply asking, the broadcast may use the whole rate. The fake AT stamps a call only after the
    // SDK has built it, so a process the OS pauses for longer than the guard in between (a worker,
    // or the fake AT itself, bunching arrivals) can let the calls then in flight (2 per worker, one
    // batch each) land in the next second: the ceiling allows those.
    const busiestSecondCeiling = rate + workerCount * 2 * batch;
    const busiestSecond = busiestWindow(broadcastCalls);
    if (busiestSecond > busiestSecondCeiling) facts.violations.push(`busiest second ${busiestSecond} > ${busiestSecondCeiling}`);

    // Inbound SMS, each posted to two different API processes (AT retrying elsewhere).
    const inboundPhones = Array.from({ length: inbound }, (_, i) => `+2557543${String(i).padStart(5, '0')}`);
    await Promise.all(inboundPhones.flatMap((phone, i) => [sms(i, phone, 'RATIBA', `ATXid_many_${i}`), sms(i + 1, phone, 'RATIBA', `ATXid_many_${i}`)]));
    // One phone's own messages spread over every API: the per-phone cap is shared.
    const capPhone = '+255754399999';
    const capSent = cap + 3;
    await Promise.all(Array.from({ length: capSent }, (_, i) => sms(i, capPhone, 'RATIBA', `ATXid_many_cap_${i}`)));
    // Reminder subscriptions through different APIs.
    const subscriberPhones = Array.from({ length: subscribers }, (_, i) => `+2557544${String(i).padStart(5, '0')}`);
    await moved.seenEverywhere();
    await Promise.all(subscriberPhones.map((phone, i) => sms(i, phone, 'KUMBUSHA S101', `ATXid_many_sub_${i}`)));
    await waitFor('one reply per inbound message', async () => ([...inboundPhones, ...subscriberPhones].every((p) => callsTo(p) >= 1) ? true : undefined), 60_000, output);
    await waitFor('every subscription stored', async () => {
      const lists = await Promise.all(subscriberPhones.map((p) => scenario.api.services.reminders.listForPhone(PACK, p)));
      return lists.every((list) => list.includes('S101')) ? true : undefined;
    }, 20_000, output);
    const before = await scenario.api.services.agenda.get(PACK);
    const after = structuredClone(before);
    const session = after.sessions.find((s) => s.code === 'S101');
    if (!session) throw new Error('S101 missing from the sample agenda');
    session.room = 'Simba Hall';
    await scenario.api.services.agenda.put(PACK, after);
    await scenario.api.services.scheduler.onAgendaChanged(PACK, before, after);
    await waitFor('one change notice per subscriber', async () => (subscriberPhones.every((p) => callsTo(p) >= 2) ? true : undefined), 60_000, output);
    // Time for any second reply or notice to show up.
    await sleep(2000);

    const repliesPerMessage = tally(inboundPhones.map(callsTo));
    const noticesPerSubscriber = tally(subscriberPhones.map((p) => callsTo(p) - 1));
    const capReplies = callsTo(capPhone);
    if (Object.keys(repliesPerMessage).join() !== '1') facts.violations.push(`replies per inbound SMS: ${JSON.stringify(repliesPerMessage)}`);
    if (Object.keys(noticesPerSubscriber).join() !== '1') facts.violations.push(`notices per subscriber: ${JSON.stringify(noticesPerSubscriber)}`);
    // The cap's replies plus the one "cap reached" notice the phone is told once.
    if (capReplies > cap + 1) facts.violations.push(`per-phone cap ${cap} exceeded: ${capReplies} replies (cap + 1 notice allowed)`);
    if (workersThatSent < Math.min(workerCount, 2)) facts.violations.push(`only ${workersThatSent} worker(s) sent the broadcast`);
    await Promise.all(processes.map((p) => p.terminate().catch(() => undefined)));
    return {
      scenario: 'many',
      facts,
      uncertainBound: { value: 0, reason: 'no faults' },
      details: {
        apis, workers: workerCount, rate, batch, busiestSecond, busiestSecondCeiling, workersThatSent,
        inboundPosts: inbound * 2, inboundMessages: inbound, repliesPerMessage,
        capPhone: { sent: capSent, cap, replies: capReplies }, reminderSubscribers: subscribers, noticesPerSubscriber, broadcastMs,
      },
      elapsedMs: Date.now() - started,
    };
  } finally {
    await scenario.close();
  }
}
