/**
 * A broadcast's progress counts are one read of its group's counts (kept by the ledger scripts
 * that create and move its entries), and they equal a full recount of its ledger messages after a
 * broadcast with provider failures, uncertain answers and opt-outs, plain and personalised.
 */
import { createFanout } from '../../src/broadcasts/broadcast-fanout.bullmq';
import { createBroadcastService, type BroadcastDeps } from '../../src/broadcasts/broadcast-service';
import { createBroadcastStore } from '../../src/broadcasts/broadcasts.redis';
import { sumGroups } from '../../src/broadcasts/broadcast-progress';
import { createLogger } from '../../src/kernel/logger';
import { closeRedis, createRedis, type RedisClient } from '../../src/infra/redis/client';
import type { SendOutcome } from '../../src/sms/outbound/sms-provider';
import { eventually, startGatewayStack, type GatewayStack } from '../support/gateway-stack';
import { testRedisUrl } from '../support/redis';
import { accepted, FakeProvider } from '../sms/outbound/helpers';

const phones = (count: number, from = 0): string[] => Array.from({ length: count }, (_, i) => `+2557170${String(from + i).padStart(5, '0')}`);

describe('broadcast progress counts', () => {
  let stack: GatewayStack;
  const connections: RedisClient[] = [];
  const closers: Array<() => Promise<void>> = [];
  const provider = new FakeProvider((sms, call): SendOutcome => ({
    kind: 'per_recipient',
    recipients: sms.to.map((number, n) => {
      if (number.endsWith('3')) return { number, result: 'failed_permanent', reason: 'InvalidPhoneNumber', statusCode: 403 };
      if (number.endsWith('7')) return { number, result: 'uncertain', reason: 'not in answer' };
      return accepted(number, `ATXid_${call}_${n}`);
    }),
  }));
  beforeEach(async () => { stack = await startGatewayStack({ workers: false, provider }); });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await stack.close();
    for (const connection of connections.splice(0)) await closeRedis(connection);
  });

  function connect(role: 'command' | 'blocking'): RedisClient {
    const connection = createRedis({ url: testRedisUrl(), commandTimeoutMs: 2000, name: 'progress-counts-test', role });
    connections.push(connection);
    return connection;
  }

  it.each([
    ['plain', { sw: 'Taarifa kwa wote', en: 'News for everyone' }],
    ['personalised', { sw: 'Habari {name}, karibu.', en: 'Hello {name}, welcome.' }],
  ])('%s: the one-read counts equal a full recount, and reading them reads no message', async (_kind, messages) => {
    const services = stack.gateway.services;
    for (const [n, phone] of phones(130).entries()) {
      await services.delegates.register('egov2015', { phone, name: `Mjumbe${n}`, institution: 'eGA', institutionType: 'agency', cohort: '1', language: n % 3 === 0 ? 'en' : 'sw', channel: 'import' }, stack.clock.now());
    }
    let groupReads = 0;
    let rateReads = 0;
    const ledger = {
      countsByGroup: (id: string) => { groupReads += 1; return services.messaging.countsByGroup(id); },
      listByGroup: services.messaging.listByGroup,
    };
    const deps: BroadcastDeps = {
      keys: stack.gateway.keys, packId: 'egov2015',
      delegates: services.delegates, reminders: services.reminders, agenda: services.agenda, suppression: services.messaging.suppression,
      outbound: services.messaging.outbound, ledger, clock: stack.clock, logger: createLogger('silent'),
      settings: {
        quietHours: null, timeZone: 'Africa/Dar_es_Salaam', pricePerSegment: 22, currency: 'TZS', defaultLanguage: 'sw' as const, senderId: undefined,
        // Read first for the wave size (5/s: waves of 50, so three waves, several ledger groups per
        // language), then for the delay to the next wave (1000/s: no wait).
        get ratePerSecond(): number { rateReads += 1; return rateReads === 1 ? 5 : 1000; },
      },
    };
    const store = createBroadcastStore(stack.gateway.redis, stack.gateway.keys);
    const broadcasts = createBroadcastService(deps, { store, fanout: createFanout(deps, store, connect('command')) });
    closers.push(() => broadcasts.close());
    const { broadcast } = await broadcasts.create({ audience: { all: true }, messages, urgent: true }, `progress-${_kind}`);
    expect(broadcast.total).toBe(130);
    // Opted out after the broadcast was created: skipped `opted_out` in the ledger when fanned out.
    for (const phone of phones(4, 40)) await services.messaging.suppression.suppress(phone, 'keyword');
    await services.messaging.startWorkers();
    closers.push(broadcasts.startWorker(connect('blocking')));
    const done = await eventually(async () => {
      const status = await broadcasts.get(broadcast.id);
      return status && status.progress === 1 && status.counts.queued === 0 && status.counts.sending === 0 ? status : undefined;
    }, 30_000, 'every wave fanned out and sent');
    expect(groupReads).toBe(0);
    const groups = await store.groups(broadcast.id);
    expect(groups.length).toBeGreaterThanOrEqual(_kind === 'plain' ? 6 : 130);
    const recount = await sumGroups(ledger, groups);
    expect(done.counts).toEqual(recount);
    // 4 opted out (one of them ends in 3), 12 failed, 13 uncertain, the rest sent.
    expect(done.counts).toMatchObject({ skipped: 4, failed: 12, uncertain: 13, sent: 101, queued: 0, sending: 0, cancelled: 0 });
  }, 60_000);
});
