/**
 * Flow releases (per pack): list the versions and who released them, upload a new version (the
 * pack folder's YAML files, checked by flows:check before anything is stored), stage it to a few
 * phones, promote it to everyone, roll back to any earlier version.
 */
import { z } from 'zod';
import { AppError } from '../../kernel/errors';
import type { ReleaseAdmin, ReleasedBy } from '../../releases/release-types';
import type { AdminDeps } from './admin-deps';
import { route, type RouteContext, type RouteDef } from './route';

const VERSION = /^[0-9a-f]{12}$/;
const Phones = z.array(z.string().min(1).max(40)).min(1).max(1000).describe('Phones that get the staged version (E.164 or local form); everyone else keeps the live one');

export const ReleaseUploadBody = z
  .object({
    files: z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}\.ya?ml$/), z.string().max(500_000)).describe("The pack folder's YAML files by name: pack.yaml, ussd.yaml, keywords.yaml, event.yaml, messages.<lang>.yaml"),
    stage: z.object({ phones: Phones }).strict().optional().describe('Also stage the new version to these phones'),
  })
  .strict();
export const ReleaseStageBody = z.object({ phones: Phones }).strict();
export const ReleaseMoveBody = z.object({ version: z.string().regex(VERSION).optional().describe('Default: promote the staged version / roll back to the one live before') }).strict().default({});

function versionParam(value: string | undefined): string {
  if (!value || !VERSION.test(value)) throw new AppError('VALIDATION.FAILED', 'The version is the 12-character content hash GET /releases lists.', [{ path: 'version', message: 'not a version id' }]);
  return value;
}

export function releaseRoutes(deps: AdminDeps): RouteDef[] {
  const releases = (): ReleaseAdmin => {
    if (!deps.releases) throw new AppError('RELEASE.UNAVAILABLE', 'Flow releases are not available on this gateway.');
    return deps.releases;
  };
  const by = (ctx: Pick<RouteContext<unknown, unknown>, 'role' | 'label'>): ReleasedBy => ({ role: ctx.role ?? 'unknown', label: ctx.label ?? 'unknown' });
  const moveErrors = ['RELEASE.UNAVAILABLE', 'RELEASE.NOT_FOUND', 'RELEASE.UNPROCESSABLE', 'RELEASE.CONFLICT'] as const;
  return [
    route({
      method: 'get', path: '/releases', tag: 'releases', access: 'read', perPack: true, summary: "The pack's versions (newest first, with who released them and when), the live one, the staged one and its phones, and the history of moves",
      errors: ['RELEASE.UNAVAILABLE'],
      handle: ({ pack }) => releases().list(pack),
    }),
    route({
      method: 'post', path: '/releases', tag: 'releases', access: 'write', perPack: true, summary: 'Store a new version of the pack after flows:check (and stage it to phones when asked); 201 new, 200 when the same files are stored already',
      body: ReleaseUploadBody, errors: ['RELEASE.UNAVAILABLE', 'RELEASE.UNPROCESSABLE', 'RELEASE.CONFLICT', 'VALIDATION.PHONE'], responses: { '200': 'The same version was stored before', '201': 'Stored' },
      handle: async (ctx) => {
        const result = await releases().upload(ctx.pack, ctx.body.files, by(ctx), ctx.body.stage);
        ctx.res.status(result.created ? 201 : 200);
        return result;
      },
    }),
    route({
      method: 'post', path: '/releases/:version/stage', tag: 'releases', access: 'write', perPack: true, summary: 'Serve this version to the listed phones only (replaces any staged version); their sessions already running keep their version',
      body: ReleaseStageBody, errors: [...moveErrors, 'VALIDATION.PHONE'],
      handle: async (ctx) => releases().stage(ctx.pack, versionParam(ctx.params.version), ctx.body.phones, by(ctx)),
    }),
    route({
      method: 'delete', path: '/releases/staged', tag: 'releases', access: 'write', perPack: true, summary: 'Stop staging: the staging phones get the live version again',
      errors: ['RELEASE.UNAVAILABLE', 'RELEASE.CONFLICT'],
      handle: async (ctx) => releases().unstage(ctx.pack, by(ctx)),
    }),
    route({
      method: 'post', path: '/releases/promote', tag: 'releases', access: 'write', perPack: true, summary: 'Make the staged version (or the one named) live for everyone; sessions already running finish on their version',
      body: ReleaseMoveBody, errors: [...moveErrors],
      handle: async (ctx) => releases().promote(ctx.pack, by(ctx), ctx.body.version),
    }),
    route({
      method: 'post', path: '/releases/rollback', tag: 'releases', access: 'write', perPack: true, summary: 'Make an earlier version live again (default: the one live before the current one); sessions already running finish on their version',
      body: ReleaseMoveBody, errors: [...moveErrors],
      handle: async (ctx) => releases().rollback(ctx.pack, by(ctx), ctx.body.version),
    }),
  ];
}
