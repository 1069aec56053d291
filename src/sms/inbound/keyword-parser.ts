/**
 * Reads an inbound SMS as a keyword command, forgivingly: any case, extra spaces and punctuation,
 * and one wrong, missing, extra or swapped letter in keywords of five letters or more. The
 * language of the reply is the language of the keyword as written.
 */
import type { Language } from '../../engine';
import type { KeywordCommand, KeywordTable } from '../../packs/pack-schema';

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

/** Optimal string alignment distance, capped: returns early once it exceeds `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((d[i - 1]?.[j] ?? 0) + 1, (d[i]?.[j - 1] ?? 0) + 1, (d[i - 1]?.[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (d[i - 2]?.[j - 2] ?? 0) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return d[a.length]?.[b.length] ?? max + 1;
}

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
    for (const lang of ['sw', 'en'] as const) for (const candidate of words[lang]) entries.push({ command, lang, word: candidate });
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
