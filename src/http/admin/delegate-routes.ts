/** Delegate routes (per pack): search, look up, export, import, erase. */
import { delegatesToCsv, importDelegatesCsv } from '../../organiser/delegate-csv';
import { delegateSearchTerm } from '../../organiser/delegate-search';
import { maskPhone, normalisePhone } from '../../kernel/phone';
import { AppError } from '../../kernel/errors';
import type { AdminDeps } from './admin-deps';
import { route, sendCsv, type RouteDef } from './route';
import { CsvImportBody, DelegateListQuery } from './schemas';

/** The phone of a path, in any common form, as E.164; VALIDATION.PHONE otherwise. */
/** express has decoded the path once; a second decoding is tried only when it is well formed. */
function decodedOnceMore(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export function phoneParam(raw: string | undefined): string {
  const phone = normalisePhone(decodedOnceMore(raw ?? ''));
  if (!phone.ok) throw new AppError('VALIDATION.PHONE', `'${raw ?? ''}' is not a mobile number (${phone.reason}); use e.g. +255712345678 or 0712345678.`);
  return phone.e164;
}

export function delegateRoutes(deps: AdminDeps): RouteDef[] {
  const { delegates } = deps;
  return [
    route({
      method: 'get', path: '/delegates', tag: 'delegates', access: 'read', perPack: true, summary: 'Search delegates (paged)', query: DelegateListQuery,
      handle: async ({ query, pack: packId }) => {
        const search = query.search === undefined ? {} : { search: delegateSearchTerm(query.search) };
        return { ...(await delegates.list(packId, { ...query, ...search })), offset: query.offset, limit: query.limit };
      },
    }),
    route({
      method: 'get', path: '/delegates.csv', tag: 'delegates', access: 'read', perPack: true, summary: 'Export every delegate as CSV (spreadsheet-safe)', produces: 'text/csv',
      handle: async ({ res, pack: packId, role }) => {
        const { items } = await delegates.list(packId);
        sendCsv(res, `delegates-${packId}.csv`, delegatesToCsv(role === 'admin' ? items : items.map((d) => ({ ...d, phone: maskPhone(d.phone) }))));
      },
    }),
    route({
      method: 'post', path: '/delegates/import', tag: 'delegates', access: 'write', perPack: true, summary: 'Import delegates from CSV (phone,name,institution,institutionType,cohort,language)',
      body: CsvImportBody, csvBody: true,
      errors: ['VALIDATION.CSV', 'EVENT.NOT_FOUND'],
      handle: async ({ body, pack: packId }) => importDelegatesCsv({ delegates, packId, event: await deps.agenda.get(packId), clock: deps.clock }, body.csv),
    }),
    route({
      method: 'get', path: '/delegates/:phone', tag: 'delegates', access: 'read', perPack: true, summary: 'One delegate and their reminders',
      errors: ['VALIDATION.PHONE', 'DELEGATE.NOT_FOUND'],
      handle: async ({ params, pack: packId }) => {
        const phone = phoneParam(params.phone);
        const delegate = await delegates.get(packId, phone);
        if (!delegate) throw new AppError('DELEGATE.NOT_FOUND', 'No delegate is registered with that phone number.');
        return { ...delegate, reminders: await deps.reminders.listForPhone(packId, phone) };
      },
    }),
    route({
      method: 'delete', path: '/delegates/:phone', tag: 'delegates', access: 'write', perPack: true, summary: 'Erase a delegate on request (data protection): registration, reminders, USSD sessions and stored messages go; ledger entries keep a masked number',
      errors: ['VALIDATION.PHONE', 'DELEGATE.NOT_FOUND'],
      handle: async ({ params, req, pack: packId }) => {
        const phone = phoneParam(params.phone);
        if (!(await delegates.get(packId, phone))) throw new AppError('DELEGATE.NOT_FOUND', 'No delegate is registered with that phone number.');
        if (deps.erasePerson) await deps.erasePerson(packId, phone);
        else {
          await delegates.erase(packId, phone);
          await deps.reminders.removeAll(packId, phone);
        }
        req.log.info({ phone }, 'delegate erased on request');
        return { erased: true };
      },
    }),
  ];
}
