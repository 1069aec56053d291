/** USSD: session snapshots, the funnel statistics and the service that routes each dial by service code. */
import type { EventPack } from '../event/event-pack';
import type { OutboundMessages } from '../sms/outbound/outbound-port';
import type { Erasable } from '../privacy/erasable';
import type { ActionDeps } from '../ussd/actions/types';
import { createSessionStore, type SessionStore } from '../ussd/session-store.redis';
import { createUssdService, type UssdService } from '../ussd/ussd-service';
import { createUssdStats, type UssdStats } from '../ussd/ussd-stats.redis';
import { createLateActions } from '../ussd/late-actions';
import { createLateResults, type LateResults } from '../ussd/late-results.redis';
import { createRecoveryCodes } from '../ussd/recovery-codes.redis';
import { createSessionRecovery, type SessionRecovery } from '../ussd/session-recovery';
import { createNetworkDeadlines, type NetworkDeadlines } from '../ussd/network-deadlines';
import { createRedisCallerReader } from '../event/callers.redis';
import { createHopStarter } from '../ussd/hop-start.redis';
import type { EventStores } from './event';
import type { DashboardSeries } from '../organiser/dashboard-series.redis';
import type { Erase } from './privacy';
import type { Reminders } from './reminders';
import type { Resources } from './resources';
import type { PackCatalogue } from '../ussd/pack-catalogue';

export interface Ussd {
  service: UssdService;
  sessions: SessionStore & Erasable;
  stats: UssdStats;
  /** Late action results: counts and the organiser's listing. */
  lateResults: LateResults;
  /** Recovery dial strings after a session cut by timeout or network error. */
  recovery: SessionRecovery;
  /** Each network's hop deadline (adaptive when USSD_ADAPTIVE_MIN_DEADLINE_MS is set). */
  deadlines: NetworkDeadlines;
}

/** How often each process looks for late results that never came. */
const LATE_SWEEP_MS = 5000;

export function composeUssd(r: Resources, packs: EventPack[], stores: EventStores, outbound: OutboundMessages, reminders: Reminders, erase: Erase, catalogue?: PackCatalogue, engage?: ActionDeps['engage'], series?: DashboardSeries): Ussd {
  const { config, clock, logger } = r;
  const { delegates, reminders: subscriptions, agenda } = stores;
  // The hop's reads and writes go over their own connection, without auto-pipelining (see ConnectionRole
  // 'hop'); until it is ready (at start, or while it reconnects) they take the app's connection.
  const hopRedis = r.connect('ussd-hop', 'hop');
  const viaHop = <T extends object>(onHop: T, onApp: T): T => new Proxy(onHop, { get: (_target, name) => Reflect.get(hopRedis.status === 'ready' ? onHop : onApp, name) as unknown });
  const ttl = { sessionTtlS: config.ussd.sessionTtlS, resumeWindowS: config.ussd.resumeWindowS };
  const sessions = viaHop(createSessionStore(hopRedis, r.keys, ttl), createSessionStore(r.redis, r.keys, ttl));
  const hopStarter = createHopStarter(hopRedis, r.keys);
  const appStarter = createHopStarter(r.redis, r.keys);
  const stats = createUssdStats(r.redis, r.keys, r.metrics, logger);
  r.onClose(() => stats.close());
  const lateResults = createLateResults(r.redis, r.keys);
  const late = createLateActions({ store: lateResults, outbound, clock, logger, metrics: r.metrics });
  const sweeper = setInterval(() => void late.sweep(), LATE_SWEEP_MS);
  sweeper.unref();
  r.onClose(async () => {
    clearInterval(sweeper);
    // Late results in flight get half the shutdown grace to reach the ledger; one that does not is reported lost by the next process.
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => { timer = setTimeout(resolve, config.http.shutdownGraceMs / 2); });
    await Promise.race([late.settled(), grace]);
    clearTimeout(timer);
  });
  const recovery = createSessionRecovery({
    codes: createRecoveryCodes(r.redis, r.keys), outbound, packs, logger, metrics: r.metrics,
    windowS: config.ussd.recoveryWindowS, digits: config.ussd.recoveryCodeDigits,
  });
  const deadlines = createNetworkDeadlines({ maxMs: config.ussd.deadlineMs, minMs: config.ussd.adaptiveMinDeadlineMs });
  const service = createUssdService({
    late, recovery, hopDeadlineFor: (networkCode) => deadlines.deadlineFor(networkCode), hopDeadlineMs: config.ussd.deadlineMs, lateLostAfterMs: config.ussd.lateLostAfterS * 1000,
    packs, ...(catalogue ? { catalogue } : {}), sessions, delegates, reminders: subscriptions, agenda, callers: viaHop(createRedisCallerReader(hopRedis, r.keys), createRedisCallerReader(r.redis, r.keys)),
    ...(hopStarter && appStarter ? { starter: viaHop(hopStarter, appStarter) } : {}), stats, clock, logger,
    ...(series ? { onSessionStart: (packId: string, network: string) => series.sessionStarted(packId, network) } : {}),
    defaultLanguage: config.locale.defaultLanguage,
    lockWaitMs: Math.max(100, config.ussd.deadlineMs - 200),
    actions: { delegates, reminders: subscriptions, agenda, invitees: stores.invitees, outbound, clock, logger, onSubscriptionChanged: reminders.onSubscriptionChanged, erasePerson: erase, ...(engage ? { engage } : {}) },
  });
  return { service, sessions, stats, lateResults, recovery, deadlines };
}
