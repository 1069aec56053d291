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
import { composeEventStores } from './event';
import { composeHttp } from './http';
import { composeOrganiserApi } from './organiser';
import { createDashboardSeries } from '../organiser/dashboard-series.redis';
import { loadGatewayPacks } from './packs';
import { composeErasure } from './privacy';
import { AppError } from '../kernel/errors';
import type { Erasable } from '../privacy/erasable';
import { composeReminders } from './reminders';
import { createResources } from './resources';
import { composeSmsInbound } from './sms-inbound';
import { composeSmsOutbound } from './sms-outbound';
import { composeUssd } from './ussd';

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
  /** Starts background workers (SERVICE_MODE all or worker). */
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
}

export async function buildGateway(options: GatewayOptions): Promise<Gateway> {
  const { config, logger, redisUrl } = options;
  const gatewayPacks = loadGatewayPacks(config);
  const { packs } = gatewayPacks;
  const r = createResources({ config, logger, redisUrl, clock: options.clock ?? systemClock, defaultMetrics: options.defaultMetrics });
  const stores = composeEventStores(r, packs);
  // The dashboard's counters, fed by the SMS pipeline and USSD sessions, read by the organiser API.
  const series = createDashboardSeries(r.redis, r.keys, r.clock, r.logger);
  r.onClose(() => series.close());
  const outbound = composeSmsOutbound(r, options.provider, series);
  const { messaging } = outbound;
  const reminders = composeReminders(r, packs, stores, messaging.outbound);
  const broadcasts = composeBroadcasts(r, gatewayPacks.defaultPack, stores, messaging);
  // The USSD actions need `erase`, and erasure needs the USSD stores: read them at call time.
  const built: { ussd?: { sessions: Erasable; stats: Erasable } } = {};
  const erase = composeErasure(r, stores, () => {
    if (!built.ussd) throw new AppError('INTERNAL', 'erasure called before the USSD stores exist');
    return built.ussd;
  });
  const ussd = composeUssd(r, packs, stores, messaging.outbound, reminders, erase, series);
  built.ussd = ussd;
  const inbound = composeSmsInbound(r, gatewayPacks.loaded, stores, messaging, reminders);
  const admin = composeOrganiserApi(r, { packs: gatewayPacks, stores, outbound, ussd, reminders, broadcasts, erase, series });
  const { app, listener } = composeHttp(r, { packs, ussd, inbound, outbound, admin, ...(options.isShuttingDown ? { isShuttingDown: options.isShuttingDown } : {}) });

  if (await waitForReady(r.redis, 3000)) await stores.seed();

  return {
    app,
    listener,
    broadcasts,
    services: { packs, defaultPack: gatewayPacks.defaultPack, delegates: stores.delegates, reminders: stores.reminders, agenda: stores.agenda, scheduler: reminders.scheduler, messaging, ussdStats: ussd.stats },
    metrics: r.metrics,
    redis: r.redis,
    keys: r.keys,
    async startWorkers() {
      await stores.seed();
      r.onClose(await messaging.startWorkers());
      r.onClose(inbound.startWorker());
      r.onClose(await reminders.startWorker());
      r.onClose(broadcasts.startWorker(r.connect('broadcast-worker', 'blocking')));
    },
    close: () => r.closeAll(),
  };
}
