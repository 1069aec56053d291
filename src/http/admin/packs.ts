/**
 * The packs an admin token may see and the pack a request is about. Every pack-scoped route takes
 * `?pack=<id>`; without it the token's only pack is used, else the gateway's default pack.
 */
import { AppError } from '../../kernel/errors';
import type { AdminDeps } from './admin-deps';
import { route, type RouteDef } from './route';

/** One pack as `GET /packs` lists it (and the console's pack switcher shows it). */
export interface PackSummary {
  id: string;
  name: { sw: string; en: string };
  serviceCodes: string[];
  shortCodes: string[];
  /** The pack keyword on a shared short code (`EGOV2016 RATIBA`); null when it has none. */
  keyword: string | null;
  /** True when the pack's event is sample data. */
  sample: boolean;
}

/** The packs of `all` a token limited to `allowed` may see (all of them when `allowed` is absent). */
export function visiblePacks(all: readonly PackSummary[], allowed: readonly string[] | undefined): PackSummary[] {
  return allowed === undefined ? [...all] : all.filter((pack) => allowed.includes(pack.id));
}

/**
 * The pack id a request is about; throws PACK.NOT_FOUND (404) for an unknown pack and
 * AUTH.FORBIDDEN (403) for one the token may not see, each saying which packs it may use.
 */
export function resolvePack(deps: Pick<AdminDeps, 'packs' | 'defaultPack'>, allowed: readonly string[] | undefined, asked: string | undefined): string {
  const visible = visiblePacks(deps.packs, allowed).map((p) => p.id);
  const choice = asked ?? (visible.length === 1 ? visible[0] : deps.defaultPack);
  const mayUse = visible.length > 0 ? `this token may use: ${visible.join(', ')}` : 'this token may use none of them';
  if (choice === undefined || !deps.packs.some((p) => p.id === choice))
    throw new AppError('PACK.NOT_FOUND', `No pack '${choice ?? ''}' on this gateway (packs: ${deps.packs.map((p) => p.id).join(', ')}).`);
  if (!visible.includes(choice)) throw new AppError('AUTH.FORBIDDEN', `This token may not use pack '${choice}'; ${mayUse}${asked === undefined ? ' (name one with ?pack=)' : ''}.`);
  return choice;
}

export function packRoutes(deps: AdminDeps): RouteDef[] {
  return [
    route({
      method: 'get', path: '/packs', tag: 'packs', access: 'read', summary: 'The packs (services) this token may see, the default pack first, for ?pack= on the other routes',
      handle: async ({ packs }) => visiblePacks(deps.packs, packs).sort((a, b) => Number(b.id === deps.defaultPack) - Number(a.id === deps.defaultPack)),
    }),
  ];
}
