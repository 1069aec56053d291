/** Outbound SMS: the provider SMS_PROVIDER names (or the one given), the send pipeline, the outbox listing. */
import { createAfricasTalkingProvider } from '../providers/africastalking/at-sms-provider';
import { createOutboxListing, type OutboxListing } from '../providers/outbox/outbox-listing';
import { OutboxSmsProvider } from '../providers/outbox/outbox-sms-provider';
import { createOutboxStore } from '../providers/outbox/outbox.redis';
import { createMessaging, type Messaging } from '../sms/outbound/outbound-module';
import type { SmsProvider } from '../sms/outbound/sms-provider';
import type { Resources } from './resources';

export interface SmsOutbound {
  messaging: Messaging;
  /** Only with the outbox provider. */
  outbox: OutboxListing | undefined;
}

export function composeSmsOutbound(r: Resources, given?: SmsProvider): SmsOutbound {
  const { config, redis, keys, logger } = r;
  const at = config.africasTalking;
  const provider: SmsProvider = given ?? (config.sms.provider === 'africastalking'
    ? createAfricasTalkingProvider({ username: at.username ?? '', apiKey: at.apiKey ?? '', senderId: at.senderId, timeoutMs: at.timeoutMs, batchSize: config.messaging.batchSize, enqueue: true })
    : new OutboxSmsProvider({ store: createOutboxStore(redis, keys), deliveryReportDelayMs: config.messaging.outboxDlrDelayMs, logger }));
  const messaging = createMessaging({ config: config.messaging, redisUrl: r.redisUrl, commandTimeoutMs: config.redis.commandTimeoutMs, keys, logger, metrics: r.metrics, provider });
  r.onClose(() => messaging.close());
  return { messaging, outbox: config.sms.provider === 'outbox' ? createOutboxListing(createOutboxStore(redis, keys)) : undefined };
}
