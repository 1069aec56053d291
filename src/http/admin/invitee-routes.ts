/** Invitee routes (per pack): the invitation list, imported as JSON rows or CSV, and read back. */
import { importInvitees, inviteeRowsFromCsv } from '../../organiser/invitee-import';
import { AppError } from '../../kernel/errors';
import type { InviteeRepository } from '../../event/invitees';
import type { AdminDeps } from './admin-deps';
import { route, type RouteDef } from './route';
import { CsvImportBody, InviteeListQuery, InviteesBody } from './schemas';

export function inviteeRoutes(deps: AdminDeps): RouteDef[] {
  const store = (): InviteeRepository => {
    if (!deps.invitees) throw new AppError('EVENT.NOT_FOUND', 'This gateway keeps no invitation list.');
    return deps.invitees;
  };
  const importDeps = async (packId: string) => ({ invitees: store(), packId, event: await deps.agenda.get(packId), clock: deps.clock });
  return [
    route({
      method: 'get', path: '/invitees', tag: 'invitees', access: 'read', perPack: true, summary: 'The invitation list (paged, by name)', query: InviteeListQuery,
      errors: ['EVENT.NOT_FOUND'],
      handle: async ({ query, pack }) => ({ ...(await store().list(pack, query)), offset: query.offset, limit: query.limit }),
    }),
    route({
      method: 'post', path: '/invitees', tag: 'invitees', access: 'write', perPack: true,
      summary: 'Invite people (phone, name with title, institution, institutionType, cohort): valid rows are stored (a phone already invited is updated), the others reported by row',
      body: InviteesBody,
      errors: ['VALIDATION.CSV', 'EVENT.NOT_FOUND'],
      handle: async ({ body, pack }) => importInvitees(await importDeps(pack), body.invitees.map((values, index) => ({ row: index + 1, values }))),
    }),
    route({
      method: 'post', path: '/invitees/import', tag: 'invitees', access: 'write', perPack: true,
      summary: 'Invite people from CSV (phone,name,institution,institutionType,cohort; at most 5000 rows): valid rows are stored, the others reported by line',
      body: CsvImportBody, csvBody: true,
      errors: ['VALIDATION.CSV', 'EVENT.NOT_FOUND'],
      handle: async ({ body, pack }) => importInvitees(await importDeps(pack), inviteeRowsFromCsv(body.csv)),
    }),
  ];
}
