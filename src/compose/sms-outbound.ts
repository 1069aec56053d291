/** Outbound SMS: the provider SMS_PROVIDER names (or the one given), the send pipeline on its own connections, the outbox listing. */
import type { MessagingConfig } from '../config/load';
import { createRedis } from '../infra/redis/client';
import type { Keys } from '../infra/redis/keys';
import { WORKER_CONNECTION_PREFIX } from '../infra/redis/storage-layout';
import type { Logger } from '../kernel/logger';
import { createOutboxListing, type OutboxListing } from '../providers/outbox/outbox-listing';
import { createOutboxStore } from '../providers/outbox/outbox.redis';
import type { SmppSmsProvider } from '../providers/smpp/smpp-sms-provider';
import { createMessaging, type Messaging } from '../sms/outbound/outbound-module';
import { createOutboundStores, type OutboundStores } from '../sms/outbound/outbound-stores.redis';
import type { SmsProvider } from '../sms/outbound/sms-provider';
import type { Resources } from './resources';
import { composeSmsRoutes } from './sms-routes';
import type { DashboardSeries } from '../organiser/dashboard-series.redis';

export interface SmsOutbound {
  messaging: Messaging;
  /** Only with the outbox provider. */
  outbox: OutboxListing | undefined;
  /** Only with the smpp route: started by processes that send. */
  smpp: SmppSmsProvider | undefined;
}

/**
 * The outbound module's stores on a connection of their own (named `messaging`, closed with the
 * module) and one blocking connection per lane worker, opened when the workers start.
 */
export function openOutboundStores(options: { redisUrl: string; commandTimeoutMs: number; keys: Keys; config: MessagingConfig; logger: Logger }): OutboundStores {
  const { redisUrl: url, commandTimeoutMs } = options;
  const redis = createRedis({ url, commandTimeoutMs, name: 'messaging' });
  const log = options.logger.child({ module: 'messaging' });
  redis.on('error', (error: Error) => log.debug({ err: error.message }, 'redis connection error'));
  return createOutboundStores({ redis, worker: (lane) => createRedis({ url, commandTimeoutMs, name: `${WORKER_CONNECTION_PREFIX}${lane}`, role: 'blocking' }) }, options.keys, options.config);
}

export function composeSmsOutbound(r: Resources, given?: SmsProvider, series?: DashboardSeries): SmsOutbound {
  const { config, redis, keys, logger } = r;
  const { chain: provider, smpp } = composeSmsRoutes(r, given);
  const stores = openOutboundStores({ redisUrl: r.redisUrl, commandTimeoutMs: config.redis.commandTimeoutMs, keys, config: config.messaging, logger });
  const messaging = createMessaging({ config: config.messaging, stores, logger, metrics: r.metrics, provider, ...(series ? { onEntered: (state: string, count: number) => series.smsEntered(state, count) } : {}) });
  r.onClose(() => messaging.close());
  const outbox = config.routing.routes.includes('outbox') ? createOutboxListing(createOutboxStore(redis, keys)) : undefined;
  return { messaging, outbox, smpp };
}
