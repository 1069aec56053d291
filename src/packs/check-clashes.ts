/**
 * Problems between packs, which no single pack can show: two packs on one USSD service code, two
 * packs with one pack keyword on a short code they share, a pack keyword that is also a command
 * word there (`RATIBA` cannot name a pack), and two packs that both take the messages without a
 * pack keyword on one short code. Each problem names the file, the path and a fix.
 */
import type { LoadedPack } from './load';
import type { PackSms } from './pack-schema';
import type { Problem } from './problem';

/** What a clash check needs of a pack: its id, its service codes, its SMS side and its command words. */
export type ClashInput = Pick<LoadedPack, 'pack' | 'sms'>;

/** The pack's SMS side with the schema's defaults, also for packs whose pack.yaml has no `sms:`. */
export function smsOf(loaded: Pick<LoadedPack, 'sms'>): PackSms {
  return loaded.sms ?? { shortCodes: [], default: false };
}

function commandWords(loaded: ClashInput): Set<string> {
  return new Set(Object.values(loaded.pack.keywords).flatMap((byLang) => Object.values(byLang).flat()));
}

function serviceCodeClashes(packs: readonly ClashInput[]): Problem[] {
  const owner = new Map<string, string>();
  const problems: Problem[] = [];
  for (const { pack } of packs)
    pack.serviceCodes.forEach((code, i) => {
      const other = owner.get(code);
      if (other !== undefined) problems.push({ code: 'FLOW.DUPLICATE_CODE', pack: pack.id, file: 'pack.yaml', path: `serviceCodes[${i}]`, message: `service code ${code} is also used by pack '${other}'`, fix: 'give each pack its own code' });
      else owner.set(code, pack.id);
    });
  return problems;
}

/** Packs that answer on each short code, in the order given. */
function byShortCode(packs: readonly ClashInput[]): Map<string, ClashInput[]> {
  const map = new Map<string, ClashInput[]>();
  for (const loaded of packs) for (const code of smsOf(loaded).shortCodes) map.set(code, [...(map.get(code) ?? []), loaded]);
  return map;
}

function shortCodeClashes(shortCode: string, sharing: readonly ClashInput[]): Problem[] {
  const problems: Problem[] = [];
  const keywordOwner = new Map<string, string>();
  let defaultOwner: string | undefined;
  for (const loaded of sharing) {
    const { id } = loaded.pack;
    const sms = smsOf(loaded);
    if (sms.keyword !== undefined) {
      const other = keywordOwner.get(sms.keyword);
      if (other !== undefined) problems.push({ code: 'FLOW.PACK_KEYWORD_CLASH', pack: id, file: 'pack.yaml', path: 'sms.keyword', message: `pack keyword ${sms.keyword} is also the keyword of pack '${other}' on short code ${shortCode}`, fix: 'give each pack on a short code its own keyword, e.g. its id in capitals' });
      else keywordOwner.set(sms.keyword, id);
      for (const other of sharing)
        if (commandWords(other).has(sms.keyword))
          problems.push({ code: 'FLOW.PACK_KEYWORD_IS_COMMAND', pack: id, file: 'pack.yaml', path: 'sms.keyword', message: `pack keyword ${sms.keyword} is also a command word of pack '${other.pack.id}' (keywords.yaml) on short code ${shortCode}`, fix: 'choose a pack keyword that no command uses, e.g. the pack id in capitals' });
    }
    if (sms.default) {
      if (defaultOwner !== undefined) problems.push({ code: 'FLOW.DEFAULT_CLASH', pack: id, file: 'pack.yaml', path: 'sms.default', message: `pack '${defaultOwner}' is already the default on short code ${shortCode}`, fix: 'mark one pack per short code as default: true' });
      else defaultOwner = id;
    }
  }
  return problems;
}

/** Every clash between `packs` (empty when they can share one gateway). */
export function checkClashes(packs: readonly ClashInput[]): Problem[] {
  const problems = serviceCodeClashes(packs);
  for (const [shortCode, sharing] of byShortCode(packs)) problems.push(...shortCodeClashes(shortCode, sharing));
  return problems;
}
