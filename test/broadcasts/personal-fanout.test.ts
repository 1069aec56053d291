/**
 * A personalised broadcast's fan-out queues its recipients in batches: a wave that died in the
 * middle of a batch is finished by its retry, and nobody gets the message twice (each recipient's
 * message is keyed by broadcast and phone), on the real pipeline (outbox provider, test Redis).
 */
import { createFanout } from '../../src/broadcasts/broadcast-fanout.bullmq';
import { createBroadcastService, type BroadcastDeps } from '../../src/broadcasts/broadcast-service';
import { createBroadcastStore } from '../../src/broadcasts/broadcasts.redis';
import { createLogger } from '../../src/kernel/logger';
import { closeRedis, createRedis, type RedisClient } from '../../src/infra/redis/client';
import { listOutbox } from '../../src/providers/outbox/outbox.redis';
import type { OutboundRequest } from '../../src/sms/outbound/outbound-port';
import { eventually, startGatewayStack, type GatewayStack } from '../support/gateway-stack';
import { testRedisUrl } from '../support/redis';

const phones = (count: number, from = 0): string[] => Array.from({ length: count }, (_, i) => `+2557160${String(from + i).padStart(5, '0')}`);

describe('personalised fan-out', () => {
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
    const connection = createRedis({ url: testRedisUrl(), commandTimeoutMs: 2000, name: 'personal-fan-out-test', role });
    connections.push(connection);
    return connection;
  }

  it('a personalised wave that died half way through a batch is finished by its retry, nobody queued twice', async () => {
    const services = stack.gateway.services;
    for (const [n, phone] of phones(510, 700).entries()) {
      await services.delegates.register('egov2015', { phone, name: `Mjumbe${n}`, institution: 'eGA', institutionType: 'agency', cohort: '1', language: 'sw', channel: 'import' }, stack.clock.now());
    }
    const real = services.messaging.outbound;
    let batches = 0;
    // The first batch records and queues half its recipients, then the process "dies".
    const outbound = {
      enqueue: real.enqueue, enqueueMany: real.enqueueMany,
      async enqueueEach(requests: OutboundRequest[]) {
        batches += 1;
        if (batches > 1) return real.enqueueEach(requests);
        await real.enqueueEach(requests.slice(0, Math.floor(requests.length / 2)));
        throw new Error('the process died in the middle of a batch');
      },
    };
    const deps: BroadcastDeps = {
      keys: stack.gateway.keys, packId: 'egov2015',
      delegates: services.delegates, reminders: services.reminders, agenda: services.agenda, suppression: services.messaging.suppression,
      outbound, ledger: services.messaging, clock: stack.clock, logger: createLogger('silent'),
      settings: { quietHours: null, timeZone: 'Africa/Dar_es_Salaam', pricePerSegment: 22, currency: 'TZS', defaultLanguage: 'sw', senderId: undefined, ratePerSecond: 1000 },
    };
    const store = createBroadcastStore(stack.gateway.redis, stack.gateway.keys);
    const broadcasts = createBroadcastService(deps, { store, fanout: createFanout(deps, store, connect('command')) });
    closers.push(() => broadcasts.close());
    const { broadcast } = await broadcasts.create({ audience: { all: true }, messages: { sw: 'Habari {name}, karibu.' }, urgent: true }, 'fan-out-personal');
    expect(broadcast.total).toBe(510);
    await services.messaging.startWorkers();
    closers.push(broadcasts.startWorker(connect('blocking')));
    const done = await eventually(async () => {
      const status = await broadcasts.get(broadcast.id);
      return status && status.progress === 1 && status.counts.queued === 0 && status.counts.sending === 0 ? status : undefined;
    }, 60_000, 'the personalised wave to be retried and sent');
    expect(batches).toBeGreaterThanOrEqual(2);
    expect(done.counts.sent + done.counts.delivered).toBe(510);
    const sent = (await listOutbox(stack.gateway.redis, stack.gateway.keys, { limit: 2000 })).filter((m) => m.message.startsWith('Habari Mjumbe'));
    expect(sent).toHaveLength(510);
    expect(new Set(sent.map((m) => m.to)).size).toBe(510);
    expect(new Set(sent.map((m) => m.message)).size).toBe(510);
  }, 90_000);
});
