/**
 * Which pack an inbound SMS is for. First the short code it was sent to (AT's `to`): the packs
 * that claim it, or every pack when none does. Among those, a leading pack keyword picks one
 * (`EGOV2016 RATIBA 1`, the government mobile platform's KEYWORD SUBKEYWORD PARAM form) and the
 * rest of the text is read as a command; without one, the only pack or the default pack takes
 * it. When that leaves a choice, the sender is asked to name a pack: a message is never dropped.
 */
import type { EventPack } from '../../event/event-pack';
import type { KeywordTable, PackSms } from '../../packs/pack-schema';
import { firstWord } from './keyword-parser';

/** A pack as inbound SMS sees it: flows, command words and its SMS side. */
export interface InboundPack {
  pack: EventPack;
  keywords: KeywordTable;
  /** Absent: the pack claims no short code and has no pack keyword. */
  sms?: PackSms;
}

export type PackRoute =
  | { kind: 'pack'; entry: InboundPack; text: string; byKeyword: boolean }
  | { kind: 'choose'; keywords: string[] };

/** Routes `text` sent to `shortCode` among `packs`; pure. */
export function routeToPack(packs: readonly InboundPack[], shortCode: string, text: string): PackRoute {
  const claiming = packs.filter((entry) => entry.sms?.shortCodes.includes(shortCode.trim()) ?? false);
  const candidates = claiming.length > 0 ? claiming : packs;
  const { word, rest } = firstWord(text.normalize('NFKC'));
  const named = word === '' ? undefined : candidates.find((entry) => entry.sms?.keyword === word);
  if (named) return { kind: 'pack', entry: named, text: rest, byKeyword: true };
  const defaults = candidates.filter((entry) => entry.sms?.default === true);
  const only = candidates.length === 1 ? candidates[0] : defaults.length === 1 ? defaults[0] : undefined;
  if (only) return { kind: 'pack', entry: only, text, byKeyword: false };
  return { kind: 'choose', keywords: candidates.flatMap((entry) => (entry.sms?.keyword ? [entry.sms.keyword] : [])).sort() };
}

/** The bilingual answer to a message that names no pack where several answer (GSM-7). */
export function choosePackText(keywords: readonly string[]): string {
  const list = keywords.join(', ');
  const example = keywords[0] ?? 'NENO';
  return `Tafadhali anza kwa neno la huduma: ${list}. Mfano: ${example} RATIBA / Please start with a service word: ${list}, e.g. ${example} AGENDA`;
}
