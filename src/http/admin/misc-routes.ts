/** Dashboard statistics and the local outbox. */
import { funnelGraph, funnelRows, registrationStats, type DashboardStats } from '../../organiser/stats';
import { AppError } from '../../kernel/errors';
import type { AdminDeps } from './admin-deps';
import { route, type RouteDef } from './route';
import { OutboxQuery, StatsQuery } from './schemas';
import type { DashboardExtras } from '../../organiser/dashboard';
import { phoneParam } from './delegate-routes';

export function miscRoutes(deps: AdminDeps): RouteDef[] {
  return [
    route({
      method: 'get', path: '/stats', tag: 'stats', access: 'read', perPack: true, query: StatsQuery,
      summary: "The pack's registrations, USSD funnel (in flow order), SMS delivery and cost, per-minute series over the last `minutes` and USSD sessions by network, for the dashboard",
      errors: ['EVENT.NOT_FOUND'],
      handle: async ({ pack, query }): Promise<DashboardStats & Partial<DashboardExtras>> => {
        const [event, { items }, funnel, sms] = await Promise.all([
          deps.agenda.get(pack),
          deps.delegates.list(pack),
          deps.ussdFunnel(pack),
          deps.smsStats ? deps.smsStats(pack) : Promise.resolve(null),
        ]);
        const extras = deps.dashboard ? await deps.dashboard(pack, items, query.minutes) : {};
        const screens = deps.ussdScreens?.(pack);
        const ussd = { funnel: funnelRows(funnel, screens), ...(screens ? { graph: funnelGraph(funnel, screens) } : {}) };
        return { registrations: registrationStats(items, event.utcOffset), ussd, sms, ...extras };
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
