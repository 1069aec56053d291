/**
 * The pacing part: several send workers (three modules of two workers each by default, as three
 * processes would be) on one private Redis, sending a broadcast and a stream of confirmations at
 * SMS_RATE_PER_SECOND = R (`--rate`, default 100) to a loopback fake provider (node:http) that
 * stamps every call as it arrives. After `--seconds` (default 65) the stamps give the busiest
 * sliding 1-s window / R (the promise: at most 1) and each whole minute's average / R (the aim:
 * at least 0.95; the guard the limiter keeps on top of a second costs about 2.5 %). Demand is
 * more than R all along: a broadcast of R x seconds recipients and confirmations of half that.
 * The confirmations (the reply lane) go first; once they are done and the reply lane has been quiet
 * for `REPLY_QUIET_MS`, the broadcast alone may use the whole rate: `broadcastAlone` is its average
 * / R over that span (its ceiling: a second's worth per window of a second plus the guard, 0.974).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config/load';
import { createMetrics } from '../../src/kernel/metrics';
import { createKeys } from '../../src/infra/redis/keys';
import { createLogger } from '../../src/kernel/logger';
import { startPrivateRedis } from '../../src/infra/redis/private-redis';
import { openOutboundStores } from '../../src/compose/sms-outbound';
import { createMessaging, type Messaging, type StopWorkers } from '../../src/sms/outbound/outbound-module';
import { bulkShare, PACE_GUARD_MS, REPLY_QUIET_MS } from '../../src/sms/outbound/rate-limiter.redis';
import type { SendOutcome, SmsProvider } from '../../src/sms/outbound/sms-provider';
import { workerEnvironment } from '../../test/scenarios/reliability/support/worker-process';
import type { BenchOptions, BenchPart } from './types';
import { busiestWindow } from '../../test/support/busiest-window';

interface Stamp {
  t: number;
  n: number;
  bulk: boolean;
}

/** A loopback fake provider: accepts every recipient and stamps each call on arrival. */
async function startFakeProvider(): Promise<{ url: string; stamps: Stamp[]; close(): Promise<void> }> {
  const stamps: Stamp[] = [];
  const server = http.createServer((request, response) => {
    const t = Date.now();
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to: string[]; bulk: boolean };
      stamps.push({ t, n: body.to.length, bulk: body.bulk });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/send`, stamps, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

function httpProvider(url: string): SmsProvider {
  let calls = 0;
  return {
    name: 'loopback',
    async send(sms): Promise<SendOutcome> {
      calls += 1;
      const call = calls;
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: sms.to, bulk: sms.bulk ?? false }) });
      await response.arrayBuffer();
      if (!response.ok) return { kind: 'uncertain', reason: `fake provider answered ${response.status}` };
      return { kind: 'per_recipient', recipients: sms.to.map((number, n) => ({ number, result: 'accepted', providerMessageId: `P${process.pid}_${call}_${n}`, statusCode: 101 })) };
    },
  };
}

const ratio = (a: number, b: number): number => Number((a / b).toFixed(3));
const phones = (count: number, base: number): string[] => Array.from({ length: count }, (_, n) => `+255${base + n}`);

export const pacingPart: BenchPart = {
  name: 'pacing',
  description: 'pacing error at SMS_RATE_PER_SECOND=R (--rate, --seconds, --modules): the busiest sliding second at a loopback fake provider / R, and each minute\'s average / R',
  async run(options: BenchOptions) {
    const rate = Number(options.flags.rate ?? 100);
    const seconds = Number(options.flags.seconds ?? 65);
    const moduleCount = Number(options.flags.modules ?? 3);
    if (!Number.isInteger(rate) || rate < 2) throw new Error('--rate must be a whole number >= 2');
    if (!(seconds > 0)) throw new Error('--seconds must be > 0');
    if (!Number.isInteger(moduleCount) || moduleCount < 1) throw new Error('--modules must be a whole number >= 1');
    const redis = await startPrivateRedis({ appendOnly: false, label: 'bench-pacing' });
    const provider = await startFakeProvider();
    const prefix = `bench-pace-${randomBytes(3).toString('hex')}`;
    const env = workerEnvironment({
      redisUrl: redis.url, prefix, providerLog: path.join(os.tmpdir(), `${prefix}-unused.jsonl`),
      extra: { SMS_BATCH_SIZE: '100', SMS_RATE_PER_SECOND: String(rate), SMS_PER_PHONE_HOURLY_CAP: '1000', SMS_SWEEP_INTERVAL_MS: '60000', WORKER_LOCK_MS: '30000', REDIS_COMMAND_TIMEOUT_MS: '10000' },
    });
    const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
    const keys = createKeys(prefix);
    const modules: Messaging[] = [];
    const stops: StopWorkers[] = [];
    try {
      for (let n = 0; n < moduleCount; n += 1) {
        const stores = openOutboundStores({ redisUrl: redis.url, commandTimeoutMs: 10_000, keys, config: config.messaging, logger: createLogger('silent') });
        modules.push(createMessaging({
          config: config.messaging, stores, logger: createLogger('silent'), metrics: createMetrics({ defaultMetrics: false }),
          provider: httpProvider(provider.url), workers: { sweepIntervalMs: 60_000, bulkConcurrency: 2, priorityConcurrency: 2 },
        }));
      }
      const first = modules[0]!;
      await first.ready();
      const demand = Math.ceil(rate * seconds);
      options.log(`pacing: ${moduleCount} x 2 workers at ${rate}/s for ${seconds} s`);
      for (let offset = 0, part = 0; offset < demand; offset += 50_000, part += 1) {
        await first.outbound.enqueueMany({ idempotencyKey: `bench-pace-bulk-${part}`, text: 'Mkutano unaanza saa 3 asubuhi.', to: phones(Math.min(50_000, demand - offset), 712000000 + offset) });
      }
      await first.outbound.enqueueMany({ idempotencyKey: 'bench-pace-confirm', purpose: 'confirmation', text: 'Usajili wako umethibitishwa.', to: phones(Math.ceil(demand / 2), 760000000) });
      for (const messaging of modules) stops.push(await messaging.startWorkers());
      const started = Date.now();
      while (Date.now() - started < seconds * 1000 + 2000 && (provider.stamps.length === 0 || Date.now() - provider.stamps[0]!.t < seconds * 1000)) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const t0 = provider.stamps[0]?.t ?? started;
      const measured = provider.stamps.filter((stamp) => stamp.t < t0 + seconds * 1000);
      const sent = measured.reduce((sum, stamp) => sum + stamp.n, 0);
      const busiest = busiestWindow(measured);
      const busiestBulk = busiestWindow(measured.filter((stamp) => stamp.bulk));
      const minutes = Array.from({ length: Math.floor(seconds / 60) }, (_, minute) => {
        const inMinute = measured.filter((stamp) => stamp.t >= t0 + minute * 60_000 && stamp.t < t0 + (minute + 1) * 60_000).reduce((sum, stamp) => sum + stamp.n, 0);
        return { minute: minute + 1, sent: inMinute, averagePerSecond: Number((inMinute / 60).toFixed(1)), averageToRate: ratio(inMinute / 60, rate) };
      });
      // The broadcast alone: from the reply lane's last call plus its quiet time to the end of the measured span.
      const lastReply = measured.filter((stamp) => !stamp.bulk).reduce((last, stamp) => Math.max(last, stamp.t), t0);
      const aloneFrom = lastReply + REPLY_QUIET_MS + 100;
      const aloneMs = t0 + seconds * 1000 - aloneFrom;
      const aloneSent = measured.filter((stamp) => stamp.t >= aloneFrom).reduce((sum, stamp) => sum + stamp.n, 0);
      return {
        rate, bulkShare: bulkShare(rate), seconds, modules: moduleCount, workersPerLane: moduleCount * 2, guardMs: PACE_GUARD_MS,
        calls: measured.length, sent,
        busiestSecond: busiest, busiestSecondToRate: ratio(busiest, rate),
        busiestBulkSecond: busiestBulk, busiestBulkSecondToBulkShare: ratio(busiestBulk, bulkShare(rate)),
        averageToRate: ratio(sent / seconds, rate),
        broadcastAlone: aloneMs >= 1000 ? { seconds: Number((aloneMs / 1000).toFixed(1)), sent: aloneSent, averageToRate: ratio(aloneSent / (aloneMs / 1000), rate) } : null,
        minutes,
        aim: { busiestSecondToRate: '<= 1', minuteAverageToRate: '>= 0.95', met: busiest <= rate && minutes.every((minute) => minute.averageToRate >= 0.95) },
      };
    } finally {
      for (const stop of stops) await stop({ force: true }).catch(() => undefined);
      for (const messaging of modules) await messaging.close().catch(() => undefined);
      await provider.close();
      await redis.stop();
    }
  },
};
