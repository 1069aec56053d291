/**
 * The admin API on the real app with real Redis stores under a unique prefix, the sample pack's
 * event, a fixed clock and the fake broadcast service.
 */
import { join } from 'node:path';
import type express from 'express';
import { createRedisAgendaStore } from '../../../../src/event/agenda.redis';
import { createRedisDelegateStore } from '../../../../src/event/delegates.redis';
import { createRedisInviteeStore } from '../../../../src/event/invitees.redis';
import { createRedisReminderStore } from '../../../../src/reminders/reminders.redis';
import type { EventData } from '../../../../src/event/event-schema';
import { createAdminRouter, type AdminDeps } from '../../../../src/http/admin/admin-router';
import { createApp } from '../../../../src/http/app';
import { createMetrics } from '../../../../src/kernel/metrics';
import { createKeys } from '../../../../src/infra/redis/keys';
import { createLogger } from '../../../../src/kernel/logger';
import { closeRedis, createRedis, redisReachable, waitForReady, type RedisClient } from '../../../../src/infra/redis/client';
import { fixedClock } from '../../../../src/kernel/clock';
import type { DelegateRepository } from '../../../../src/event/delegates';
import type { ReminderRepository } from '../../../../src/reminders/reminders';
import { deletePrefix, testRedisUrl, uniquePrefix } from '../../../support/redis';
import { samplePacks } from '../../../support/ussd-stack';
import { loadPacks } from '../../../../src/packs/load';
import { packSummary } from '../../../../src/compose/packs';
import type { PackSummary } from '../../../../src/http/admin/packs';
import { createFakeBroadcasts, type FakeBroadcasts } from './fake-broadcasts';

export const ADMIN = 'admin-token-0123456789abcdef';
export const VIEWER = 'viewer-token-0123456789abcdef';
export const PACK = 'egov2015';
export const OTHER_PACK = 'egov2016';

/** The sample packs as GET /packs lists them. */
export function sampleSummaries(): PackSummary[] {
  return loadPacks(join(__dirname, '../../../../flows')).loaded.map(packSummary).sort((a, b) => a.id.localeCompare(b.id));
}

export interface AdminStack {
  app: express.Express;
  router: express.Router;
  deps: AdminDeps;
  broadcasts: FakeBroadcasts;
  delegates: DelegateRepository;
  reminders: ReminderRepository;
  agendaChanges: Array<{ pack: string; before: EventData; after: EventData }>;
  /** The pack of every broadcast call, in order. */
  broadcastPacks: string[];
  redis: RedisClient;
  close(): Promise<void>;
}

export async function createAdminStack(overrides: Partial<AdminDeps> = {}, broadcasts = createFakeBroadcasts()): Promise<AdminStack> {
  const prefix = uniquePrefix('admin');
  const keys = createKeys(prefix);
  const redis = createRedis({ url: testRedisUrl(), commandTimeoutMs: 2000, name: 'admin-test' });
  await waitForReady(redis, 3000);
  const logger = createLogger('silent');
  const packs = samplePacks();
  const delegates = createRedisDelegateStore(redis, keys);
  const reminders = createRedisReminderStore(redis, keys);
  const agenda = createRedisAgendaStore(redis, keys, new Map(packs.map((p) => [p.id, p.event])));
  const agendaChanges: AdminStack['agendaChanges'] = [];
  const broadcastPacks: string[] = [];
  const deps: AdminDeps = {
    tokens: [{ role: 'admin', token: ADMIN }, { role: 'viewer', token: VIEWER }],
    packs: sampleSummaries(), defaultPack: PACK, delegates, agenda, reminders, invitees: createRedisInviteeStore(redis, keys),
    // One fake serves every pack; `broadcastPacks` records which pack each call was for.
    broadcasts: { forPack: (packId) => { broadcastPacks.push(packId); return broadcasts; } },
    ussdFunnel: async () => ({ entries: { home: 40, register_name: 20, agenda: 12 }, dropOffs: { register_name: 5 }, completions: { register_done: 14 } }),
    smsStats: async () => ({ byState: { delivered: 30, failed: 2, queued: 1 }, cost: { currency: 'TZS', amount: 640 } }),
    onAgendaChanged: async (pack, before, after) => { agendaChanges.push({ pack, before, after }); },
    clock: fixedClock('2015-08-10T07:00:00.000Z'), logger,
    ...overrides,
  };
  const router = createAdminRouter(deps);
  const app = createApp({ logger, metrics: createMetrics({ defaultMetrics: false }), ready: () => redisReachable(redis), trustProxy: false, mounts: [{ path: '/api/v1', router }] });
  return {
    app, router, deps, broadcasts, broadcastPacks, delegates, reminders, agendaChanges, redis,
    async close() {
      await deletePrefix(redis, prefix).catch(() => undefined);
      await closeRedis(redis);
    },
  };
}
