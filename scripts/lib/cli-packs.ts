/** `packs`, and `--pack`: which packs (services) a token may see, and calls scoped to one of them. */
import type { PackSummary } from '../../src/http/admin/packs';
import type { ApiClient } from './cli-api';
import type { CliIo } from './cli-io';

/** `path` with `?pack=<id>` (or `&pack=`) added; `path` unchanged when no pack is given. */
export function withPack(path: string, pack: string | undefined): string {
  if (pack === undefined) return path;
  return `${path}${path.includes('?') ? '&' : '?'}pack=${encodeURIComponent(pack)}`;
}

/** The same client, each call about `pack`; without a pack the API picks one (the token's only pack, else the default). */
export function scopedToPack(api: ApiClient, pack: string | undefined): ApiClient {
  return { call: (method, path, options) => api.call(method, withPack(path, pack), options) };
}

/** Prints one line per pack the token may see, in the API's order (the gateway's default first). */
export async function listPacks(api: ApiClient, io: CliIo): Promise<void> {
  const packs = await api.call<PackSummary[]>('GET', '/packs');
  if (packs.length === 0) { io.out('This token may see no pack.'); return; }
  const width = Math.max(...packs.map((pack) => pack.id.length));
  for (const pack of packs) {
    const sms = pack.shortCodes.length > 0 ? pack.shortCodes.join(' ') : '-';
    io.out(`${pack.id.padEnd(width)}  ${pack.name.en}${pack.sample ? ' (sample data)' : ''}  USSD ${pack.serviceCodes.join(' ') || '-'}  SMS ${sms}${pack.keyword ? ` keyword ${pack.keyword}` : ''}`);
  }
  io.out(packs.length === 1 ? 'Commands work on this pack.' : "Name one with --pack ID (or KIUNGO_PACK); without it, commands work on the gateway's default pack.");
}
