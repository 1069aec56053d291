/**
 * flows:check for one new version of a pack: the files build the pack, every check of
 * `npm run flows:check` passes on it, it keeps the pack's id, and it clashes with none of the
 * other packs the gateway serves (service codes, pack keywords, defaults). Never throws.
 */
import type { EventContext } from '../event/context';
import { checkPack, checkPackSet } from './check';
import { loadPackFiles, type LoadedPack } from './load';
import { EVENT_PACK_VOCABULARY, type PackVocabulary } from './pack-vocabulary';
import type { Problem } from './problem';

/** A checked version: `loaded` only when `problems` is empty. */
export interface ReleaseCheck<C = EventContext> {
  loaded: LoadedPack<C> | null;
  problems: Problem[];
}

/** File names a release may carry: the YAML files of a pack folder. */
export const RELEASE_FILE_NAME = /^[a-z0-9][a-z0-9._-]{0,63}\.ya?ml$/;

/**
 * Checks `files` as a new version of pack `packId` next to `others` (the versions of the other
 * packs that are live). Returns the loaded pack when there is no problem at all.
 */
export function checkRelease<C = EventContext>(
  packId: string,
  files: Record<string, string>,
  others: ReadonlyArray<Pick<LoadedPack<C>, 'pack' | 'sms'>>,
  vocabulary: PackVocabulary<C> = EVENT_PACK_VOCABULARY as unknown as PackVocabulary<C>,
): ReleaseCheck<C> {
  const problems: Problem[] = [];
  for (const name of Object.keys(files))
    if (!RELEASE_FILE_NAME.test(name)) problems.push({ code: 'FLOW.FILE_NAME', pack: packId, file: name, path: '', message: 'not a pack file name', fix: 'send only the pack folder\'s .yaml files (pack.yaml, ussd.yaml, messages.sw.yaml, ...)' });
  const built = loadPackFiles(files, packId, vocabulary);
  problems.push(...built.problems);
  const loaded = built.loaded;
  if (loaded) {
    if (loaded.pack.id !== packId)
      problems.push({ code: 'FLOW.PACK_ID', pack: packId, file: 'pack.yaml', path: 'id', message: `the files are pack '${loaded.pack.id}', not '${packId}'`, fix: `keep 'id: ${packId}' in pack.yaml (a release is a new version of one pack)` });
    problems.push(...checkPack(loaded));
    problems.push(...checkPackSet([...others.filter((o) => o.pack.id !== packId), loaded]));
  }
  return { loaded: problems.length === 0 ? loaded : null, problems };
}
