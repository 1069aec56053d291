/**
 * The HTTP edge: AT's webhooks (USSD, inbound SMS, delivery reports, opt-outs), the admin API,
 * the console and the simulator, and the listener with the USSD fast path in front.
 */
import type { RequestListener } from 'node:http';
import path from 'node:path';
import express, { type Express, type Router } from 'express';
import { createAdminRouter, type AdminDeps } from '../http/admin/admin-router';
import { createApp, type Mount } from '../http/app';
import { createConsoleRouter } from '../http/console/console-router';
import { createProjectorRouter } from '../http/projector/projector-router';
import { createSimulatorRouter } from '../http/simulator/simulator-router';
import { createInboundSmsRouter } from '../http/webhooks/inbound-sms';
import { createDeliveryReportsRouter } from '../http/webhooks/sms-delivery-reports';
import { createOptOutsRouter } from '../http/webhooks/sms-opt-outs';
import { createUssdRouter } from '../http/webhooks/ussd';
import { withUssdFastPath } from '../http/webhooks/ussd-fast-path';
import { refuseJson, webhookAuth } from '../http/webhooks/webhook-auth';
import { createRedisKeyFailures } from '../http/webhooks/key-failures.redis';
import type { EventPack } from '../event/event-pack';
import type { Messaging } from '../sms/outbound/outbound-module';
import { createCallbackIntake, type CallbackIntake } from '../sms/callback-intake';
import { redisReachable } from '../infra/redis/client';
import type { Resources } from './resources';
import type { SmsInbound } from './sms-inbound';
import type { SmsOutbound } from './sms-outbound';
import type { Ussd } from './ussd';
import { operatorMounts } from './operator';
import type { WorkerStatus } from '../infra/process/worker-supervisor';

/** The routers of AT's delivery-report and opt-out callbacks (mount them behind the webhook key check). */
export function smsCallbackRouters(
  intake: Pick<CallbackIntake, 'deliveryReport' | 'optOut'>,
  onOddBody?: (route: 'delivery-reports' | 'opt-outs', problem: string) => void,
): { deliveryReports: Router; optOuts: Router } {
  return {
    deliveryReports: createDeliveryReportsRouter({ intake, ...(onOddBody ? { onOddBody: (problem: string) => onOddBody('delivery-reports', problem) } : {}) }),
    optOuts: createOptOutsRouter({ intake, ...(onOddBody ? { onOddBody: (problem: string) => onOddBody('opt-outs', problem) } : {}) }),
  };
}

/**
 * Where AT's SMS callbacks are stored before they are acknowledged: Redis, else the local spool
 * (SPOOL_DIR). Processes that serve HTTP take over spool files of stopped processes and replay them.
 */
export function composeCallbackIntake(r: Resources, inbound: SmsInbound, messaging: Pick<Messaging, 'applyDeliveryReport' | 'applyOptOut'>): CallbackIntake {
  const intake = createCallbackIntake({
    appliers: { inboundSms: (sms) => inbound.queue.accept(sms), deliveryReport: (form) => messaging.applyDeliveryReport(form), optOut: (form) => messaging.applyOptOut(form) },
    dir: path.resolve(r.config.spool.dir),
    maxBytes: r.config.spool.maxBytes,
    logger: r.logger,
    metrics: r.metrics,
  });
  r.onClose(() => intake.close());
  return intake;
}

export interface Http {
  app: Express;
  /** The USSD fast path in front of `app` (or `app` alone with an IP allow-list). */
  listener: RequestListener;
}

export function composeHttp(r: Resources, parts: {
  packs: readonly EventPack[]; ussd: Ussd; inbound: SmsInbound; outbound: SmsOutbound; admin: AdminDeps; intake: CallbackIntake; isShuttingDown?: () => boolean;
  workers?: () => WorkerStatus;
}): Http {
  const { config, logger, metrics } = r;
  const security = config.security;
  const { ussd, outbound } = parts;
  const hooks = express.Router();
  const keyFailures = createRedisKeyFailures(r.redis, r.keys);
  const jsonAuth = webhookAuth({ key: security.webhookKey, ipAllowList: security.ipAllowList, onRefused: refuseJson, keyFailures });
  const oddBodies = metrics.counter('kiungo_webhook_odd_bodies_total', 'Webhook bodies that were not a readable form, acknowledged with 200 so AT does not retry them', ['route', 'problem'] as const);
  const callbacks = smsCallbackRouters(parts.intake, (route, problem) => oddBodies.inc({ route, problem }));
  hooks.use(createUssdRouter({ service: ussd.service, sessions: ussd.sessions, stats: ussd.stats, recovery: ussd.recovery, deadlines: ussd.deadlines, logger, deadlineMs: config.ussd.deadlineMs, webhookKey: security.webhookKey, ipAllowList: security.ipAllowList, keyFailures }));
  hooks.use(createInboundSmsRouter({ intake: parts.intake, webhookKey: security.webhookKey, ipAllowList: security.ipAllowList, keyFailures }));
  hooks.use('/delivery-reports', jsonAuth, callbacks.deliveryReports);
  hooks.use('/opt-outs', jsonAuth, callbacks.optOuts);
  const outbox = outbound.outbox;
  const mounts: Mount[] = [
    { path: '/webhooks/africastalking', router: hooks },
    { path: '/api/v1', router: createAdminRouter(parts.admin) },
    { path: '/console', router: createConsoleRouter() },
    { path: '/projector', router: createProjectorRouter() },
    ...operatorMounts(r, parts.admin),
    {
      path: '/simulator',
      router: createSimulatorRouter({
        serviceCodes: parts.packs.flatMap((p) => p.serviceCodes),
        shortCode: config.africasTalking.shortCode ?? '15001',
        services: parts.admin.packs.map(({ id, name, serviceCodes, shortCodes, keyword }) => ({ id, name, serviceCodes, shortCodes, ...(keyword ? { keyword } : {}) })),
        maxScreenChars: config.ussd.maxScreenChars,
        webhookKeyRequired: security.webhookKey !== undefined,
        ...(security.webhookKey ? { webhookKey: security.webhookKey } : {}),
        // Each message with its delivery state from the ledger (sent, delivered, failed and why). Never
        // in production, where the webhook key is AT's, not a person's.
        ...(outbox && !config.production ? {
          inbox: async (phone: string, sinceId?: string, limit?: number) => Promise.all((await outbox({ phone, limit: limit ?? 50, ...(sinceId ? { sinceId } : {}) }))
            .map(async (item) => ({ ...item, ...((await outbound.messaging.stateByProviderId(item.id).catch(() => undefined)) ?? {}) }))),
        } : {}),
      }),
    },
  ];
  const app = createApp({ logger, metrics, ready: () => redisReachable(r.redis, 1000), trustProxy: config.http.trustProxy, mounts, isShuttingDown: parts.isShuttingDown,
    ...(parts.workers ? { workers: parts.workers } : {}),
    ...(config.http.metricsToken ? { metricsToken: config.http.metricsToken } : {}),
  });
  const listener: RequestListener = security.ipAllowList.length > 0
    ? app
    : withUssdFastPath({ service: ussd.service, stats: ussd.stats, logger, metrics, deadlineMs: config.ussd.deadlineMs, deadlines: ussd.deadlines, webhookKey: security.webhookKey, keyFailures }, app);
  return { app, listener };
}
