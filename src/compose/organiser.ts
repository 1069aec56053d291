/** The organisers' tools behind the admin API: per-pack agenda, delegates, broadcasts and statistics. */
import type { BroadcastModule } from '../broadcasts/broadcast-service';
import type { AdminDeps } from '../http/admin/admin-deps';
import { createRedisAuthFailureStore } from '../http/admin/auth-failures.redis';
import { smsStats } from '../organiser/sms-stats';
import { withCachedDelegateList } from '../organiser/cached-delegates';
import { screensInFlowOrder } from '../packs/flow-order';
import { dashboardExtras } from '../organiser/dashboard';
import { createAuditLog } from '../organiser/audit.redis';
import { createUnmatchedInbox } from '../organiser/unmatched-inbox.redis';
import { skippedMessages } from '../organiser/skipped-messages';
import type { DashboardSeries } from '../organiser/dashboard-series.redis';
import type { Delegate } from '../event/delegates';
import type { GatewayPacks } from './packs';
import type { EventStores } from './event';
import type { Erase } from './privacy';
import type { Reminders } from './reminders';
import type { Resources } from './resources';
import type { SmsOutbound } from './sms-outbound';
import type { Ussd } from './ussd';
import type { ReleaseAdmin } from '../releases/release-types';
import type { Engage } from './engage';
import type { WorkerStatus } from '../infra/process/worker-supervisor';
import type { Config } from '../config/load';
import { laneConcurrency } from '../sms/outbound/outbound-module';
import type { SystemStatus } from '../http/admin/admin-deps';
import { registeredWorkers, STORAGE_LAYOUT } from '../infra/redis/storage-layout';

/**
 * GET /system: `workers` is the supervised child when there is one (the HTTP process of
 * SERVICE_MODE=all, whose own config says mode api); otherwise the config's mode tells.
 */
export async function systemStatus(config: Config, workers: (() => WorkerStatus) | undefined, registry: () => Promise<SystemStatus['storage']['workers']>): Promise<SystemStatus> {
  const m = config.messaging;
  const lanes = laneConcurrency(m);
  return {
    mode: workers ? 'all' : config.mode,
    workerLayout: workers ? 'process' : config.mode === 'all' ? 'inline' : null,
    workers: workers ? workers() : null,
    sms: {
      provider: config.sms.provider, ratePerSecond: m.ratePerSecond, maxInFlight: m.maxInFlight ?? 0,
      bulkInFlight: lanes.bulk, workerConcurrency: lanes.priority, batchSize: m.batchSize,
    },
    process: { pid: process.pid, uptimeS: Math.round(process.uptime()), node: process.version },
    storage: { layout: STORAGE_LAYOUT, workers: await registry().catch(() => null) },
  };
}

export function composeOrganiserApi(r: Resources, parts: {
  packs: GatewayPacks; stores: EventStores; outbound: SmsOutbound; ussd: Ussd; reminders: Reminders; broadcasts: BroadcastModule; erase: Erase; releases: ReleaseAdmin; engage: Engage; series?: DashboardSeries;
  workers?: () => WorkerStatus;
}): AdminDeps {
  const { series } = parts;
  const { config } = r;
  const { messaging, outbox } = parts.outbound;
  // Searches and figures read a pack's delegates at most once every few seconds.
  const cached = withCachedDelegateList(parts.stores.delegates);
  return {
    tokens: config.security.adminTokens,
    // Failed sign-ins are counted in Redis, so every process shares one limit.
    auth: { store: createRedisAuthFailureStore(r.redis, r.keys) },
    packs: parts.packs.summaries, defaultPack: parts.packs.defaultPack,
    delegates: cached.delegates, invitees: parts.stores.invitees, agenda: parts.stores.agenda, reminders: parts.stores.reminders,
    broadcasts: parts.broadcasts, suppression: messaging.suppression,
    audit: createAuditLog(r.redis, r.keys),
    inbox: createUnmatchedInbox(r.redis, r.keys), reply: (request) => messaging.outbound.enqueue(request),
    skipped: (packId, { mask }) => skippedMessages(messaging, packId, { mask }),
    ussdFunnel: (packId) => parts.ussd.stats.funnel(packId),
    lateResults: async (packId) => {
      const [counts, { open, finished }] = await Promise.all([parts.ussd.lateResults.counts(packId), parts.ussd.lateResults.listing(packId)]);
      return { counts, open: open.map(({ id, sessionId, action, startedAt, lostAt }) => ({ id, sessionId, action, startedAt, lostAt })), finished };
    },
    networkStats: async (packId) => {
      const [ussd, sms] = await Promise.all([parts.ussd.stats.networks(packId), messaging.outcomesByNetwork(packId)]);
      const deadlines = parts.ussd.deadlines.current();
      return Object.fromEntries(Object.entries(ussd).map(([network, figures]) => {
        const label = network as keyof typeof sms;
        // The hop deadline this process gives the network now (adaptive with USSD_ADAPTIVE_MIN_DEADLINE_MS).
        return [network, { ussd: { ...figures, deadlineMs: deadlines[label] }, sms: sms[label] }];
      }));
    },
    smsStats: async (packId) => ({
      ...(await smsStats(messaging, { currency: config.broadcasts.currency, pricePerSegment: config.broadcasts.pricePerSegment }, { packId })),
      replyCaps: await messaging.replyCaps(),
    }),
    ussdScreens: (packId) => {
      const pack = parts.packs.packs.find((p) => p.id === packId);
      return pack ? screensInFlowOrder(pack) : undefined;
    },
    ...(series ? { dashboard: (packId: string, delegates: readonly Delegate[], minutes: number) => dashboardExtras(packId, delegates, series, r.clock.now(), minutes) } : {}),
    ...(outbox ? { outbox } : {}),
    onAgendaChanged: async (packId, before, after) => {
      await parts.reminders.scheduler.onAgendaChanged(packId, before, after);
      await parts.engage.onAgendaChanged(packId, before, after);
    },
    engage: {
      feedback: parts.engage.feedback, questions: parts.engage.questions, checkins: parts.engage.checkins,
      sendSurvey: (packId, audience) => parts.engage.sendSurvey(packId, audience),
      pack: (packId) => parts.packs.packs.find((p) => p.id === packId),
    },
    erasePerson: async (packId, phone) => {
      try {
        return await parts.erase(packId, phone);
      } finally {
        cached.forget(packId);
      }
    },
    releases: parts.releases,
    system: () => systemStatus(config, parts.workers, () => registeredWorkers(r.redis, r.keys.workers.layouts())),
    clock: r.clock, logger: r.logger,
  };
}
