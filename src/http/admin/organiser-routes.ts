/** Sign-in (recorded), the opt-out list with opt-in, and the audit trail with its CSV export. */
import { AppError } from '../../kernel/errors';
import type { AdminDeps } from './admin-deps';
import { phoneParam } from './delegate-routes';
import { route, sendCsv, type RouteDef } from './route';
import { AuditQuery, InboxReplyBody, OptInBody, OptOutQuery } from './schemas';

export function organiserRoutes(deps: AdminDeps): RouteDef[] {
  const suppression = () => {
    const list = deps.suppression;
    if (!list?.list) throw new AppError('OUTBOX.NOT_FOUND', 'The opt-out list is not available on this gateway.');
    return { list, read: list.list.bind(list) };
  };
  const audit = () => {
    if (!deps.audit) throw new AppError('OUTBOX.NOT_FOUND', 'The audit trail is not available on this gateway.');
    return deps.audit;
  };
  return [
    route({
      method: 'post', path: '/sign-in', tag: 'audit', access: 'read', summary: 'Records a sign-in to the console in the audit trail; answers the token\'s role and fingerprint',
      handle: async ({ res }) => {
        res.locals.auditAction = 'login';
        return { role: res.locals.role as string, fingerprint: (res.locals.fingerprint as string | undefined) ?? '' };
      },
    }),
    route({
      method: 'get', path: '/opt-outs', tag: 'opt-outs', access: 'read', summary: 'Numbers that opted out of SMS (newest first), with source and time; search by digits', query: OptOutQuery,
      errors: ['OUTBOX.NOT_FOUND'],
      handle: async ({ query }) => suppression().read({ ...(query.search ? { search: query.search } : {}), offset: query.offset, limit: query.limit }),
    }),
    route({
      method: 'post', path: '/opt-outs/:phone/opt-in', tag: 'opt-outs', access: 'write', summary: 'Opts a number back in (every source cleared); the reason goes to the audit trail', body: OptInBody,
      errors: ['OUTBOX.NOT_FOUND', 'VALIDATION.PHONE', 'DELEGATE.NOT_FOUND'],
      handle: async ({ params, body, res }) => {
        const phone = phoneParam(params.phone);
        if (!(await suppression().list.unsuppress(phone))) throw new AppError('DELEGATE.NOT_FOUND', `${phone} is not on the opt-out list.`);
        res.locals.auditAction = 'opt-in';
        res.locals.auditDetail = body.reason;
        return { phone, optedIn: true };
      },
    }),
    route({
      method: 'get', path: '/messages/skipped', tag: 'opt-outs', access: 'read', perPack: true,
      summary: 'Recipients the gateway did not send to, and why (opted_out, rate_capped, budget_exhausted, invalid_number, duplicate), over the pack\'s newest 500 messages; numbers masked for viewers',
      errors: ['OUTBOX.NOT_FOUND'],
      handle: async ({ pack, role }) => {
        if (!deps.skipped) throw new AppError('OUTBOX.NOT_FOUND', 'The message ledger is not available on this gateway.');
        return deps.skipped(pack, { mask: role !== 'admin' });
      },
    }),
    route({
      method: 'get', path: '/inbox', tag: 'inbox', access: 'read', perPack: true, summary: 'Inbound SMS no keyword handled (newest first), with when an organiser replied',
      errors: ['OUTBOX.NOT_FOUND'],
      handle: async ({ pack }) => {
        if (!deps.inbox) throw new AppError('OUTBOX.NOT_FOUND', 'The inbox is not available on this gateway.');
        return { items: await deps.inbox.list(pack) };
      },
    }),
    route({
      method: 'post', path: '/inbox/:id/reply', tag: 'inbox', access: 'write', perPack: true, body: InboxReplyBody,
      summary: 'Replies to an inbound SMS through the normal outbound pipeline (the per-phone cap and opt-outs apply; a skipped reply answers 422 with the reason)',
      errors: ['OUTBOX.NOT_FOUND', 'BROADCAST.UNPROCESSABLE'],
      handle: async ({ params, body, pack, res }) => {
        const message = deps.inbox && deps.reply ? await deps.inbox.get(params.id ?? '') : undefined;
        if (!deps.inbox || !deps.reply || !message) throw new AppError('OUTBOX.NOT_FOUND', `No inbound message ${params.id ?? ''} in the inbox.`);
        const at = deps.clock.now().toISOString();
        const result = await deps.reply({ to: message.from, text: body.text, purpose: 'reply', idempotencyKey: `inbox-reply:${message.id}:${at}`, inboundTriggered: true, ...(pack ? { packId: pack } : {}) });
        if (result.state === 'skipped') throw new AppError('BROADCAST.UNPROCESSABLE', `The reply was not sent: ${result.reason}.`, [{ path: 'reason', message: result.reason }]);
        await deps.inbox.markReplied(message.id, at);
        res.locals.auditDetail = body.text.slice(0, 120);
        return { messageId: result.messageId, repliedAt: at };
      },
    }),
    route({
      method: 'get', path: '/audit', tag: 'audit', access: 'write', summary: 'Admin actions, newest first: who (role and token fingerprint), what, on what, when (admin tokens only)', query: AuditQuery,
      errors: ['OUTBOX.NOT_FOUND'],
      handle: async ({ query }) => ({ items: await audit().list({ limit: query.limit, ...(query.action ? { action: query.action } : {}) }) }),
    }),
    route({
      method: 'get', path: '/audit.csv', tag: 'audit', access: 'write', summary: 'The audit trail as CSV (admin tokens only)', produces: 'text/csv',
      errors: ['OUTBOX.NOT_FOUND'],
      handle: async ({ res }) => { sendCsv(res, 'kiungo-audit.csv', await audit().csv()); },
    }),
  ];
}
