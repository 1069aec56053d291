/**
 * The composition root: the only place that knows the concrete adapters. It loads the flow packs,
 * builds the Redis connections, repositories, services, HTTP mounts and workers for one process,
 * and closes them in reverse order.
 */
import type { RequestListener } from 'node:http';
import express, { type Express } from 'express';
import { createAfricasTalkingProvider } from '../providers/africastalking/at-sms-provider';
import { listOutbox, OutboxSmsProvider } from '../providers/outbox/outbox-sms-provider';
import { createRedisAgendaStore } from '../event/agenda.redis';
import { createRedisDelegateStore } from '../event/delegates.redis';
import { createRedisReminderStore } from '../reminders/reminders.redis';
import type { Config } from '../config/load';
import { loadPacks } from '../packs/load';
import { formatProblem } from '../packs/problem';
import { createBroadcastService, type BroadcastModule } from '../broadcasts/broadcast-service';
import { createAdminRouter } from '../http/admin/admin-router';
import { createApp, type Mount } from '../http/app';
import { createConsoleRouter } from '../http/console/console-router';
import { createMetrics, type Metrics } from '../kernel/metrics';
import { createSimulatorRouter } from '../http/simulator/simulator-router';
import { createInboundSmsRouter } from '../http/webhooks/inbound-sms';
import { createUssdRouter } from '../http/webhooks/ussd';
import { withUssdFastPath } from '../http/webhooks/ussd-fast-path';
import { refuseJson, webhookAuth } from '../http/webhooks/webhook-auth';
import { createKeys, type Keys } from '../infra/redis/keys';
import type { Logger } from '../kernel/logger';
import { closeRedis, createRedis, waitForReady, type RedisClient } from '../infra/redis/client';
import { createMessaging, type Messaging } from '../sms/outbound/outbound-module';
import type { FlowPack } from '../engine';
import type { AgendaRepository } from '../event/agenda';
import type { DelegateRepository } from '../event/delegates';
import type { ReminderRepository } from '../reminders/reminders';
import { createUssdStats, type UssdStats } from '../ussd/ussd-stats.redis';
import { systemClock, type Clock } from '../kernel/clock';
import type { SmsProvider } from '../sms/outbound/sms-provider';
import { erasePerson } from '../privacy/erase-person';
import { createReminderScheduler, refsKey, type ReminderScheduler } from '../reminders/reminder-scheduler.bullmq';
import { startReminderWorker } from '../reminders/reminder-worker.bullmq';
import { createInboundQueue, startInboundWorker } from '../sms/inbound/inbound-queue.bullmq';
import { createInboundSmsService } from '../sms/inbound/inbound-sms-service';
import { createSessionStore } from '../ussd/session-store.redis';
import { createUssdService } from '../ussd/ussd-service';
import { errorWithCode } from '../kernel/errors';

