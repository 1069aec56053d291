/**
 * The composition root: the only place that knows the concrete adapters. It only wires: each
 * module is built by its own function in this folder (packs, event stores, outbound and inbound
 * SMS, reminders, broadcasts, USSD, the organisers' API, the HTTP edge), assembled here for one
 * process, and closed in reverse order.
 */
import type { RequestListener } from 'node:http';
import type { Express } from 'express';
import type { BroadcastModule } from '../broadcasts/broadcast-service';
import type { Config } from '../config/load';
import type { EventPack } from '../event/event-pack';
import type { AgendaRepository } from '../event/agenda';
import type { DelegateRepository } from '../event/delegates';
import { waitForReady, type RedisClient } from '../infra/redis/client';
import type { Keys } from '../infra/redis/keys';
import { systemClock, type Clock } from '../kernel/clock';
import type { Logger } from '../kernel/logger';
import type { Metrics } from '../kernel/metrics';
import type { ReminderScheduler } from '../reminders/reminder-scheduler.bullmq';
import type { ReminderRepository } from '../reminders/reminders';
import type { Messaging } from '../sms/outbound/outbound-module';
import type { SmsProvider } from '../sms/outbound/sms-provider';
import type { UssdStats } from '../ussd/ussd-stats.redis';
import { composeBroadcasts } from './broadcasts';
import { composeEngage, type Engage } from './engage';
import { composeEventStores } from './event';
import { composeCallbackIntake, composeHttp } from './http';
import { composeOrganiserApi } from './organiser';
import { createDashboardSeries } from '../organiser/dashboard-series.redis';
import { loadGatewayPacks, withDemoDates } from './packs';
import { composeErasure } from './privacy';
import { AppError } from '../kernel/errors';
import type { Erasable } from '../privacy/erasable';
import { composeReminders } from './reminders';
import { createResources } from './resources';
import { composeSmsInbound } from './sms-inbound';
import { composeSmsOutbound } from './sms-outbound';
import { composeUssd } from './ussd';
import { composeReleases } from './releases';
import type { ReleaseService } from '../releases/release-service';
import type { WorkerStatus } from '../infra/process/worker-supervisor';
import { warnAboutOtherLayouts, WorkerLayoutGuard } from '../infra/redis/storage-layout';

export { FlowPackError } from './packs';

/** The services behind the routes, for the admin API, the CLI's in-process uses and tests. */
export interface GatewayServices {
  /** Every pack served, sorted by id. */
  packs: EventPack[];
  /** DEFAULT_PACK, or the first pack id in sorted order. */
  defaultPack: string;
  delegates: DelegateRepository;
  reminders: ReminderRepository;
  agenda: AgendaRepository;
  scheduler: ReminderScheduler;
  messaging: Messaging;
  ussdStats: UssdStats;
  /** Flow releases: versions, staging, promote and rollback. */
  releases: ReleaseService;
  /** Ratings and the survey, questions to the panel, check-ins. */
  engage: Pick<Engage, 'feedback' | 'questions' | 'checkins'>;
}

export interface Gateway {
  app: Express;
  /** What the HTTP server runs: the USSD fast path in front of `app` (or `app` alone with an IP allow-list). */
  listener: RequestListener;
  /** The default pack's broadcasts; `broadcasts.forPack(id)` for any pack. */
  broadcasts: BroadcastModule;
  services: GatewayServices;
  metrics: Metrics;
  redis: RedisClient;
  keys: Keys;
  /**
   * Starts background workers (SERVICE_MODE all or worker), once no queue worker of another stored
   * layout runs on this Redis (it waits until then); resolves without starting them when the
   * gateway closes first.
   */
  startWorkers(): Promise<void>;
  /** Stops workers and queues, then Redis. Never throws. */
  close(): Promise<void>;
}

export interface GatewayOptions {
  config: Config;
  logger: Logger;
  redisUrl: string;
  isShuttingDown?: () => boolean;
  /** Skip default process metrics (tests build many gateways in one process). */
  defaultMetrics?: boolean;
  clock?: Clock;
  /** Replaces the provider chosen by SMS_PROVIDER (tests). */
  provider?: SmsProvider;
  /** Told why the queue workers wait before starting (workers of another stored layout run); the worker child passes it to its supervisor. */
  onWorkersWaiting?: (reason: string) => void;
  /** The supervised queue worker child's status (SERVICE_MODE=all, WORKER_LAYOUT=process): /readyz, /healthz, GET /system. */
  workers?: () => WorkerStatus;
}

