/** Flow releases from the CLI: list the versions, upload a pack folder, stage, promote, roll back. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ReleaseListing, ReleaseRecord } from '../../src/releases/release-types';
import type { ApiClient } from './cli-api';
import type { CliIo } from './cli-io';

export const RELEASE_USAGE = `  releases                        the pack's versions: live, staged (and to whom), earlier ones, who released each
  release DIR [--stage PHONES]    upload the pack folder DIR as a new version (checked by flows:check first);
                                  --stage +2557...,+2557... serves it to those phones only
  stage VERSION --stage PHONES    serve VERSION to those phones only
  unstage                         stop staging
  promote [VERSION]               make the staged version (or VERSION) live for everyone
  rollback [VERSION]              make the previous live version (or VERSION) live again`;

/** The YAML files of a pack folder, by name. */
export function folderFiles(dir: string): Record<string, string> {
  if (!statSync(dir).isDirectory()) throw Object.assign(new Error(`${dir} is not a folder (give the pack folder, e.g. flows/egov2015)`), { code: 'ENOENT' });
  return Object.fromEntries(readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => [n, readFileSync(path.join(dir, n), 'utf8')]));
}

/** "+2557...,+2557..." -> the phones. */
export function phoneList(text: string | undefined): string[] | undefined {
  const phones = (text ?? '').split(/[\s,;]+/).filter(Boolean);
  return phones.length > 0 ? phones : undefined;
}

function who(record: Pick<ReleaseRecord, 'by'>): string {
  return `${record.by.label} (${record.by.role})`;
}

/** Prints the listing: one line per version, newest first, the live and staged ones marked. */
export function printListing(io: CliIo, listing: ReleaseListing): void {
  io.out(`Pack ${listing.packId}: live ${listing.live}${listing.staged ? `, staged ${listing.staged.version} to ${listing.staged.phones.length} phone(s): ${listing.staged.phones.join(' ')}` : ''}`);
  for (const v of listing.versions)
    io.out(`  ${v.version}  ${v.status.padEnd(8)}  ${v.createdAt}  ${v.source === 'flows_dir' ? 'FLOWS_DIR' : 'upload'} by ${who(v)}  ${v.nodes} nodes`);
  const last = listing.history[0];
  if (last) io.out(`Last change: ${last.action} ${last.version} at ${last.at} by ${who(last)}.`);
}

export async function runRelease(api: ApiClient, io: CliIo, command: string, args: string[], stage: string | undefined): Promise<void> {
  const phones = phoneList(stage);
  const version = args[0];
  switch (command) {
    case 'releases':
      return printListing(io, await api.call<ReleaseListing>('GET', '/releases'));
    case 'release': {
      if (!version) throw new Error('release needs the pack folder');
      const result = await api.call<{ release: ReleaseRecord; created: boolean; listing: ReleaseListing }>('POST', '/releases', { json: { files: folderFiles(version), ...(phones ? { stage: { phones } } : {}) } });
      io.out(`${result.created ? 'Stored' : 'Already stored'}: version ${result.release.version} (passes flows:check).`);
      return printListing(io, result.listing);
    }
    case 'stage':
      if (!version || !phones) throw new Error('stage needs VERSION and --stage PHONES');
      return printListing(io, await api.call<ReleaseListing>('POST', `/releases/${encodeURIComponent(version)}/stage`, { json: { phones } }));
    case 'unstage':
      return printListing(io, await api.call<ReleaseListing>('DELETE', '/releases/staged'));
    case 'promote':
    case 'rollback':
      return printListing(io, await api.call<ReleaseListing>('POST', `/releases/${command}`, { json: version ? { version } : {} }));
    default:
      throw new Error(`unknown command '${command}'`);
  }
}

export const RELEASE_COMMANDS = new Set(['releases', 'release', 'stage', 'unstage', 'promote', 'rollback']);
