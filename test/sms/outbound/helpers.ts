/** Builds the messaging module on the test Redis with a fresh prefix, plus a scriptable fake provider. */
import type { MessagingConfig } from '../../../src/config/load';
import { createMetrics, type Metrics } from '../../../src/kernel/metrics';
import { createKeys, type Keys } from '../../../src/infra/redis/keys';
import { createLogger } from '../../../src/kernel/logger';
import { openOutboundStores } from '../../../src/compose/sms-outbound';
import { createMessaging, type Messaging, type MessagingOptions } from '../../../src/sms/outbound/outbound-module';
import type { OutboundSms, RecipientOutcome, SendOutcome, SmsProvider } from '../../../src/sms/outbound/sms-provider';
import type { CallbackIntake } from '../../../src/sms/callback-intake';
import { testRedisUrl, uniquePrefix } from '../../support/redis';
import { busiestWindow as busiestWindowOf } from '../../support/busiest-window';

export const silentLogger = createLogger('silent');

export function messagingConfig(overrides: Partial<MessagingConfig> = {}): MessagingConfig {
  return {
    ratePerSecond: 1000, batchSize: 100, maxAttempts: 3, retryBaseMs: 100, perPhoneHourlyCap: 5,
    dailyBudgetSegments: 0, staleAfterS: 3600, outboxDlrDelayMs: 0, defaultSenderId: 'KIUNGO', timeZone: 'Africa/Dar_es_Salaam',
    ...overrides,
  };
}

export interface TestMessaging {
  messaging: Messaging;
  keys: Keys;
  prefix: string;
  metrics: Metrics;
}

/** `keys` puts the module on given keys (another process of the same gateway); a fresh prefix when absent. */
export function buildMessaging(provider: SmsProvider, overrides: Partial<MessagingConfig> = {}, extra: Partial<MessagingOptions> & { keys?: Keys } = {}): TestMessaging {
  const { keys = createKeys(uniquePrefix('msg')), ...rest } = extra;
  const metrics = createMetrics({ defaultMetrics: false });
  const config = messagingConfig(overrides);
  const options: MessagingOptions = {
    config, stores: openOutboundStores({ redisUrl: testRedisUrl(), commandTimeoutMs: 2000, keys, config, logger: silentLogger }), logger: silentLogger,
    metrics, provider, workers: { sweepIntervalMs: 60_000 },
    ...rest,
  };
  return { messaging: createMessaging(options), keys, prefix: keys.prefix, metrics };
}

export interface ProviderCall {
  sms: OutboundSms;
  at: number;
}

type Behaviour = (sms: OutboundSms, call: number) => SendOutcome | Promise<SendOutcome>;

/** Accepts everyone with ids `ATXid_<call>_<n>` unless given another behaviour. */
export class FakeProvider implements SmsProvider {
  readonly name = 'fake';
  readonly calls: ProviderCall[] = [];
  constructor(public behaviour: Behaviour = acceptAll) {}

  async send(sms: OutboundSms): Promise<SendOutcome> {
    this.calls.push({ sms, at: Date.now() });
    return this.behaviour(sms, this.calls.length);
  }

  get recipients(): string[] {
    return this.calls.flatMap((call) => call.sms.to);
  }
}

export function accepted(number: string, providerMessageId: string): RecipientOutcome {
  return { number, result: 'accepted', providerMessageId, cost: { currency: 'TZS', amount: 22 }, parts: 1, statusCode: 101 };
}

export function acceptAll(sms: OutboundSms, call: number): SendOutcome {
  return { kind: 'per_recipient', recipients: sms.to.map((number, n) => accepted(number, `ATXid_${call}_${n}`)) };
}

/** Polls `check` until it returns something truthy (or throws after `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 8000, label = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last as NonNullable<T>;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${label} (last: ${JSON.stringify(last)})`);
}

export function phones(count: number, base = 712000000): string[] {
  return Array.from({ length: count }, (_, n) => `+255${base + n}`);
}

/** The callback routers' intake straight onto Redis (no spool): for tests of what a callback does. */
export function directIntake(messaging: Messaging): Pick<CallbackIntake, 'deliveryReport' | 'optOut'> {
  return {
    deliveryReport: (form) => messaging.applyDeliveryReport(form),
    optOut: async (form) => ((await messaging.applyOptOut(form)) ? 'applied' : 'ignored'),
  };
}

/** The most recipients (or `count` of each call) handed to the provider within any window of `windowMs`. */
export function busiestWindow(calls: ProviderCall[], windowMs = 1000, count: (call: ProviderCall) => number = (call) => call.sms.to.length): number {
  return busiestWindowOf(calls.map((call) => ({ t: call.at, n: count(call) })), windowMs);
}

/**
 * Several messaging modules on one Redis (as many processes of one gateway) for one test: `build`
 * makes them, `start` starts their workers, `stop` (in afterEach) stops the workers and closes them.
 */
export class ModulePool {
  private modules: TestMessaging[] = [];
  private stops: Array<() => Promise<void>> = [];

  build(count: number, label: string, provider: SmsProvider, config: Partial<MessagingConfig>, workers: MessagingOptions['workers'] = { sweepIntervalMs: 60_000, bulkConcurrency: 2, priorityConcurrency: 2 }): TestMessaging[] {
    const keys = createKeys(uniquePrefix(label));
    const built = Array.from({ length: count }, () => buildMessaging(provider, config, { keys, workers }));
    this.modules.push(...built);
    return built;
  }

  async start(modules: TestMessaging[]): Promise<void> {
    for (const built of modules) this.stops.push(await built.messaging.startWorkers());
  }

  async stop(): Promise<void> {
    for (const stop of this.stops) await stop();
    for (const built of this.modules) await built.messaging.close();
    this.modules = [];
    this.stops = [];
  }
}
