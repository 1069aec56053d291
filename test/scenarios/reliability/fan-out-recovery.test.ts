/**
 * A fan-out that dies half way is finished by its retry, at once: the two places where a process
 * can die between two writes of the fan-out, reproduced in-process on the real pipeline (outbox
 * provider, test Redis). A worker process killed at random rarely lands in these windows.
 */
import { Queue } from 'bullmq';
import { createFanout } from '../../../src/broadcasts/broadcast-fanout.bullmq';
import { createBroadcastService, type BroadcastDeps } from '../../../src/broadcasts/broadcast-service';
import { createBroadcastStore } from '../../../src/broadcasts/broadcasts.redis';
import { createLogger } from '../../../src/kernel/logger';
import { closeRedis, createRedis, type RedisClient } from '../../../src/infra/redis/client';
import { MAX_RECIPIENTS } from '../../../src/sms/outbound/outbound-pipeline';
import { QUEUE_NAMES } from '../../../src/sms/outbound/queues.bullmq';
import { MAX_WAVE } from '../../../src/broadcasts/broadcast-service';
import { eventually, startGatewayStack, type GatewayStack } from '../../support/gateway-stack';
import { testRedisUrl } from '../../support/redis';

const phones = (count: number, from = 0): string[] => Array.from({ length: count }, (_, i) => `+2557160${String(from + i).padStart(5, '0')}`);

describe('fan-out recovery', () => {
  let stack: GatewayStack;
  const connections: RedisClient[] = [];
  const closers: Array<() => Promise<void>> = [];
  beforeEach(async () => { stack = await startGatewayStack({ workers: false }); });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await stack.close();
    for (const connection of connections.splice(0)) await closeRedis(connection);
  });

  function connect(role: 'command' | 'blocking'): RedisClient {
    const connection = createRedis({ url: testRedisUrl(), commandTimeoutMs: 2000, name: 'fan-out-test', role });
    connections.push(connection);
    return connection;
  }

  it('queues the batches again when the first enqueue died between the ledger and the jobs', async () => {
    const { messaging } = stack.gateway.services;
    const request = { idempotencyKey: 'fan-out-orphan', text: 'Taarifa', to: phones(30) };
    const first = await messaging.outbound.enqueueMany(request);
    // The process "died" right after the ledger write: its batch jobs never reached the queue.
    const bulk = new Queue(QUEUE_NAMES.bulk, { connection: connect('command'), prefix: stack.gateway.keys.queuePrefix });
    closers.push(() => bulk.close());
    await bulk.drain(true);
    expect(await bulk.getWaitingCount()).toBe(0);

    const retried = await messaging.outbound.enqueueMany(request);
    expect(retried.messageId).toBe(first.messageId);
    await messaging.startWorkers();
    // Without the fix only the sweeper's orphan check (2 minutes) would queue them again.
    const counts = await eventually(async () => {
      const now = await messaging.countsByGroup(first.messageId);
      return now && now.queued === 0 && now.sending === 0 ? now : undefined;
    }, 15_000, 'the retried enqueue to be sent');
    expect(counts.sent + counts.delivered).toBe(30);
  });

  it('refuses one message over MAX_RECIPIENTS with a coded error, and broadcast waves stay below it', async () => {
    expect(MAX_WAVE).toBeLessThanOrEqual(MAX_RECIPIENTS);
    const to = Array.from({ length: MAX_RECIPIENTS + 1 }, (_, i) => `+2557${String(20_000_000 + i).padStart(8, '0')}`);
    await expect(stack.gateway.services.messaging.outbound.enqueueMany({ idempotencyKey: 'too-many', text: 'x', to })).rejects.toMatchObject({ code: 'SMS.TOO_MANY_RECIPIENTS' });
  });

  it('schedules the next wave when the wave before it died after recording its progress', async () => {
    const services = stack.gateway.services;
    for (const phone of phones(120, 500)) {
      await services.delegates.register('egov2015', { phone, name: 'Mjumbe', institution: 'eGA', institutionType: 'agency', cohort: '1', language: 'sw', channel: 'import' }, stack.clock.now());
    }
    // The service reads the rate for its wave size (5/s -> waves of 50), then once per wave for the
    // next wave's delay, right after recording the wave's progress: the "crash" is thrown there.
    let reads = 0;
    const settings = {
      quietHours: null, timeZone: 'Africa/Dar_es_Salaam', pricePerSegment: 22, currency: 'TZS', defaultLanguage: 'sw' as const, senderId: undefined,
      get ratePerSecond(): number {
        reads += 1;
        if (reads === 2) throw new Error('the process died between recording wave 0 and scheduling wave 1');
        return reads === 1 ? 5 : 1000;
      },
    };
    const deps: BroadcastDeps = {
      keys: stack.gateway.keys, packId: 'egov2015',
      delegates: services.delegates, reminders: services.reminders, agenda: services.agenda, suppression: services.messaging.suppression,
      outbound: services.messaging.outbound, ledger: services.messaging, clock: stack.clock, logger: createLogger('silent'), settings,
    };
    const store = createBroadcastStore(stack.gateway.redis, stack.gateway.keys);
    const broadcasts = createBroadcastService(deps, { store, fanout: createFanout(deps, store, connect('command')) });
    closers.push(() => broadcasts.close());
    const { broadcast } = await broadcasts.create({ audience: { all: true }, messages: { sw: 'Taarifa kwa wote' }, urgent: true }, 'fan-out-waves');
    expect(broadcast.total).toBe(120);
    await services.messaging.startWorkers();
    const stop = broadcasts.startWorker(connect('blocking'));
    closers.push(stop);
    const done = await eventually(async () => {
      const status = await broadcasts.get(broadcast.id);
      return status && status.progress === 1 && status.counts.queued === 0 && status.counts.sending === 0 ? status : undefined;
    }, 20_000, 'every wave to be fanned out and sent');
    expect(reads).toBeGreaterThanOrEqual(2);
    expect(done.counts.sent + done.counts.delivered).toBe(120);
  }, 30_000);
});
