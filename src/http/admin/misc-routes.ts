/** Dashboard statistics and the local outbox. */
import { funnelGraph, funnelRows, registrationStats, type DashboardStats } from '../../organiser/stats';
import { AppError } from '../../kernel/errors';
import { attendance } from '../../checkin/checkin';
import type { AdminDeps, LateResultsListing } from './admin-deps';
import { route, type RouteDef } from './route';
import { createReadCache } from '../../organiser/read-cache';
import { OutboxQuery, StatsQuery } from './schemas';
import type { DashboardExtras } from '../../organiser/dashboard';
import { phoneParam } from './delegate-routes';

/** The dashboard figures of a pack are computed at most once per this many ms, however often asked for. */
export const STATS_CACHE_MS = 5000;

export function miscRoutes(deps: AdminDeps): RouteDef[] {
  const statsCache = createReadCache<DashboardStats & Partial<DashboardExtras>>(STATS_CACHE_MS);
  return [
    route({
      method: 'get', path: '/stats', tag: 'stats', access: 'read', perPack: true, query: StatsQuery,
      summary: "The pack's registrations, attendance (invitees, check-ins per day), USSD funnel (in flow order), SMS delivery and cost, per-minute series over the last `minutes` and USSD sessions by network, for the dashboard",
      errors: ['EVENT.NOT_FOUND'],
      handle: ({ pack, query }): Promise<DashboardStats & Partial<DashboardExtras>> => statsCache.get(`${pack}\u0000${query.minutes}`, async () => {
        const [event, { items }, funnel, sms, late, networks, invitees] = await Promise.all([
          deps.agenda.get(pack),
          deps.delegates.list(pack),
          deps.ussdFunnel(pack),
          deps.smsStats ? deps.smsStats(pack) : Promise.resolve(null),
          deps.lateResults ? deps.lateResults(pack) : Promise.resolve(null),
          deps.networkStats ? deps.networkStats(pack) : Promise.resolve(null),
          deps.invitees ? deps.invitees.list(pack) : Promise.resolve({ total: 0, items: [] }),
        ]);
        const registeredPhones = new Set(items.map((d) => d.phone));
        const extras = deps.dashboard ? await deps.dashboard(pack, items, query.minutes) : {};
        const screens = deps.ussdScreens?.(pack);
        const present = deps.engage ? await attendance(deps.engage.checkins, pack, event.days.map((d) => d.date), registeredPhones) : null;
        return {
          registrations: registrationStats(items, event.utcOffset),
          attendance: {
            invited: invitees.total,
            registered: items.length,
            invitedRegistered: invitees.items.filter((i) => registeredPhones.has(i.phone)).length,
            // Registered delegates checked in on at least one day (null when check-in is not running).
            checkedIn: present ? present.checkedInAtLeastOnce : null,
            ...(present ? { days: present.days, checkedInAtLeastOnce: present.checkedInAtLeastOnce } : {}),
          },
          ussd: { funnel: funnelRows(funnel, screens), ...(screens ? { graph: funnelGraph(funnel, screens) } : {}), ...(late ? { late: late.counts } : {}) },
          sms,
          ...(networks ? { networks } : {}),
          ...extras,
        };
      }),
    }),
    route({
      method: 'get', path: '/ussd/late-results', tag: 'stats', access: 'read', perPack: true,
      summary: 'USSD actions that passed their deadline: counts (late, recovered, lost), those still waiting for a result, and the recent recovered and lost ones',
      handle: async ({ pack }): Promise<LateResultsListing> => {
        if (!deps.lateResults) return { counts: { late: 0, recovered: 0, lost: 0 }, open: [], finished: [] };
        return deps.lateResults(pack);
      },
    }),
    route({
      method: 'get', path: '/system', tag: 'system', access: 'read',
      summary: 'How this gateway runs its queue workers (SERVICE_MODE, WORKER_LAYOUT), the supervised worker child\'s state, pid, restarts and last death, the settings that govern SMS throughput, and the queue-worker processes on this Redis with the stored layout of each (running, or waiting for workers of another layout to stop)',
      errors: ['HTTP.NOT_FOUND'],
      handle: async () => {
        if (!deps.system) throw new AppError('HTTP.NOT_FOUND', 'This gateway does not report its system status.');
        return deps.system();
      },
    }),
    route({
      method: 'get', path: '/outbox', tag: 'outbox', access: 'read', summary: 'Messages in the local outbox (SMS_PROVIDER=outbox only)', query: OutboxQuery,
      errors: ['OUTBOX.NOT_FOUND', 'VALIDATION.PHONE'],
      handle: async ({ query }) => {
        if (!deps.outbox) throw new AppError('OUTBOX.NOT_FOUND', "No outbox: this gateway sends through Africa's Talking. The outbox exists only with SMS_PROVIDER=outbox.");
        const items = await deps.outbox({ limit: query.limit, ...(query.phone ? { phone: phoneParam(query.phone) } : {}), ...(query.sinceId ? { sinceId: query.sinceId } : {}) });
        return { items };
      },
    }),
  ];
}
