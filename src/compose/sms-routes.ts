/**
 * The SMS routes SMS_ROUTES names (SMS_PROVIDER alone when unset), each built once, chained with
 * their circuit breakers. The SMPP route is returned apart too: it connects only in processes
 * that send, and its receipts and phones' messages are wired to the modules by the gateway.
 */
import type { SmsRouteName } from '../config/schema';
import { AppError } from '../kernel/errors';
import { createAfricasTalkingProvider } from '../providers/africastalking/at-sms-provider';
import { OutboxSmsProvider } from '../providers/outbox/outbox-sms-provider';
import { createOutboxStore } from '../providers/outbox/outbox.redis';
import { SmppSmsProvider } from '../providers/smpp/smpp-sms-provider';
import { laneConcurrency } from '../sms/outbound/outbound-module';
import { createRouteChain, type Route, type RouteChain } from '../sms/outbound/route-chain';
import type { SmsProvider } from '../sms/outbound/sms-provider';
import type { Resources } from './resources';

export interface SmsRoutes {
  chain: RouteChain;
  smpp: SmppSmsProvider | undefined;
}

export function composeSmsRoutes(r: Resources, given?: SmsProvider): SmsRoutes {
  const { config, redis, keys, logger } = r;
  let smpp: SmppSmsProvider | undefined;
  const build = (name: SmsRouteName): SmsProvider => {
    const at = config.africasTalking;
    if (name === 'africastalking') {
      // One socket per call a worker process can have in flight: both lanes' batch jobs.
      const lanes = laneConcurrency(config.messaging);
      const sockets = lanes.priority + lanes.bulk;
      return createAfricasTalkingProvider({ username: at.username ?? '', apiKey: at.apiKey ?? '', senderId: at.senderId, timeoutMs: at.timeoutMs, batchSize: config.messaging.batchSize, enqueue: true, maxSockets: sockets });
    }
    if (name === 'smpp') {
      if (!config.smpp) throw new AppError('CONFIG.INVALID', 'the smpp route needs SMPP_URL, SMPP_SYSTEM_ID and SMPP_PASSWORD');
      const s = config.smpp;
      smpp = new SmppSmsProvider({
        url: s.url, systemId: s.systemId, password: s.password, ...(s.systemType ? { systemType: s.systemType } : {}), ...(s.sourceAddr ? { sourceAddr: s.sourceAddr } : {}),
        window: s.window, ratePerSecond: s.ratePerSecond, enquireLinkMs: s.enquireLinkMs, responseTimeoutMs: s.responseTimeoutMs,
        bindWaitMs: Math.min(5000, s.responseTimeoutMs), logger: logger.child({ module: 'smpp' }),
      });
      return smpp;
    }
    return new OutboxSmsProvider({ store: createOutboxStore(redis, keys), deliveryReportDelayMs: config.messaging.outboxDlrDelayMs, logger });
  };
  const routes: Route[] = given ? [{ name: given.name, provider: given }] : config.routing.routes.map((name) => ({ name, provider: build(name) }));
  const routeState = r.metrics.gauge('kiungo_sms_route_up', 'SMS route state: 1 up, 0.5 trial call, 0 down (breaker open)', ['route'] as const);
  for (const route of routes) routeState.set({ route: route.name }, 1);
  const chain = createRouteChain(routes, {
    failures: config.routing.breakerFailures, openMs: config.routing.breakerOpenMs, logger: logger.child({ module: 'sms-routes' }),
    onRouteState: (route, state) => routeState.set({ route }, state === 'up' ? 1 : state === 'trial' ? 0.5 : 0),
  });
  return { chain, smpp };
}
