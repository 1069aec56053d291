/**
 * The admin-reads part: how long a caller's first USSD hop takes while viewers hammer the heavy
 * organiser reads (/stats and delegate search, each over every delegate), with 20,000 delegates.
 * One gateway process (API mode); first hops are sent one after another from this process, quiet
 * first, then while `--hammer` loops call /stats and /delegates?search= without pause.
 * `--gateway-root DIR` measures another build (its dist/src/main.js) on the same data.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createKeys } from '../../src/infra/redis/keys';
import { closeRedis, createRedis, waitForReady } from '../../src/infra/redis/client';
import { freePort, startPrivateRedis } from '../../src/infra/redis/private-redis';
import { createRedisDelegateStore } from '../../src/event/delegates.redis';
import { gatewayArgs, ROOT, startServer, waitUntil, type Server } from './processes';
import type { BenchOptions, BenchPart } from './types';

const VIEWER = `viewer-${randomBytes(12).toString('hex')}`;
const KEY = randomBytes(16).toString('hex');

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0) * 10) / 10;
}

function summary(latencies: number[]): { hops: number; p50: number; p95: number; p99: number; max: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { hops: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: Math.round((sorted.at(-1) ?? 0) * 10) / 10 };
}

/** Registers `count` delegates straight into the store, 200 at a time. */
async function seed(redisUrl: string, prefix: string, count: number): Promise<void> {
  const redis = createRedis({ url: redisUrl, commandTimeoutMs: 10_000, name: 'bench-seed' });
  const store = createRedisDelegateStore(redis, createKeys(prefix));
  try {
    await waitForReady(redis, 10_000);
    for (let start = 0; start < count; start += 200) {
      await Promise.all(Array.from({ length: Math.min(200, count - start) }, (_, i) => {
        const n = start + i;
        return store.register('egov2015', {
          phone: `+2557${String(40_000_000 + n).padStart(8, '0')}`, name: `Mjumbe ${n} Asha Juma`, institution: `Taasisi ${n % 300}`,
          institutionType: 'mda', cohort: n % 2 ? '1' : '2', language: 'sw', channel: 'import',
        }, new Date(Date.UTC(2015, 7, 10) + n * 1000));
      }));
    }
  } finally {
    await closeRedis(redis);
  }
}

/** First hops one after another for `seconds`; the latency of each, in ms (a failure counts as 15 s). */
async function firstHops(url: string, seconds: number, label: string): Promise<number[]> {
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < until) {
    const body = `sessionId=ATUid_${label}_${n}&serviceCode=*384*2015%23&phoneNumber=%2B2557${String(50_000_000 + n).padStart(8, '0')}&networkCode=64004&text=`;
    const started = performance.now();
    try {
      const answer = await fetch(`${url}/webhooks/africastalking/ussd?key=${KEY}`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' }, signal: AbortSignal.timeout(15_000) });
      const text = await answer.text();
      latencies.push(text.startsWith('CON') ? performance.now() - started : 15_000);
    } catch {
      latencies.push(15_000);
    }
    n += 1;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return latencies;
}

/** `loops` callers asking for /stats and a search, each without pause, until `stop` is set. */
function hammer(url: string, loops: number, stop: { done: boolean }): Promise<number> {
  let requests = 0;
  const loop = async (i: number): Promise<void> => {
    let k = 0;
    while (!stop.done) {
      const target = (k + i) % 2 === 0 ? '/api/v1/stats' : `/api/v1/delegates?search=${encodeURIComponent(`Mjumbe ${(k * 37 + i) % 20_000}`)}&limit=20`;
      k += 1;
      try {
        const answer = await fetch(`${url}${target}`, { headers: { authorization: `Bearer ${VIEWER}` }, signal: AbortSignal.timeout(30_000) });
        await answer.arrayBuffer();
        requests += 1;
      } catch {
        // a timeout still counts as pressure; go on
      }
    }
  };
  return Promise.all(Array.from({ length: loops }, (_, i) => loop(i))).then(() => requests);
}

export const adminReadsPart: BenchPart = {
  name: 'admin-reads',
  description: 'first-hop USSD latency with 20,000 delegates, quiet and while /stats and delegate search are hammered',
  async run(options: BenchOptions) {
    const delegates = Number(options.flags.delegates ?? 20_000);
    const loops = Number(options.flags.hammer ?? 8);
    const redis = await startPrivateRedis({ appendOnly: false, label: 'bench-admin-reads' });
    const prefix = `bench-reads-${randomBytes(3).toString('hex')}`;
    let server: Server | undefined;
    try {
      options.log(`seeding ${delegates} delegates`);
      await seed(redis.url, prefix, delegates);
      const port = await freePort();
      const root = options.flags['gateway-root'];
      const { args, runtime } = root ? { args: [path.join(path.resolve(root), 'dist/src/main.js')], runtime: 'dist' as const } : gatewayArgs();
      server = startServer('gateway', `http://127.0.0.1:${port}`, args, {
        PORT: String(port), HOST: '127.0.0.1', REDIS_URL: redis.url, REDIS_PREFIX: prefix, SERVICE_MODE: 'api', SMS_PROVIDER: 'outbox', NODE_ENV: 'development',
        WEBHOOK_KEY: KEY, ADMIN_TOKENS: `viewer:${VIEWER}`, LOG_LEVEL: 'warn', FLOWS_DIR: path.join(root ? path.resolve(root) : ROOT, 'flows'), SHUTDOWN_GRACE_MS: '3000',
      });
      const url = server.url;
      if (!(await waitUntil(async () => (await fetch(`${url}/healthz`).catch(() => null))?.ok === true, 30_000))) throw new Error(`gateway did not start: ${server.output()}`);
      await firstHops(url, options.warmupS, 'warm');
      options.log('quiet first hops');
      const quiet = summary(await firstHops(url, options.durationS, 'quiet'));
      options.log(`first hops while ${loops} callers hammer /stats and search`);
      const stop = { done: false };
      const hammering = hammer(url, loops, stop);
      const busy = summary(await firstHops(url, options.durationS, 'busy'));
      stop.done = true;
      const adminRequests = await hammering;
      return { runtime, gatewayRoot: root ?? ROOT, delegates, hammerLoops: loops, quietMs: quiet, hammeredMs: busy, adminRequestsAnswered: adminRequests, adminRequestsPerSecond: Math.round(adminRequests / options.durationS) };
    } finally {
      await server?.stop();
      await redis.stop();
    }
  },
};