export async function buildGateway(options: GatewayOptions): Promise<Gateway> {
  const { config, logger, redisUrl } = options;
  const clock = options.clock ?? systemClock;
  const gatewayPacks = withDemoDates(loadGatewayPacks(config), config.flows.demoDatesToday, clock);
  const { packs } = gatewayPacks;
  const r = createResources({ config, logger, redisUrl, clock, defaultMetrics: options.defaultMetrics });
  const stores = composeEventStores(r, packs, { replaceSamples: config.flows.demoDatesToday });
  if (config.flows.demoDatesToday) logger.info({ days: Object.fromEntries(packs.filter((p) => p.event.sample).map((p) => [p.id, p.event.days.map((d) => d.date)])) }, 'DEMO_DATES=today: sample events start today');
  // The dashboard's counters, fed by the SMS pipeline and USSD sessions, read by the organiser API.
  const series = createDashboardSeries(r.redis, r.keys, r.clock, r.logger);
  r.onClose(() => series.close());
  const outbound = composeSmsOutbound(r, options.provider, series);
  const { messaging } = outbound;
  // Flow releases: which version of each pack is live (and staged to whom), followed in every process.
  const releases = composeReleases(r, gatewayPacks.loaded);
  const livePacks = (): EventPack[] => releases.live.liveLoaded().map((l) => l.pack);
  const reminders = composeReminders(r, packs, stores, messaging.outbound, livePacks);
  const engage = composeEngage(r, packs, stores, messaging.outbound);
  const broadcasts = composeBroadcasts(r, gatewayPacks.defaultPack, stores, messaging, (packId) => engage.checkins.everyone(packId));
  // The USSD actions need `erase`, and erasure needs the USSD stores: read them at call time.
  const built: { ussd?: { sessions: Erasable; stats: Erasable } } = {};
  const erase = composeErasure(r, stores, () => {
    if (!built.ussd) throw new AppError('INTERNAL', 'erasure called before the USSD stores exist');
    return built.ussd;
  }, engage.erasables);
  const ussd = composeUssd(r, packs, stores, messaging.outbound, reminders, erase, releases.live, engage, series);
  built.ussd = ussd;
  const inbound = composeSmsInbound(r, gatewayPacks.loaded, stores, messaging, reminders, () => releases.live.liveLoaded(), engage);
  // SMPP receipts and phones' messages take the same paths as AT's callbacks.
  outbound.smpp?.handle({ deliveryReport: (report) => messaging.applyDeliveryReport(report), inbound: (sms) => inbound.queue.accept(sms) });
  const admin = composeOrganiserApi(r, { packs: gatewayPacks, stores, outbound, ussd, reminders, broadcasts, erase, releases: releases.service, engage, series, ...(options.workers ? { workers: options.workers } : {}) });
  const intake = composeCallbackIntake(r, inbound, messaging);
  const { app, listener } = composeHttp(r, { packs, ussd, inbound, outbound, admin, intake, ...(options.isShuttingDown ? { isShuttingDown: options.isShuttingDown } : {}), ...(options.workers ? { workers: options.workers } : {}) });

  if (await waitForReady(r.redis, 3000)) {
    await stores.seed();
    await releases.start();
  } else {
    // Redis is late: the FLOWS_DIR versions serve until it answers, then the pointers are followed.
    r.redis.once('ready', () => void releases.start());
  }
  // Callbacks spooled while Redis was down (by this process before a crash, or by another one
  // that stopped) are replayed by processes that take callbacks.
  if (config.mode !== 'worker') await intake.start();
  // Queue workers of two stored layouts never run on one Redis at once (`storage-layout.ts`).
  // A process that queues work says so when workers of another stored layout would take it.
  if (config.mode !== 'worker') void warnAboutOtherLayouts(r.redis, r.keys.workers.layouts(), logger);
  const layoutGuard = new WorkerLayoutGuard({ redis: r.redis, key: r.keys.workers.layouts(), logger, ...(options.onWorkersWaiting ? { onWaiting: options.onWorkersWaiting } : {}) });

  return {
    app,
    listener,
    broadcasts,
    services: { packs, defaultPack: gatewayPacks.defaultPack, delegates: stores.delegates, reminders: stores.reminders, agenda: stores.agenda, scheduler: reminders.scheduler, messaging, ussdStats: ussd.stats, releases: releases.service, engage: { feedback: engage.feedback, questions: engage.questions, checkins: engage.checkins } },
    metrics: r.metrics,
    redis: r.redis,
    keys: r.keys,
    async startWorkers() {
      // Removes this process's entry once its workers have closed (closers run newest first), or ends the wait.
      r.onClose(() => layoutGuard.release());
      if (!(await layoutGuard.claim())) return;
      await stores.seed();
      await releases.start();
      const smpp = outbound.smpp;
      if (smpp) {
        smpp.start();
        r.onClose(() => smpp.stop());
      }
      r.onClose(await messaging.startWorkers());
      r.onClose(inbound.startWorker());
      r.onClose(await reminders.startWorker());
      r.onClose(await engage.startWorker());
      r.onClose(broadcasts.startWorker(r.connect('broadcast-worker', 'blocking')));
    },
    close: () => r.closeAll(),
  };
}