/** The services behind the routes, for the admin API, the CLI's in-process uses and tests. */
export interface GatewayServices {
  packs: FlowPack[];
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

/** Thrown when the flow packs cannot be used; the message lists every problem. */
export class FlowPackError extends errorWithCode('FLOW.INVALID') {}

type Closer = () => Promise<void>;

export async function buildGateway(options: GatewayOptions): Promise<Gateway> {
  const { config, logger, redisUrl } = options;
  const clock = options.clock ?? systemClock;
  const found = loadPacks(config.flows.dir);
  const { problems } = found;
  // The operator's screen budget (USSD_MAX_SCREEN_CHARS) applies to every pack at run time.
  const packs = found.packs.map((pack) => ({ ...pack, screen: { ...pack.screen, maxChars: config.ussd.maxScreenChars } }));
  if (problems.length > 0 || packs.length === 0)
    throw new FlowPackError(`Flow packs in ${config.flows.dir} cannot be used:\n${problems.length ? problems.map((p) => `  - ${formatProblem(p)}`).join('\n') : '  - no pack found'}\nRun npm run flows:check for details.`);
  const closers: Closer[] = [];
  const connect = (name: string, role: 'command' | 'blocking' = 'command'): RedisClient => {
    const client = createRedis({ url: redisUrl, commandTimeoutMs: config.redis.commandTimeoutMs, name, role });
    client.on('error', (error: Error) => logger.debug({ err: error.message, connection: name }, 'redis connection error'));
    closers.push(() => closeRedis(client));
    return client;
  };
  const redis = connect('app');
  const keys = createKeys(config.redis.prefix);
  const metrics = createMetrics({ defaultMetrics: options.defaultMetrics });
  const security = config.security;

  // Repositories and the live agenda (seeded from each pack's sample the first time).
  const delegates = createRedisDelegateStore(redis, keys);
  const reminders = createRedisReminderStore(redis, keys);
  const agenda = createRedisAgendaStore(redis, keys, new Map(packs.map((p) => [p.id, p.event])));
  const seed = async (): Promise<void> => {
    for (const pack of packs) await agenda.seed(pack.id, pack.event).catch((error: unknown) => logger.warn({ err: error, pack: pack.id }, 'agenda not seeded yet'));
  };

  // Outbound SMS: provider, pipeline, ledger, suppression.
  const outboxRedis = config.sms.provider === 'outbox' ? redis : undefined;
  const provider: SmsProvider = options.provider ?? (config.sms.provider === 'africastalking'
    ? createAfricasTalkingProvider({ username: config.africasTalking.username ?? '', apiKey: config.africasTalking.apiKey ?? '', senderId: config.africasTalking.senderId, timeoutMs: config.africasTalking.timeoutMs, batchSize: config.messaging.batchSize, enqueue: true })
    : new OutboxSmsProvider({ redis, keys, deliveryReportDelayMs: config.messaging.outboxDlrDelayMs, logger }));
  const messaging = createMessaging({ config: config.messaging, redisUrl, commandTimeoutMs: config.redis.commandTimeoutMs, keys, logger, metrics, provider });
  closers.push(() => messaging.close());

  // Reminders follow subscriptions and agenda changes.
  const scheduler = createReminderScheduler({ connection: connect('reminders-queue'), redis, keys, agenda, reminders, clock, settings: config.reminders, logger });
  closers.push(() => scheduler.close());
  const onSubscriptionChanged = (packId: string, phone: string, code: string, subscribed: boolean): Promise<void> =>
    scheduler.onSubscriptionChanged(packId, phone, code, subscribed).catch((error: unknown) => logger.error({ err: error, code }, 'reminder not (un)scheduled'));

  // Broadcasts (one event per gateway for the organiser tools: the first pack).
  const primaryPack = packs[0] as (typeof packs)[number];
  const broadcasts = createBroadcastService({
    redis, connection: connect('broadcast-queue'), keys, packId: primaryPack.id, delegates, reminders, agenda,
    suppression: messaging.suppression, outbound: messaging.outbound,
    ledger: { countsByGroup: (id) => messaging.countsByGroup(id), listByGroup: (id, o) => messaging.listByGroup(id, o) },
    clock, logger,
    settings: { ...config.broadcasts, timeZone: config.locale.timeZone, ratePerSecond: config.messaging.ratePerSecond, defaultLanguage: config.locale.defaultLanguage, senderId: config.messaging.defaultSenderId },
  });
  closers.push(() => broadcasts.close());

  const erase = (packId: string, phone: string) => erasePerson({ redis, keys, delegates, reminders, subscriberRefKeys: packs.map((p) => refsKey(keys, p.id)) }, packId, phone);

  // USSD.
  const sessions = createSessionStore(redis, keys, { sessionTtlS: config.ussd.sessionTtlS, resumeWindowS: config.ussd.resumeWindowS });
  const ussdStats = createUssdStats(redis, keys, metrics, logger);
  closers.push(() => ussdStats.close());
  const ussd = createUssdService({
    packs, sessions, delegates, reminders, agenda, stats: ussdStats, clock, logger,
    defaultLanguage: config.locale.defaultLanguage,
    lockWaitMs: Math.max(100, config.ussd.deadlineMs - 200),
    actions: { delegates, reminders, agenda, outbound: messaging.outbound, clock, logger, onSubscriptionChanged, erasePerson: erase },
  });

  // Inbound SMS keywords.
  const inboundQueue = createInboundQueue(redis, redis, keys, logger);
  closers.push(() => inboundQueue.close());
  const inbound = createInboundSmsService({
    packs: packs.map((pack) => ({ pack, keywords: { commands: pack.keywords } })),
    delegates, reminders, agenda, suppression: messaging.suppression, clock, onSubscriptionChanged,
    outbound: messaging.outbound, redis, helpSentKey: (phone) => `${keys.prefix}:sms:help-sent:${phone}`,
    defaultLanguage: config.locale.defaultLanguage, logger,
  });

  // HTTP.
  const hooks = express.Router();
  const jsonAuth = webhookAuth({ key: security.webhookKey, ipAllowList: security.ipAllowList, onRefused: refuseJson });
  hooks.use(createUssdRouter({ service: ussd, sessions, stats: ussdStats, logger, deadlineMs: config.ussd.deadlineMs, webhookKey: security.webhookKey, ipAllowList: security.ipAllowList }));
  hooks.use(createInboundSmsRouter({ queue: inboundQueue, webhookKey: security.webhookKey, ipAllowList: security.ipAllowList }));
  hooks.use('/delivery-reports', jsonAuth, messaging.routers.deliveryReports);
  hooks.use('/opt-outs', jsonAuth, messaging.routers.optOuts);
  const outboxItems = outboxRedis
    ? async (query: { phone?: string; limit: number; sinceId?: string }) => {
      const newestFirst = await listOutbox(outboxRedis, keys, { ...(query.phone ? { phone: query.phone } : {}), limit: query.limit });
      const seen = query.sinceId ? newestFirst.findIndex((m) => m.id === query.sinceId) : -1;
      return (seen >= 0 ? newestFirst.slice(0, seen) : newestFirst).map((m) => ({ id: m.id, to: m.to, text: m.message, at: new Date(m.at).toISOString(), state: 'sent' }));
    }
    : undefined;
  // SMS by state over the most recent messages, and their cost at the configured price per segment.
  const smsStats = async (): Promise<{ byState: Record<string, number>; cost: { currency: string; amount: number } }> => {
    const byState: Record<string, number> = {};
    let segments = 0;
    for (const id of await messaging.listMessages({ limit: 2000 })) {
      const [meta, counts] = await Promise.all([messaging.getMessage(id), messaging.countsByGroup(id)]);
      if (!meta || !counts) continue;
      for (const [state, n] of Object.entries(counts)) if (state !== 'total') byState[state] = (byState[state] ?? 0) + n;
      segments += (counts.sent + counts.delivered + counts.uncertain) * meta.segments;
    }
    return { byState, cost: { currency: config.broadcasts.currency, amount: Math.round(segments * config.broadcasts.pricePerSegment * 100) / 100 } };
  };
  const mounts: Mount[] = [
    { path: '/webhooks/africastalking', router: hooks },
    {
      path: '/api/v1',
      router: createAdminRouter({
        tokens: security.adminTokens, packId: primaryPack.id, delegates, agenda, reminders, broadcasts, suppression: messaging.suppression,
        ussdFunnel: (packId) => ussdStats.funnel(packId), smsStats, ...(outboxItems ? { outbox: outboxItems } : {}),
        onAgendaChanged: (packId, before, after) => scheduler.onAgendaChanged(packId, before, after),
        erasePerson: erase,
        clock, logger,
      }),
    },
    { path: '/console', router: createConsoleRouter() },
    {
      path: '/simulator',
      router: createSimulatorRouter({
        serviceCodes: packs.flatMap((p) => p.serviceCodes),
        shortCode: config.africasTalking.shortCode ?? '15001',
        maxScreenChars: config.ussd.maxScreenChars,
        webhookKeyRequired: security.webhookKey !== undefined,
        ...(security.webhookKey ? { webhookKey: security.webhookKey } : {}),
        ...(outboxItems ? { inbox: (phone: string, sinceId?: string, limit?: number) => outboxItems({ phone, limit: limit ?? 50, ...(sinceId ? { sinceId } : {}) }) } : {}),
      }),
    },
  ];
  const app = createApp({ logger, metrics, redis, trustProxy: config.http.trustProxy, mounts, isShuttingDown: options.isShuttingDown });
  const listener: RequestListener = security.ipAllowList.length > 0
    ? app
    : withUssdFastPath({ service: ussd, stats: ussdStats, logger, metrics, deadlineMs: config.ussd.deadlineMs, webhookKey: security.webhookKey }, app);

  if (await waitForReady(redis, 3000)) await seed();

  return {
    app,
    listener,
    broadcasts,
    services: { packs, delegates, reminders, agenda, scheduler, messaging, ussdStats },
    metrics,
    redis,
    keys,
    async startWorkers() {
      await seed();
      closers.push(await messaging.startWorkers());
      closers.push(startInboundWorker(connect('inbound-worker', 'blocking'), redis, keys, inbound, logger));
      closers.push(startReminderWorker({ connection: connect('reminder-worker', 'blocking'), keys, packs, scheduler, agenda, reminders, delegates, outbound: messaging.outbound, clock, settings: config.reminders, defaultLanguage: config.locale.defaultLanguage, logger }));
      closers.push(broadcasts.startWorker(connect('broadcast-worker', 'blocking')));
      for (const pack of packs) await scheduler.scheduleDigests(pack.id).catch((error: unknown) => logger.warn({ err: error }, 'digests not scheduled'));
    },
    async close() {
      for (const close of closers.reverse()) {
        try {
          await close();
        } catch (error) {
          logger.warn({ err: error }, 'error while closing');
        }
      }
    },
  };
}
