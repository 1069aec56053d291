/** USSD: session snapshots, the funnel statistics and the service that routes each dial by service code. */
import type { EventPack } from '../event/event-pack';
import type { OutboundMessages } from '../sms/outbound/outbound-port';
import type { Erasable } from '../privacy/erasable';
import { createSessionStore, type SessionStore } from '../ussd/session-store.redis';
import { createUssdService, type UssdService } from '../ussd/ussd-service';
import { createUssdStats, type UssdStats } from '../ussd/ussd-stats.redis';
import type { EventStores } from './event';
import type { DashboardSeries } from '../organiser/dashboard-series.redis';
import type { Erase } from './privacy';
import type { Reminders } from './reminders';
import type { Resources } from './resources';

export interface Ussd {
  service: UssdService;
  sessions: SessionStore & Erasable;
  stats: UssdStats;
}

export function composeUssd(r: Resources, packs: EventPack[], stores: EventStores, outbound: OutboundMessages, reminders: Reminders, erase: Erase, series?: DashboardSeries): Ussd {
  const { config, clock, logger } = r;
  const { delegates, reminders: subscriptions, agenda } = stores;
  const sessions = createSessionStore(r.redis, r.keys, { sessionTtlS: config.ussd.sessionTtlS, resumeWindowS: config.ussd.resumeWindowS });
  const stats = createUssdStats(r.redis, r.keys, r.metrics, logger);
  r.onClose(() => stats.close());
  const service = createUssdService({
    packs, sessions, delegates, reminders: subscriptions, agenda, stats, clock, logger,
    ...(series ? { onSessionStart: (packId: string, network: string) => series.sessionStarted(packId, network) } : {}),
    defaultLanguage: config.locale.defaultLanguage,
    lockWaitMs: Math.max(100, config.ussd.deadlineMs - 200),
    actions: { delegates, reminders: subscriptions, agenda, outbound, clock, logger, onSubscriptionChanged: reminders.onSubscriptionChanged, erasePerson: erase },
  });
  return { service, sessions, stats };
}
