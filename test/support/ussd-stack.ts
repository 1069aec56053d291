/**
 * A real USSD stack for tests: the sample packs from flows/, Redis stores under a unique prefix on
 * the private test Redis, a fixed clock, an outbound port that records what would be sent and a
 * record of the engine effects of every hop (what the funnel statistics are given).
 */
import path from 'node:path';
import express from 'express';
import { createRedisAgendaStore } from '../../src/event/agenda.redis';
import { createRedisDelegateStore } from '../../src/event/delegates.redis';
import { createRedisInviteeStore } from '../../src/event/invitees.redis';
import { createRedisCallerReader } from '../../src/event/callers.redis';
import { createHopStarter } from '../../src/ussd/hop-start.redis';
import type { InviteeRepository } from '../../src/event/invitees';
import { createRedisReminderStore } from '../../src/reminders/reminders.redis';
import type { Effect, Language } from '../../src/engine';
import type { EventPack } from '../../src/event/event-pack';
import { loadPacks } from '../../src/packs/load';
import { createApp } from '../../src/http/app';
import { createMetrics } from '../../src/kernel/metrics';
import { createUssdRouter } from '../../src/http/webhooks/ussd';
import { createKeys, type Keys } from '../../src/infra/redis/keys';
import { createLogger } from '../../src/kernel/logger';
import { closeRedis, createRedis, redisReachable, waitForReady, type RedisClient } from '../../src/infra/redis/client';
import { fixedClock } from '../../src/kernel/clock';
import type { OutboundMessages, OutboundRequest } from '../../src/sms/outbound/outbound-port';
import { createSessionStore } from '../../src/ussd/session-store.redis';
import { createUssdService, type UssdService } from '../../src/ussd/ussd-service';
import { erasableStores } from '../../src/compose/privacy';
import { erasePerson } from '../../src/privacy/erase-person';
import { createUssdStats, type UssdStats } from '../../src/ussd/ussd-stats.redis';
import type { DelegateRepository } from '../../src/event/delegates';
import type { ReminderRepository } from '../../src/reminders/reminders';
import type { AgendaRepository } from '../../src/event/agenda';
import { testRedisUrl, uniquePrefix, deletePrefix } from './redis';
import type { PackCatalogue } from '../../src/ussd/pack-catalogue';
import { createLateActions, type LateHooks } from '../../src/ussd/late-actions';
import { createLateResults, type LateResults } from '../../src/ussd/late-results.redis';
import type { ActionOutcome } from '../../src/engine';
import { createRecoveryCodes } from '../../src/ussd/recovery-codes.redis';
import { createSessionRecovery } from '../../src/ussd/session-recovery';
import { createRedisFeedbackStore } from '../../src/feedback/feedback.redis';
import { createRedisQuestionStore } from '../../src/questions/questions.redis';
import { createRedisCheckInStore } from '../../src/checkin/checkin.redis';

export const FLOWS_DIR = path.resolve(__dirname, '../../flows');

let cachedPacks: EventPack[] | undefined;
export function samplePacks(): EventPack[] {
  if (!cachedPacks) {
    const { packs, problems } = loadPacks(FLOWS_DIR);
    if (problems.length > 0) throw new Error(`sample packs have problems: ${problems.map((p) => p.message).join('; ')}`);
    cachedPacks = packs;
  }
  return cachedPacks;
}

export interface RecordingOutbound extends OutboundMessages {
  sent: OutboundRequest[];
}

export function recordingOutbound(): RecordingOutbound {
  const sent: OutboundRequest[] = [];
  const seen = new Map<string, string>();
  return {
    sent,
    async enqueue(request) {
      const existing = seen.get(request.idempotencyKey);
      if (existing) return { messageId: existing, state: 'skipped', reason: 'duplicate' };
      const id = `m${sent.length + 1}`;
      seen.set(request.idempotencyKey, id);
      sent.push(request);
      return { messageId: id, state: 'queued' };
    },
  };
}

