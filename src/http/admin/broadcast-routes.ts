/** Broadcast routes (per pack): a thin layer over each pack's BroadcastService. */
import type { z } from 'zod';
import type { BroadcastDraft, BroadcastService } from '../../broadcasts/broadcast-types';
import { AppError } from '../../kernel/errors';
import type { AdminDeps } from './admin-deps';
import { parseCsv } from '../../kernel/text/csv';
import { readMergeSheet } from '../../broadcasts/merge-sheet';
import { phoneParam } from './delegate-routes';
import { route, sendCsv, type RouteDef } from './route';
import { BroadcastListQuery, DraftBody, ReportCsvQuery, ResendBody, TestSendBody } from './schemas';

const IDEMPOTENCY_KEY = /^[\w.:-]{8,128}$/;

const HEADER_WORDS = ['phone', 'simu', 'namba', 'number', 'msisdn', 'mobile'];

/**
 * Entries of a pasted list or CSV: the `phone` column of the latest header row (a row naming
 * phone, simu, namba, number, msisdn or mobile), else the first cell. Header rows are skipped;
 * every other non-empty entry is kept, so a bad one is counted and shown, never dropped unseen.
 */
export function phonesFromCsv(text: string): string[] {
  let column = 0;
  const entries: string[] = [];
  for (const row of parseCsv(text)) {
    const cells = row.cells.map((c) => c.trim().toLowerCase());
    const named = cells.findIndex((c) => HEADER_WORDS.includes(c));
    if (named >= 0) { column = named; continue; }
    const cell = (row.cells[column] ?? '').trim().replace(/^'/, '');
    if (cell !== '') entries.push(cell);
  }
  return entries;
}

/** Most phones one broadcast may list (JSON list and pasted CSV together). */
export const MAX_LISTED_PHONES = 50_000;

/** The port's draft from a request body: `phonesCsv` folded into `audience.phones`. */
export function toDraft(body: z.output<typeof DraftBody>): BroadcastDraft {
  const { phonesCsv, mergeCsv, ...audience } = body.audience;
  const sheet = mergeCsv ? readMergeSheet(mergeCsv, [body.messages.sw, body.messages.en]) : undefined;
  const phones = [...(audience.phones ?? []), ...(phonesCsv ? phonesFromCsv(phonesCsv) : []), ...(sheet?.phones ?? [])];
  // The same bound as a list given as JSON, counted before anything is looked up.
  if (phones.length > MAX_LISTED_PHONES)
    throw new AppError('VALIDATION.FAILED', `At most ${MAX_LISTED_PHONES} phones in one list; split it into several broadcasts.`, [{ path: 'audience.phonesCsv', message: `${phones.length} phones` }]);
  const empty = !audience.all && !audience.cohorts?.length && !audience.institutionTypes?.length && !audience.sessions?.length && phones.length === 0 && !audience.notCheckedIn;
  if (sheet && sheet.phones.length === 0 && empty)
    throw new AppError('VALIDATION.FAILED', 'No row of the merge sheet can be sent; details give each row\'s line and reason.', sheet.merge.invalid.slice(0, 50).map((r) => ({ line: r.line, path: r.phone, message: r.reason })));
  if (empty && !sheet) throw new AppError('VALIDATION.FAILED', 'Choose an audience: all, cohorts, institution types, sessions, a list of phones or notCheckedIn.', [{ path: 'audience', message: 'empty audience' }]);
  return { ...body, audience: { ...audience, ...(phones.length > 0 ? { phones } : {}) }, ...(sheet ? { merge: sheet.merge } : {}) };
}

export function broadcastRoutes(deps: AdminDeps): RouteDef[] {
  const service = (pack: string): BroadcastService => {
    if (!deps.broadcasts) throw new AppError('BROADCAST.UNAVAILABLE', 'Broadcasting is not available on this gateway yet (no broadcast service is running).');
    return deps.broadcasts.forPack(pack);
  };
  /** The service after checking the broadcast exists, so an unknown id is a clean 404. */
  const existing = async (pack: string, id: string | undefined): Promise<BroadcastService> => {
    const broadcasts = service(pack);
    if (!id || !(await broadcasts.get(id))) throw new AppError('BROADCAST.NOT_FOUND', `No broadcast with id ${id ?? ''} in pack ${pack}.`);
    return broadcasts;
  };
  const action = (verb: 'pause' | 'resume' | 'cancel'): RouteDef =>
    route({
      method: 'post', path: `/broadcasts/:id/${verb}`, tag: 'broadcasts', access: 'write', perPack: true, summary: `${verb[0]?.toUpperCase()}${verb.slice(1)} a broadcast`,
      errors: ['BROADCAST.UNAVAILABLE', 'BROADCAST.NOT_FOUND', 'BROADCAST.CONFLICT'],
      handle: async ({ params, pack }) => (await existing(pack, params.id))[verb](params.id ?? ''),
    });
  return [
    route({
      method: 'post', path: '/broadcasts/preview', tag: 'broadcasts', access: 'write', perPack: true, summary: 'Audience size, encoding, segments, cost and quiet hours of a draft',
      body: DraftBody, errors: ['BROADCAST.UNAVAILABLE'], handle: ({ body, pack }) => service(pack).preview(toDraft(body)),
    }),
    route({
      method: 'post', path: '/broadcasts/test-send', tag: 'broadcasts', access: 'write', perPack: true, summary: 'Send the draft to one phone now (ignores quiet hours)',
      body: TestSendBody, errors: ['BROADCAST.UNAVAILABLE', 'VALIDATION.PHONE', 'BROADCAST.UNPROCESSABLE'], handle: ({ body, pack }) => service(pack).testSend(toDraft(body.draft), phoneParam(body.phone)),
    }),
    route({
      method: 'post', path: '/broadcasts', tag: 'broadcasts', access: 'write', perPack: true, summary: 'Create (schedule or send) a broadcast; the same Idempotency-Key returns the same one',
      body: DraftBody,
      headers: [{ name: 'Idempotency-Key', required: true, description: '8-128 letters, digits or . _ : -; repeat it when retrying' }],
      responses: { '201': 'Created', '200': 'Already created with this Idempotency-Key' },
      // 409: another request with the same key is still creating it (send the same request again).
      errors: ['BROADCAST.UNAVAILABLE', 'VALIDATION.IDEMPOTENCY_KEY', 'BROADCAST.CONFLICT'],
      handle: async ({ body, req, res, pack }) => {
        const key = req.get('idempotency-key');
        if (!key || !IDEMPOTENCY_KEY.test(key)) throw new AppError('VALIDATION.IDEMPOTENCY_KEY', 'Send an Idempotency-Key header (8-128 letters, digits or . _ : -) and repeat it when retrying.');
        const { broadcast, created } = await service(pack).create(toDraft(body), key);
        res.status(created ? 201 : 200);
        return broadcast;
      },
    }),
    route({
      method: 'get', path: '/broadcasts', tag: 'broadcasts', access: 'read', perPack: true, summary: 'Recent broadcasts, newest first', query: BroadcastListQuery,
      errors: ['BROADCAST.UNAVAILABLE'],
      handle: async ({ query, pack }) => ({ items: await service(pack).list(query.limit) }),
    }),
    route({ method: 'get', path: '/broadcasts/:id', tag: 'broadcasts', access: 'read', perPack: true, summary: 'A broadcast\'s state and progress', errors: ['BROADCAST.UNAVAILABLE', 'BROADCAST.NOT_FOUND'], handle: async ({ params, pack }) => (await existing(pack, params.id)).get(params.id ?? '') }),
    action('pause'),
    action('resume'),
    action('cancel'),
    route({
      method: 'post', path: '/broadcasts/:id/send-now', tag: 'broadcasts', access: 'write', perPack: true, summary: 'Send a scheduled broadcast, or one held by quiet hours, now',
      errors: ['BROADCAST.UNAVAILABLE', 'BROADCAST.NOT_FOUND', 'BROADCAST.CONFLICT'],
      handle: async ({ params, pack }) => (await existing(pack, params.id)).sendNow(params.id ?? ''),
    }),
    route({
      method: 'post', path: '/broadcasts/:id/resend', tag: 'broadcasts', access: 'write', perPack: true, summary: 'Queue the failed or uncertain recipients again', body: ResendBody,
      errors: ['BROADCAST.UNAVAILABLE', 'BROADCAST.NOT_FOUND'],
      handle: async ({ params, body, pack }) => (await existing(pack, params.id)).resend(params.id ?? '', body.which),
    }),
    route({ method: 'get', path: '/broadcasts/:id/report', tag: 'broadcasts', access: 'read', perPack: true, summary: 'Delivery report (JSON)', errors: ['BROADCAST.UNAVAILABLE', 'BROADCAST.NOT_FOUND'], handle: async ({ params, pack }) => (await existing(pack, params.id)).report(params.id ?? '') }),
    route({
      method: 'get', path: '/broadcasts/:id/report.csv', tag: 'broadcasts', access: 'read', perPack: true, summary: 'Every recipient as CSV', query: ReportCsvQuery, produces: 'text/csv',
      errors: ['BROADCAST.UNAVAILABLE', 'BROADCAST.NOT_FOUND'],
      handle: async ({ params, query, role, res, pack }) => {
        const csv = await (await existing(pack, params.id)).reportCsv(params.id ?? '', { maskPhones: role !== 'admin' || query.mask === 'true' });
        sendCsv(res, `broadcast-${params.id ?? ''}.csv`, csv);
      },
    }),
  ];
}

