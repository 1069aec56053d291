/**
 * Reads an inbound SMS as a keyword command, forgivingly: any case, extra spaces and punctuation,
 * and one wrong, missing, extra or swapped letter in keywords of five letters or more. The
 * language of the reply is the language of the keyword as written.
 */
import { LANGUAGES } from '../../kernel/language';
import type { Language } from '../../engine';
import type { KeywordCommand, KeywordTable } from '../../packs/pack-schema';
import { editDistance } from '../../kernel/text/edit-distance';

export interface ParsedCommand {
  command: KeywordCommand;
  /** Language the keyword belongs to. */
  lang: Language;
  /** The keyword as recognised (from the table). */
  word: string;
  /** Everything after the keyword, trimmed, original case kept. */
  args: string;
  /** True when the keyword matched only with a one-letter typo. */
  fuzzy: boolean;
}

export { editDistance };

const LEADING_JUNK = /^[\s\p{P}\p{S}]+/u;

/** Splits off the first word (letters/digits, upper-cased) of a message; the rest keeps its case. */
export function firstWord(text: string): { word: string; rest: string } {
  const cleaned = text.replace(LEADING_JUNK, '');
  const match = /^([\p{L}\p{N}]+)[\s\p{P}\p{S}]*([\s\S]*)$/u.exec(cleaned);
  return { word: (match?.[1] ?? '').toUpperCase(), rest: (match?.[2] ?? '').trim() };
}

/** The command in `text`, or null when the first word is no keyword of the table. */
export function parseKeyword(text: string, table: KeywordTable): ParsedCommand | null {
  const { word, rest } = firstWord(text.normalize('NFKC'));
  if (!word) return null;
  const entries: Array<{ command: KeywordCommand; lang: Language; word: string }> = [];
  for (const [command, words] of Object.entries(table.commands) as Array<[KeywordCommand, { sw: string[]; en: string[] }]>) {
    for (const lang of LANGUAGES) for (const candidate of words[lang]) entries.push({ command, lang, word: candidate });
  }
  const exact = entries.find((e) => e.word === word);
  if (exact) return { ...exact, args: rest, fuzzy: false };
  if (word.length < 4) return null;
  const close = entries.filter((e) => e.word.length >= 5 && editDistance(e.word, word, 1) <= 1);
  const commands = new Set(close.map((e) => e.command));
  if (close.length === 0 || commands.size > 1) return null;
  const best = close[0] as (typeof close)[number];
  return { ...best, args: rest, fuzzy: true };
}
