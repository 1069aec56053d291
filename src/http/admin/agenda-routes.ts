/** Agenda routes (per pack): the whole event, its sessions as CSV, and one session at a time. */
import { sessionsToCsv } from '../../organiser/agenda-csv';
import { createAgendaEditor } from '../../organiser/agenda-editor';
import { EventSchema } from '../../event/event-schema';
import type { AdminDeps } from './admin-deps';
import { route, sendCsv, type RouteDef } from './route';
import { CsvImportBody, SessionCreateBody, SessionPatchBody } from './schemas';

export function agendaRoutes(deps: AdminDeps): RouteDef[] {
  const editor = (packId: string) => createAgendaEditor({ agenda: deps.agenda, packId, onAgendaChanged: deps.onAgendaChanged, logger: deps.logger });
  return [
    route({ method: 'get', path: '/agenda', tag: 'agenda', access: 'read', perPack: true, summary: 'The live event (days, themes, cohorts, sessions)', errors: ['EVENT.NOT_FOUND'], handle: ({ pack }) => editor(pack).get() }),
    route({
      method: 'put', path: '/agenda', tag: 'agenda', access: 'write', perPack: true, summary: 'Replace the whole event (422 with details when invalid)',
      body: EventSchema, invalidBodyCode: 'AGENDA.UNPROCESSABLE',
      errors: ['EVENT.NOT_FOUND'],
      handle: ({ body, pack }) => editor(pack).replace(body),
    }),
    route({
      method: 'get', path: '/agenda.csv', tag: 'agenda', access: 'read', perPack: true, summary: 'Sessions as CSV', produces: 'text/csv',
      errors: ['EVENT.NOT_FOUND'],
      handle: async ({ res, pack }) => { sendCsv(res, `agenda-${pack}.csv`, sessionsToCsv(await editor(pack).get())); },
    }),
    route({
      method: 'post', path: '/agenda/import', tag: 'agenda', access: 'write', perPack: true,
      summary: 'Replace the sessions from CSV (code,day,start,end,title_sw,title_en,short_sw,short_en,speaker,room,theme); all or nothing',
      body: CsvImportBody, csvBody: true,
      errors: ['AGENDA.UNPROCESSABLE', 'EVENT.NOT_FOUND'],
      handle: ({ body, pack }) => editor(pack).importSessions(body.csv),
    }),
    route({
      method: 'post', path: '/agenda/sessions', tag: 'agenda', access: 'write', perPack: true, summary: 'Add a session', body: SessionCreateBody,
      responses: { '201': 'Session added' },
      errors: ['SESSION.CONFLICT', 'AGENDA.UNPROCESSABLE', 'EVENT.NOT_FOUND'],
      handle: async ({ body, res, pack }) => { res.status(201); return editor(pack).addSession(body); },
    }),
    route({
      method: 'patch', path: '/agenda/sessions/:code', tag: 'agenda', access: 'write', perPack: true, summary: 'Change a session (reminders follow)', body: SessionPatchBody,
      errors: ['SESSION.NOT_FOUND', 'AGENDA.UNPROCESSABLE', 'EVENT.NOT_FOUND'],
      handle: ({ body, params, pack }) => editor(pack).patchSession(params.code ?? '', body),
    }),
    route({
      method: 'delete', path: '/agenda/sessions/:code', tag: 'agenda', access: 'write', perPack: true, summary: 'Remove a session',
      errors: ['SESSION.NOT_FOUND', 'AGENDA.UNPROCESSABLE', 'EVENT.NOT_FOUND'],
      handle: ({ params, pack }) => editor(pack).deleteSession(params.code ?? ''),
    }),
  ];
}