/** One answered hop as the statistics saw it. */
export interface HopRecord {
  packId: string;
  effects: Effect[];
  outcome: Parameters<UssdStats['recordHop']>[2];
}

export interface UssdStack {
  app: express.Express;
  service: UssdService;
  redis: RedisClient;
  keys: Keys;
  outbound: RecordingOutbound;
  /** The real Redis stores the service reads and its actions write (not the failing wrappers). */
  delegates: DelegateRepository;
  invitees: InviteeRepository;
  reminders: ReminderRepository;
  agenda: AgendaRepository;
  /** Every hop handed to the statistics, oldest first. */
  hops: HopRecord[];
  clock: ReturnType<typeof fixedClock>;
  packs: EventPack[];
  metrics: ReturnType<typeof createMetrics>;
  /** Late action results as the service records them. */
  lateResults: LateResults;
  /** Reports late actions past their window as lost (what each process does every few seconds). */
  sweepLate(): Promise<number>;
  /** Lets the held slow action (`slowAction`) run on; it was held from the moment it started. */
  releaseSlow(): void;
  /** Every action deadline the service set, in ms, with its action (after cutting it to the hop's budget). */
  deadlinesAsked: Array<{ action: string; ms: number }>;
  close(): Promise<void>;
}

export interface StackOptions {
  redisUrl?: string;
  commandTimeoutMs?: number;
  deadlineMs?: number;
  webhookKey?: string;
  packs?: EventPack[];
  now?: string;
  resumeWindowS?: number;
  /** The language of callers the gateway does not know (DEFAULT_LANGUAGE). Default `sw`. */
  defaultLanguage?: Language;
  /** Every store write the actions make rejects, as when Redis fails mid-hop: actions answer `error`. */
  failingWrites?: boolean;
  /** The versions each phone gets (flow releases); default: `packs`, one version each. */
  catalogue?: (redis: RedisClient, keys: Keys) => PackCatalogue;
  /**
   * The slow-action hook: this action (e.g. `register`) passes its node's deadline at once and is
   * held until `releaseSlow()`, as when Redis or an outside system is slow. Other actions never
   * pass their deadline, so transcripts do not depend on the machine's speed.
   */
  slowAction?: string;
  /** How long a late result may take before it is reported lost (ms, default 120 000). */
  lateLostAfterMs?: number;
  /** Recovery dial strings' window (USSD_RECOVERY_WINDOW_S, default 1800). */
  recoveryWindowS?: number;
  /** false: the hop reads its lock, the caller and the resume pointer apart, as on a Redis Cluster (default: one round trip, as on one Redis). */
  oneRoundTripStart?: boolean;
}

/** Deadlines that fire at once for the slow action only, and a gate that holds its work. */
function slowActionHooks(slowAction: string | undefined, asked: Array<{ action: string; ms: number }>): { hooks: LateHooks; release(): void } {
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  const never = new Promise<void>(() => undefined);
  return {
    hooks: {
      deadline: (action, ms) => {
        asked.push({ action, ms });
        return action === slowAction ? Promise.resolve() : never;
      },
      run: (action, work): Promise<ActionOutcome> => (action === slowAction ? gate.then(work) : work()),
    },
    release: () => release(),
  };
}

const WRITES = {
  delegates: ['register', 'update', 'erase'],
  reminders: ['subscribe', 'unsubscribe', 'removeAll'],
} as const;

/** The store with its write methods replaced by ones that reject; reads go to the store. */
function failingWritesOf<T extends object>(store: T, writes: readonly string[]): T {
  const broken = Object.fromEntries(writes.map((name) => [name, () => Promise.reject(new Error(`${name} failed (simulated store failure)`))]));
  return { ...store, ...broken };
}

