/**
 * Fits screens into the budget. A screen is body paragraphs (split between pages on word
 * boundaries) followed by option lines (never split: an option is moved whole to the next page).
 * Pages other than the last end with the "more" line; every page may end with the "back" line.
 */
import { textUnits } from '../kernel/text/gsm';

export interface PageInput {
  body: string[];
  options: string[];
  /**
   * Keep every option on the first page (a menu's main action never hides behind "more"): the
   * body fills what room is left there and runs on to the next pages; the options are shown
   * again on the last page when they fit.
   */
  optionsFirst?: boolean;
}
export interface PageSettings {
  budget: number;
  moreLine: string;
  /** Shown on every page when not null. */
  backLine: string | null;
}

type Atom = { kind: 'flow' | 'fixed'; text: string };

const units = (text: string): number => textUnits(text);
const linesUnits = (lines: string[]): number =>
  lines.reduce((sum, line) => sum + units(line), 0) + Math.max(0, lines.length - 1);

/** Longest prefix of `words` that fits `room` units; at least one (possibly cut) word when room > 0. */
function takeWords(words: string[], room: number, allowCut = true): { line: string; rest: string[] } {
  let line = '';
  let index = 0;
  for (; index < words.length; index += 1) {
    const next = line === '' ? (words[index] ?? '') : `${line} ${words[index] ?? ''}`;
    if (units(next) > room) break;
    line = next;
  }
  if (index === 0 && words.length > 0 && room > 0 && allowCut) {
    // One word longer than a whole page: cut it (only organisers' data can do this).
    const word = Array.from(words[0] ?? '');
    let cut = '';
    while (word.length > 0 && (cut === '' || units(cut + (word[0] ?? '')) <= room)) cut += word.shift();
    return { line: cut, rest: [word.join(''), ...words.slice(1)].filter((w) => w !== '') };
  }
  return { line, rest: words.slice(index) };
}

/** Shortens a single line to `room` units at a word boundary, ending with "...". */
export function shorten(text: string, room: number): string {
  if (units(text) <= room) return text;
  const { line } = takeWords(text.split(' '), Math.max(1, room - 3));
  return `${line}...`;
}

/** Makes a one-page screen fit: a too-long text is cut at a word boundary with "...". */
export function fitSingle(text: string, budget: number): string {
  if (units(text) <= budget) return text;
  const lines = text.split('\n');
  const kept: string[] = [];
  for (const line of lines) {
    const room = budget - linesUnits(kept) - (kept.length > 0 ? 1 : 0);
    if (units(line) <= room) kept.push(line);
    else {
      if (room > 3) kept.push(shorten(line, room));
      break;
    }
  }
  return kept.join('\n');
}

/** Splits a screen into pages, each within budget. Always at least one page. */
export function paginate(input: PageInput, settings: PageSettings): string[] {
  if (input.optionsFirst && input.options.length > 0) {
    const first = optionsFirstPage(input, settings);
    if (first) return first;
  }
  return paginateFlow(input, settings);
}

/**
 * The pages of a menu whose options stay on page one, or undefined when the options alone do
 * not leave room for a line of body text (then the screen is paginated as usual).
 */
function optionsFirstPage(input: PageInput, settings: PageSettings): string[] | undefined {
  const lastFooter = settings.backLine === null ? [] : [settings.backLine];
  const all = [...input.body.flatMap((p) => p.split('\n')), ...input.options];
  if (linesUnits([...all, ...lastFooter]) <= settings.budget) return [[...all, ...lastFooter].join('\n')];
  const tail = [...input.options, settings.moreLine, ...lastFooter];
  const room = settings.budget - linesUnits(tail) - 1;
  if (room < 10) return undefined;
  const paragraphs = input.body.flatMap((p) => p.split('\n'));
  const lines: string[] = [];
  while (paragraphs.length > 0) {
    const text = paragraphs[0] as string;
    const free = room - linesUnits(lines) - (lines.length > 0 ? 1 : 0);
    if (units(text) <= free) {
      lines.push(text);
      paragraphs.shift();
      continue;
    }
    // A line that fits a page of its own moves whole to the next page rather than splitting.
    if (lines.length > 0 && units(text) <= settings.budget - linesUnits([settings.moreLine, ...lastFooter]) - 1) break;
    if (free > 0) {
      const { line, rest } = takeWords(text.split(' '), free, lines.length === 0);
      if (line !== '') lines.push(line);
      paragraphs[0] = rest.join(' ');
      if (paragraphs[0] === '') paragraphs.shift();
    }
    break;
  }
  const first = [...lines, ...tail].join('\n');
  const restPages = paginateFlow({ body: paragraphs, options: [] }, settings);
  // The last page offers the options again when they fit beside its text.
  const last = restPages.length - 1;
  const lastText = restPages[last] ?? '';
  const lastBody = lastText.split('\n').slice(0, lastText.split('\n').length - lastFooter.length);
  const withOptions = [...lastBody, ...input.options, ...lastFooter];
  if (linesUnits(withOptions) <= settings.budget) restPages[last] = withOptions.join('\n');
  return [first, ...restPages];
}

function paginateFlow(input: PageInput, settings: PageSettings): string[] {
  const atoms: Atom[] = [
    ...input.body.flatMap((p) => p.split('\n')).map((text): Atom => ({ kind: 'flow', text })),
    ...input.options.map((text): Atom => ({ kind: 'fixed', text })),
  ];
  const lastFooter = settings.backLine === null ? [] : [settings.backLine];
  const midFooter = [settings.moreLine, ...lastFooter];
  const pages: string[] = [];
  while (pages.length === 0 || atoms.length > 0) {
    const all = atoms.map((a) => a.text);
    if (linesUnits([...all, ...lastFooter]) <= settings.budget) {
      pages.push([...all, ...lastFooter].join('\n'));
      break;
    }
    const room = settings.budget - linesUnits(midFooter) - 1;
    const lines: string[] = [];
    while (atoms.length > 0) {
      const atom = atoms[0] as Atom;
      const free = room - linesUnits(lines) - (lines.length > 0 ? 1 : 0);
      if (units(atom.text) <= free) {
        lines.push(atom.text);
        atoms.shift();
      } else if (atom.kind === 'flow' && lines.length > 0 && units(atom.text) <= room) {
        break; // a paragraph that fits a page of its own is moved whole, not split
      } else if (atom.kind === 'flow' && free > 0) {
        // Only an empty page may cut a word (one word longer than a page); otherwise move it on.
        const { line, rest } = takeWords(atom.text.split(' '), free, lines.length === 0);
        if (line !== '') lines.push(line);
        atom.text = rest.join(' ');
        if (atom.text === '') atoms.shift();
        if (line !== '' || lines.length > 0) break;
      } else {
        if (lines.length === 0) lines.push(shorten((atoms.shift() as Atom).text, free));
        break;
      }
    }
    pages.push([...lines, ...midFooter].join('\n'));
  }
  return pages;
}
