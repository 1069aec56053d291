/**
 * The SMPP part: submit_sm per second from the SMPP provider to an SMSC on loopback built with the
 * same library (answers at once), at windows 1, the configured SMPP_WINDOW and 50 with the pace
 * off, then at the configured window and SMPP_RATE_PER_SECOND to show the pace holds; and the whole
 * pipeline (ledger, lanes, one in-process worker) over SMPP at the configured window.
 * `--smpp-messages N` (default 5000), `--window W` (default SMPP_WINDOW or 10).
 */
import { loadConfig } from '../../src/config/load';
import { createMetrics } from '../../src/kernel/metrics';
import { createKeys } from '../../src/infra/redis/keys';
import { createLogger } from '../../src/kernel/logger';
import { startPrivateRedis } from '../../src/infra/redis/private-redis';
import { openOutboundStores } from '../../src/compose/sms-outbound';
import { createMessaging } from '../../src/sms/outbound/outbound-module';
import { SmppSmsProvider } from '../../src/providers/smpp/smpp-sms-provider';
import { createRouteChain } from '../../src/sms/outbound/route-chain';
import { startSmsc } from '../../test/support/smpp-server';
import type { BenchOptions, BenchPart } from './types';

const silent = createLogger('silent');
const phones = (count: number): string[] => Array.from({ length: count }, (_, n) => `+255${712000000 + n}`);

async function withProvider<T>(window: number, ratePerSecond: number, use: (provider: SmppSmsProvider) => Promise<T>): Promise<T> {
  const smsc = await startSmsc();
  const provider = new SmppSmsProvider({
    url: smsc.url, systemId: 'kiungo', password: 'secret12', sourceAddr: 'KIUNGO', window, ratePerSecond,
    enquireLinkMs: 30_000, responseTimeoutMs: 10_000, bindWaitMs: 5_000, logger: silent,
  });
  provider.start();
  try {
    return await use(provider);
  } finally {
    await provider.stop();
    await smsc.close();
  }
}

/** `messages` single-part submits in calls of 100 recipients, one call after another. */
async function providerRun(window: number, ratePerSecond: number, messages: number): Promise<Record<string, number>> {
  return withProvider(window, ratePerSecond, async (provider) => {
    await provider.link.waitBound(5000);
    const to = phones(messages);
    let accepted = 0;
    const started = performance.now();
    for (let start = 0; start < messages; start += 100) {
      const outcome = await provider.send({ to: to.slice(start, start + 100), message: 'Mkutano unaanza saa 3 asubuhi.', bulk: true });
      if (outcome.kind === 'per_recipient') accepted += outcome.recipients.filter((r) => r.result === 'accepted').length;
    }
    const ms = performance.now() - started;
    return { window, ratePerSecond, messages, accepted, ms: Math.round(ms), submitsPerSecond: Math.round((accepted / ms) * 1000) };
  });
}

/** One broadcast of `messages` recipients through the ledger and one in-process worker, over SMPP. */
async function pipelineRun(redisUrl: string, window: number, messages: number): Promise<Record<string, number>> {
  return withProvider(window, 10_000, async (provider) => {
    const config = loadConfig({ SMS_RATE_PER_SECOND: '10000', SMS_BATCH_SIZE: '100', LOG_LEVEL: 'silent' });
    const keys = createKeys(`bench-smpp-${window}`);
    const chain = createRouteChain([{ name: 'smpp', provider }], { failures: 3, openMs: 30_000, logger: silent });
    const messaging = createMessaging({
      config: config.messaging, stores: openOutboundStores({ redisUrl, commandTimeoutMs: 10_000, keys, config: config.messaging, logger: silent }),
      logger: silent, metrics: createMetrics({ defaultMetrics: false }), provider: chain, workers: { sweepIntervalMs: 600_000 },
    });
    const stop = await messaging.startWorkers();
    try {
      const started = performance.now();
      const { messageId } = await messaging.outbound.enqueueMany({ idempotencyKey: `bench-smpp-${window}`, text: 'Mkutano unaanza saa 3 asubuhi.', to: phones(messages) });
      for (;;) {
        const counts = await messaging.countsByGroup(messageId);
        if (counts && counts.queued === 0 && counts.sending === 0) {
          const ms = performance.now() - started;
          return { window, messages, sent: counts.sent + counts.delivered, uncertain: counts.uncertain, failed: counts.failed, ms: Math.round(ms), recipientsPerSecond: Math.round(((counts.sent + counts.delivered) / ms) * 1000) };
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await stop();
      await messaging.close();
    }
  });
}

export const smppPart: BenchPart = {
  name: 'smpp',
  description: 'submit_sm per second from the SMPP provider to a loopback SMSC by send window, the pace at SMPP_RATE_PER_SECOND, and a broadcast through the pipeline over SMPP',
  async run(options: BenchOptions) {
    const messages = Number(options.flags['smpp-messages'] ?? 5000);
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    const configured = Number(options.flags.window ?? config.smpp?.window ?? 10);
    const configuredRate = config.smpp?.ratePerSecond ?? 100;
    const byWindow: Array<Record<string, number>> = [];
    for (const window of [...new Set([1, configured, 50])]) {
      options.log(`smpp: ${messages} submits at window ${window}, pace off`);
      byWindow.push(await providerRun(window, 100_000, messages));
    }
    options.log(`smpp: ${Math.min(messages, configuredRate * 5)} submits at window ${configured}, ${configuredRate}/s`);
    const paced = await providerRun(configured, configuredRate, Math.min(messages, configuredRate * 5));
    const redis = await startPrivateRedis({ appendOnly: false, label: 'bench-smpp' });
    try {
      options.log(`smpp: a ${messages}-recipient broadcast through the pipeline at window ${configured}`);
      const pipeline = await pipelineRun(redis.url, configured, messages);
      return {
        setup: 'SMPP provider and SMSC (smpp library, answers at once) in this process on loopback; calls of 100 recipients one after another; pipeline: one in-process worker, bulk concurrency 2, SMS_RATE_PER_SECOND=10000, redis-server without AOF',
        configuredWindow: configured, configuredRatePerSecond: configuredRate, byWindow, paced, pipeline,
      };
    } finally {
      await redis.stop();
    }
  },
};