export async function createUssdStack(options: StackOptions = {}): Promise<UssdStack> {
  const prefix = uniquePrefix('ussd');
  const keys = createKeys(prefix);
  const redis = createRedis({ url: options.redisUrl ?? testRedisUrl(), commandTimeoutMs: options.commandTimeoutMs ?? 2000, name: 'ussd-test' });
  await waitForReady(redis, 3000);
  const logger = createLogger('silent');
  const packs = options.packs ?? samplePacks();
  const clock = fixedClock(options.now ?? '2015-08-17T06:10:00.000Z');
  const outbound = recordingOutbound();
  const delegates = createRedisDelegateStore(redis, keys);
  const invitees = createRedisInviteeStore(redis, keys);
  const reminders = createRedisReminderStore(redis, keys);
  const agenda = createRedisAgendaStore(redis, keys, new Map(packs.map((p) => [p.id, p.event])));
  const sessions = createSessionStore(redis, keys, { sessionTtlS: 200, resumeWindowS: options.resumeWindowS ?? 300 });
  const metrics = createMetrics({ defaultMetrics: false });
  const realStats = createUssdStats(redis, keys, metrics, logger);
  const hops: HopRecord[] = [];
  const stats: UssdStats = {
    ...realStats,
    recordHop(packId, effects, outcome) {
      hops.push({ packId, effects, outcome });
      realStats.recordHop(packId, effects, outcome);
    },
  };
  const actionStores = options.failingWrites
    ? { delegates: failingWritesOf(delegates, WRITES.delegates), reminders: failingWritesOf(reminders, WRITES.reminders) }
    : { delegates, reminders };
  const lateResults = createLateResults(redis, keys);
  const deadlinesAsked: Array<{ action: string; ms: number }> = [];
  const slow = slowActionHooks(options.slowAction, deadlinesAsked);
  const late = createLateActions({ store: lateResults, outbound, clock, logger, metrics, hooks: slow.hooks });
  const recovery = createSessionRecovery({ codes: createRecoveryCodes(redis, keys), outbound, packs, logger, metrics, windowS: options.recoveryWindowS ?? 1800, digits: 6 });
  const service = createUssdService({
    late, recovery, lateLostAfterMs: options.lateLostAfterMs ?? 120_000, hopDeadlineMs: options.deadlineMs ?? 1500,
    packs, ...(options.catalogue ? { catalogue: options.catalogue(redis, keys) } : {}), sessions, delegates, reminders, agenda, callers: createRedisCallerReader(redis, keys), ...(options.oneRoundTripStart === false ? {} : { starter: createHopStarter(redis, keys) }), stats, clock, logger, defaultLanguage: options.defaultLanguage ?? 'sw', lockWaitMs: 1000,
    // Erasure as the gateway wires it: every store that keeps something about a person.
    // Rating a session, a question to the panel and check-in, on their real stores.
    actions: { ...actionStores, agenda, invitees, outbound, clock, logger, engage: { feedback: createRedisFeedbackStore(redis, keys), questions: createRedisQuestionStore(redis, keys), checkins: createRedisCheckInStore(redis, keys) }, erasePerson: (packId, phone) => erasePerson(erasableStores({ redis, keys, delegates, reminders, sessions, ussdStats: realStats, invitees }), packId, phone) },
  });
  // The HTTP app is built on first use: most tests call the service directly, and building the
  // app (its asset routes render their modules) costs more than the rest of the stack.
  let app: express.Express | undefined;
  const buildApp = (): express.Express => {
    const router = express.Router();
    router.use('/webhooks/africastalking', createUssdRouter({
      service, sessions, stats, recovery, logger, deadlineMs: options.deadlineMs ?? 1500, webhookKey: options.webhookKey, ipAllowList: [],
    }));
    return createApp({ logger, metrics, ready: () => redisReachable(redis), trustProxy: false, mounts: [{ path: '/', router }] });
  };
  return {
    get app() { return (app ??= buildApp()); },
    service, redis, keys, outbound, clock, packs, delegates, invitees, reminders, agenda, hops, metrics, lateResults,
    sweepLate: () => late.sweep(),
    releaseSlow: () => slow.release(),
    deadlinesAsked,
    async close() {
      slow.release();
      await service.settled();
      await realStats.close();
      await deletePrefix(redis, prefix).catch(() => undefined);
      await closeRedis(redis);
    },
  };
}
