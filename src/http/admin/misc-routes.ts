/** Dashboard statistics and the local outbox. */
import { funnelRows, registrationStats, type DashboardStats } from '../../organiser/stats';
import { AppError } from '../../kernel/errors';
import type { AdminDeps } from './admin-deps';
import { route, type RouteDef } from './route';
import { OutboxQuery } from './schemas';
import { phoneParam } from './delegate-routes';

export function miscRoutes(deps: AdminDeps): RouteDef[] {
  return [
    route({
      method: 'get', path: '/stats', tag: 'stats', access: 'read', perPack: true, summary: "The pack's registrations, USSD funnel, and SMS delivery and cost, for the dashboard",
      errors: ['EVENT.NOT_FOUND'],
      handle: async ({ pack }): Promise<DashboardStats> => {
        const [event, { items }, funnel, sms] = await Promise.all([
          deps.agenda.get(pack),
          deps.delegates.list(pack),
          deps.ussdFunnel(pack),
          deps.smsStats ? deps.smsStats(pack) : Promise.resolve(null),
        ]);
        return { registrations: registrationStats(items, event.utcOffset), ussd: { funnel: funnelRows(funnel, deps.ussdScreens?.(pack)) }, sms };
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
