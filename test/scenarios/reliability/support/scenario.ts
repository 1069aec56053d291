/**
 * One reliability scenario's world: a private append-only redis-server (restartable on the same
 * port and directory), the gateway built in this process in api-only use (its workers never start)
 * to register delegates and create the broadcast, and a provider log the worker's fake AT writes.
 * Worker processes run the compiled build (dist/, what `npm start` runs; built once per run of the
 * sources) unless asked for the TypeScript sources: a compiled process starts in a fraction of the
 * time tsx takes to load the sources, and these scenarios start many.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildGateway, type Gateway } from '../../../../src/compose/gateway';
import { createBroadcastStore } from '../../../../src/broadcasts/broadcasts.redis';
import { loadConfig } from '../../../../src/config/load';
import { createLogger } from '../../../../src/kernel/logger';
import { startPrivateRedis, type PrivateRedis } from '../../../../src/infra/redis/private-redis';
import type { BroadcastStatus } from '../../../../src/broadcasts/broadcast-types';
import type { SmsProvider } from '../../../../src/sms/outbound/sms-provider';
import { ROOT, workerEnvironment, WorkerProcess } from './worker-process';
import { buildDist } from '../../../support/dist-build';
import { shiftEventTo } from '../../../../src/event/demo-dates';

export const PACK = 'egov2015';

/** The api side never sends: a provider call from this process is a bug in the test. */
const refusingProvider: SmsProvider = {
  name: 'api-side',
  send: () => Promise.reject(new Error('the api-side gateway of a reliability test must not send')),
};

export function phoneOf(index: number): string {
  return `+2557${String(15_000_000 + index).padStart(8, '0')}`;
}

export interface Scenario {
  redis: PrivateRedis;
  api: Gateway;
  prefix: string;
  providerLog: string;
  /** The URL every process of the scenario uses. */
  redisUrl: string;
  /** Starts a worker process with the scenario's Redis, prefix and log, plus `extra` variables (from dist/ unless `compiled: false`). */
  worker(extra?: Record<string, string>, options?: { compiled?: boolean }): WorkerProcess;
  /** SIGKILL (`crash`) or SIGTERM the redis-server, then start it again on the same port and directory. */
  restartRedis(how: 'crash' | 'stop', downMs?: number): Promise<void>;
  registerDelegates(count: number): Promise<string[]>;
  createBroadcast(key: string): Promise<BroadcastStatus>;
  status(id: string): Promise<BroadcastStatus>;
  groups(id: string): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * `external`: a Redis the test started itself (a Cluster, a Sentinel set): used as it is, never
 * restarted or stopped here (`redis` is then unusable).
 */
export async function openScenario(label: string, env: Record<string, string> = {}, external?: { redisUrl: string }): Promise<Scenario> {
  await buildDist();
  const dir = mkdtempSync(path.join(os.tmpdir(), `kiungo-rel-${label}-`));
  const providerLog = path.join(dir, 'provider.jsonl');
  writeFileSync(providerLog, '');
  let redis = external ? (undefined as unknown as PrivateRedis) : await startPrivateRedis({ dir: path.join(dir, 'redis'), appendOnly: true, label });
  const url = (): string => external?.redisUrl ?? redis.url;
  const prefix = `rel-${label}-${randomBytes(3).toString('hex')}`;
  // The in-process side only seeds the scenario and reads its state: on a busy machine it may wait
  // longer for Redis than the processes under test (their REDIS_COMMAND_TIMEOUT_MS is left as set).
  const config = loadConfig({ ...workerEnvironment({ redisUrl: url(), prefix, providerLog }), SERVICE_MODE: 'api', LOG_LEVEL: 'silent', ...env, REDIS_COMMAND_TIMEOUT_MS: '5000' });
  const api = await buildGateway({ config, logger: createLogger('silent'), redisUrl: url(), defaultMetrics: false, provider: refusingProvider });
  const workers: WorkerProcess[] = [];
  const store = createBroadcastStore(api.redis, api.keys);

  return {
    get redis() { return redis; },
    get redisUrl() { return url(); },
    api, prefix, providerLog,
    worker(extra = {}, options = {}) {
      const worker = new WorkerProcess(workerEnvironment({ redisUrl: url(), prefix, providerLog, extra: { ...env, ...extra } }), { compiled: options.compiled ?? true });
      workers.push(worker);
      return worker;
    },
    async restartRedis(how, downMs = 500) {
      if (external) throw new Error('restartRedis: this scenario runs on a Redis it did not start');
      if (how === 'crash') await redis.kill();
      else await redis.stop(5000);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      redis = await startPrivateRedis({ dir: redis.dir, port: redis.port, appendOnly: true, label });
    },
    async registerDelegates(count) {
      const phones = Array.from({ length: count }, (_, i) => phoneOf(i));
      const at = new Date();
      for (let start = 0; start < count; start += 200) {
        await Promise.all(phones.slice(start, start + 200).map((phone, offset) => api.services.delegates.register(PACK, {
          phone, name: `Mjumbe ${start + offset}`, institution: 'eGA', institutionType: 'agency', cohort: '1',
          language: (start + offset) % 4 === 0 ? 'en' : 'sw', channel: 'import',
        }, at)));
      }
      return phones;
    },
    async createBroadcast(key) {
      const { broadcast } = await api.broadcasts.create({ audience: { all: true }, messages: { sw: 'Mkutano unaanza saa 3 asubuhi.', en: 'The conference starts at 9 am.' }, urgent: true }, key);
      return broadcast;
    },
    async status(id) {
      const status = await api.broadcasts.get(id);
      if (!status) throw new Error(`broadcast ${id} not found`);
      return status;
    },
    groups: (id) => store.groups(id),
    async close() {
      await Promise.all(workers.map((worker) => worker.kill()));
      await api.close();
      if (!external) await redis.stop(3000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` every 100 ms until it returns a value; throws `describe()` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, describe: () => Promise<string> | string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}\n${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A broadcast is done when nothing is queued or sending and every recipient is in the ledger. */
export function isDone(status: BroadcastStatus): boolean {
  return status.counts.queued === 0 && status.counts.sending === 0 && status.progress === 1;
}

/** How long a process may serve an agenda it read before an edit (agenda.redis.ts's cacheMs), plus a margin. */
const AGENDA_CACHE_MS = 2500;

/**
 * Moves the sample event so that it starts tomorrow (the processes run on the real clock, and a
 * reminder is refused for a session that has begun). Other processes may serve the agenda they
 * cached for up to 2 s: await the returned `seenEverywhere()` before anything that needs the moved
 * agenda. Moving it early and awaiting that later lets the wait overlap other work.
 */
export async function moveSampleToTomorrow(scenario: Scenario): Promise<{ seenEverywhere(): Promise<void> }> {
  const tomorrow = new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 10);
  await scenario.api.services.agenda.put(PACK, shiftEventTo(await scenario.api.services.agenda.get(PACK), tomorrow));
  const everywhereAt = Date.now() + AGENDA_CACHE_MS;
  return {
    async seenEverywhere() {
      const left = everywhereAt - Date.now();
      if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
    },
  };
}

export { ROOT };
