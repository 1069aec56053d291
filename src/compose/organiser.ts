/** The organisers' tools behind the admin API: per-pack agenda, delegates, broadcasts and statistics. */
import type { BroadcastModule } from '../broadcasts/broadcast-service';
import type { AdminDeps } from '../http/admin/admin-deps';
import { createRedisAuthFailureStore } from '../http/admin/auth-failures.redis';
import { smsStats } from '../organiser/sms-stats';
import { screensInFlowOrder } from '../packs/flow-order';
import { dashboardExtras } from '../organiser/dashboard';
import { createAuditLog } from '../organiser/audit.redis';
import { createUnmatchedInbox } from '../organiser/unmatched-inbox.redis';
import { skippedMessages } from '../organiser/skipped-messages';
import type { DashboardSeries } from '../organiser/dashboard-series.redis';
import type { Delegate } from '../event/delegates';
import type { GatewayPacks } from './packs';
import type { EventStores } from './event';
import type { Erase } from './privacy';
import type { Reminders } from './reminders';
import type { Resources } from './resources';
import type { SmsOutbound } from './sms-outbound';
import type { Ussd } from './ussd';

export function composeOrganiserApi(r: Resources, parts: {
  packs: GatewayPacks; stores: EventStores; outbound: SmsOutbound; ussd: Ussd; reminders: Reminders; broadcasts: BroadcastModule; erase: Erase; series?: DashboardSeries;
}): AdminDeps {
  const { series } = parts;
  const { config } = r;
  const { messaging, outbox } = parts.outbound;
  return {
    tokens: config.security.adminTokens,
    // Failed sign-ins are counted in Redis, so every process shares one limit.
    auth: { store: createRedisAuthFailureStore(r.redis, r.keys) },
    packs: parts.packs.summaries, defaultPack: parts.packs.defaultPack,
    delegates: parts.stores.delegates, agenda: parts.stores.agenda, reminders: parts.stores.reminders,
    broadcasts: parts.broadcasts, suppression: messaging.suppression,
    audit: createAuditLog(r.redis, r.keys),
    inbox: createUnmatchedInbox(r.redis, r.keys), reply: (request) => messaging.outbound.enqueue(request),
    skipped: (packId, { mask }) => skippedMessages(messaging, packId, { mask }),
    ussdFunnel: (packId) => parts.ussd.stats.funnel(packId),
    ussdScreens: (packId) => {
      const pack = parts.packs.packs.find((p) => p.id === packId);
      return pack ? screensInFlowOrder(pack) : undefined;
    },
    ...(series ? { dashboard: (packId: string, delegates: readonly Delegate[], minutes: number) => dashboardExtras(packId, delegates, series, r.clock.now(), minutes) } : {}),
    smsStats: (packId) => smsStats(messaging, { currency: config.broadcasts.currency, pricePerSegment: config.broadcasts.pricePerSegment }, { packId }),
    ...(outbox ? { outbox } : {}),
    onAgendaChanged: (packId, before, after) => parts.reminders.scheduler.onAgendaChanged(packId, before, after),
    erasePerson: parts.erase,
    clock: r.clock, logger: r.logger,
  };
}
