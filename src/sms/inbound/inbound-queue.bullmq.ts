/**
 * Inbound SMS go through a queue: the webhook stores the message under its AT id and adds a job
 * whose id is that AT id, so a retried callback is handled once. The job carries only the id.
 */
import { jobId } from '../../infra/redis/job-id';
import { Queue, Worker } from 'bullmq';
import { QUEUES, TTL, type Keys } from '../../infra/redis/keys';
import type { Logger } from '../../kernel/logger';
import type { RedisClient } from '../../infra/redis/client';
import { watchWorker } from '../../infra/redis/worker-watchdog';
import type { InboundSms, InboundSmsService } from './inbound-sms-service';

export const INBOUND_QUEUE = QUEUES.inboundSms;
const KEEP_S = TTL.inboundSmsDedupeS;

export interface InboundQueue {
  /** Stores and queues a message; resolves false when its id was queued before. */
  accept(sms: InboundSms): Promise<boolean>;
  close(): Promise<void>;
}

export function inboundMessageKey(keys: Keys, id: string): string {
  return keys.inbound.message(id);
}

export function createInboundQueue(connection: RedisClient, redis: RedisClient, keys: Keys, logger: Logger): InboundQueue {
  const queue = new Queue(INBOUND_QUEUE, { connection, prefix: keys.queuePrefix });
  // Without a listener a Redis restart prints raw stacks; the webhook already answers 503 then.
  queue.on('error', (error) => logger.warn({ err: error.message }, 'inbound queue error'));
  return {
    async accept(sms) {
      const key = inboundMessageKey(keys, sms.id);
      const fresh = await redis.set(key, JSON.stringify(sms), 'EX', KEEP_S, 'NX');
      const id = jobId('in', sms.id);
      // Add even when the message was stored before: a crash between store and add must not lose it.
      const job = await queue.add('inbound', { id: sms.id }, {
        jobId: id,
        attempts: 5,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: KEEP_S },
        removeOnFail: { age: KEEP_S },
      });
      return fresh === 'OK' && job.id === id;
    },
    close: () => queue.close(),
  };
}

/** The worker that runs inbound messages through the keyword service. */
export function startInboundWorker(connection: RedisClient, redis: RedisClient, keys: Keys, service: InboundSmsService, logger: Logger): () => Promise<void> {
  const create = (): Worker<{ id: string }> => {
    const worker = new Worker<{ id: string }>(
    INBOUND_QUEUE,
    async (job) => {
      const raw = await redis.get(inboundMessageKey(keys, job.data.id));
      if (!raw) {
        logger.warn({ smsId: job.data.id }, 'inbound SMS expired before handling');
        return { skipped: true };
      }
      return service.handle(JSON.parse(raw) as InboundSms);
    },
    { connection, prefix: keys.queuePrefix, concurrency: 4 },
    );
    worker.on('failed', (job, error) => logger.error({ err: error.message, smsId: job?.data.id, attempts: job?.attemptsMade }, 'inbound SMS job failed'));
    worker.on('error', (error) => logger.warn({ err: error.message }, 'inbound worker error'));
    return worker;
  };
  const queue = new Queue(INBOUND_QUEUE, { connection: redis, prefix: keys.queuePrefix });
  queue.on('error', () => undefined);
  const watched = watchWorker({ name: 'inbound-sms', create, ready: async () => Object.values(await queue.getJobCounts('waiting', 'prioritized')).reduce((sum, n) => sum + n, 0), logger });
  return async () => {
    await watched.close();
    await queue.close().catch(() => undefined);
  };
}
