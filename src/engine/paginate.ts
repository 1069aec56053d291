/**
 * Fits screens into the budget. A screen is body paragraphs (split between pages on word
 * boundaries) followed by option lines (never split: an option is moved whole to the next page).
 * Pages other than the last end with the "more" line; every page may end with the "back" line.
 *
 * Work is linear in the text: each paragraph is split into words once and read through a cursor,
 * and a length is only ever measured up to the room being asked about, so a text far longer than a
 * page (organisers' data) costs a few passes, never one pass per page.
 */
import { gsmSeptets, textUnits } from '../kernel/text/gsm';

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

/** A text's size in both encodings; its units are septets when all of it is GSM-7, else its length. */
interface Size {
  septets: number;
  length: number;
  plain: boolean;
}
const EMPTY: Size = { septets: 0, length: 0, plain: true };
const SPACE: Size = { septets: 1, length: 1, plain: true };
const plus = (a: Size, b: Size): Size => ({ septets: a.septets + b.septets, length: a.length + b.length, plain: a.plain && b.plain });
const unitsOfSize = (size: Size): number => (size.plain ? size.septets : size.length);

function sizeOf(text: string, from = 0, to = text.length): Size {
  let septets = 0;
  let plain = true;
  for (let i = from; i < to; i += 1) {
    const cost = gsmSeptets(text.charAt(i));
    if (cost === undefined) {
      plain = false;
      septets += 1;
    } else septets += cost;
  }
  return { septets, length: to - from, plain };
}

const units = (text: string): number => textUnits(text);
const linesUnits = (lines: string[]): number =>
  lines.reduce((sum, line) => sum + units(line), 0) + Math.max(0, lines.length - 1);

/** A paragraph's words, split once, and how far they have been laid out. */
class WordCursor {
  private at = 0;
  /** Characters of `words[at]` already laid out (a word longer than a page is cut). */
  private offset = 0;
  private compacted = false;
  constructor(private words: string[]) {}

  done(): boolean {
    return this.at >= this.words.length || (this.at === this.words.length - 1 && this.offset >= (this.words[this.at] ?? '').length);
  }

  /** What is left, as text. */
  rest(): string {
    if (this.done()) return '';
    return [(this.words[this.at] ?? '').slice(this.offset), ...this.words.slice(this.at + 1)].join(' ');
  }

  /** Units of what is left when at most `limit`; otherwise some number above `limit`. */
  unitsUpTo(limit: number): number {
    let size = EMPTY;
    for (let index = this.at; index < this.words.length; index += 1) {
      const word = this.words[index] ?? '';
      const from = index === this.at ? this.offset : 0;
      const separator = index === this.at ? EMPTY : SPACE;
      // Units are never fewer than characters, so a length past the limit settles it unmeasured.
      const length = size.length + separator.length + word.length - from;
      if (length > limit) return length;
      size = plus(plus(size, separator), sizeOf(word, from));
    }
    return unitsOfSize(size);
  }

  /**
   * Takes the longest run of words that fits `room` units; when not even the first word fits and
   * `allowCut`, cuts that word (only organisers' data can hold one longer than a page).
   */
  take(room: number, allowCut: boolean): string {
    let line = '';
    let size = EMPTY;
    let taken = false;
    while (this.at < this.words.length) {
      const word = this.words[this.at] ?? '';
      const separator = line === '' ? EMPTY : SPACE;
      if (size.length + separator.length + word.length - this.offset > room) break;
      const next = plus(plus(size, separator), sizeOf(word, this.offset));
      if (unitsOfSize(next) > room) break;
      line = line === '' ? word.slice(this.offset) : `${line} ${word.slice(this.offset)}`;
      size = next;
      taken = true;
      this.at += 1;
      this.offset = 0;
    }
    if (taken || this.done() || room <= 0 || !allowCut) return line;
    return this.cut(room);
  }

  /** At least one character of the current word, then as many as fit `room`. */
  private cut(room: number): string {
    const word = this.words[this.at] ?? '';
    let end = this.offset;
    let size = EMPTY;
    while (end < word.length) {
      const step = (word.codePointAt(end) ?? 0) > 0xffff ? 2 : 1;
      const next = plus(size, sizeOf(word, end, end + step));
      if (end > this.offset && unitsOfSize(next) > room) break;
      size = next;
      end += step;
    }
    const line = word.slice(this.offset, end);
    this.offset = end;
    // After a cut the rest of the paragraph loses its empty words (runs of spaces), once.
    if (!this.compacted) {
      const tail = this.words.slice(this.at + 1).filter((w) => w !== '');
      this.words = end < word.length ? [word, ...tail] : tail;
      this.at = 0;
      if (end >= word.length) this.offset = 0;
      this.compacted = true;
    } else if (end >= word.length) {
      this.at += 1;
      this.offset = 0;
    }
    return line;
  }
}

/** Units of a whole line when at most `limit`; otherwise some number above `limit`. */
function lineUnitsUpTo(text: string, limit: number): number {
  return text.length > limit ? text.length : units(text);
}

/** Shortens a single line to `room` units at a word boundary, ending with "...". */
export function shorten(text: string, room: number): string {
  if (lineUnitsUpTo(text, room) <= room) return text;
  return `${new WordCursor(text.split(' ')).take(Math.max(1, room - 3), true)}...`;
}

/** Makes a one-page screen fit: a too-long text is cut at a word boundary with "...". */
export function fitSingle(text: string, budget: number): string {
  if (lineUnitsUpTo(text, budget) <= budget) return text;
  const kept: string[] = [];
  let from = 0;
  while (from <= text.length) {
    const end = text.indexOf('\n', from);
    const line = text.slice(from, end === -1 ? text.length : end);
    const room = budget - linesUnits(kept) - (kept.length > 0 ? 1 : 0);
    if (lineUnitsUpTo(line, room) <= room) kept.push(line);
    else {
      if (room > 3) kept.push(shorten(line, room));
      break;
    }
    if (end === -1) break;
    from = end + 1;
  }
  return kept.join('\n');
}

type Atom = { kind: 'flow'; words: WordCursor } | { kind: 'fixed'; text: string };

const atomUnitsUpTo = (atom: Atom, limit: number): number =>
  atom.kind === 'flow' ? atom.words.unitsUpTo(limit) : lineUnitsUpTo(atom.text, limit);
const atomText = (atom: Atom): string => (atom.kind === 'flow' ? atom.words.rest() : atom.text);

/** Whether the atoms from `first` on, then `footer`, fit one page of `budget` units. */
function restFits(atoms: Atom[], first: number, footer: string[], budget: number): boolean {
  let total = 0;
  let lines = 0;
  const add = (lineUnits: number): boolean => {
    total += lineUnits + (lines > 0 ? 1 : 0);
    lines += 1;
    return total <= budget;
  };
  for (let index = first; index < atoms.length; index += 1) if (!add(atomUnitsUpTo(atoms[index] as Atom, budget))) return false;
  for (const line of footer) if (!add(lineUnitsUpTo(line, budget))) return false;
  return true;
}

/** The longest run of `words` that fits `room` (cut only when not even one word fits and `allowCut`), and what is left. */
function takeWords(words: string[], room: number, allowCut = true): { line: string; rest: string[] } {
  const cursor = new WordCursor(words);
  const line = cursor.take(room, allowCut);
  const rest = cursor.rest();
  return { line, rest: rest === '' ? [] : rest.split(' ') };
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
    ...input.body.flatMap((p) => p.split('\n')).map((text): Atom => ({ kind: 'flow', words: new WordCursor(text.split(' ')) })),
    ...input.options.map((text): Atom => ({ kind: 'fixed', text })),
  ];
  const lastFooter = settings.backLine === null ? [] : [settings.backLine];
  const midFooter = [settings.moreLine, ...lastFooter];
  const pages: string[] = [];
  let next = 0;
  while (pages.length === 0 || next < atoms.length) {
    if (restFits(atoms, next, lastFooter, settings.budget)) {
      pages.push([...atoms.slice(next).map(atomText), ...lastFooter].join('\n'));
      break;
    }
    const room = settings.budget - linesUnits(midFooter) - 1;
    const lines: string[] = [];
    while (next < atoms.length) {
      const atom = atoms[next] as Atom;
      const free = room - linesUnits(lines) - (lines.length > 0 ? 1 : 0);
      const size = atomUnitsUpTo(atom, room);
      if (size <= free) {
        lines.push(atomText(atom));
        next += 1;
      } else if (atom.kind === 'flow' && lines.length > 0 && size <= room) {
        break; // a paragraph that fits a page of its own is moved whole, not split
      } else if (atom.kind === 'flow' && free > 0) {
        // Only an empty page may cut a word (one word longer than a page); otherwise move it on.
        const line = atom.words.take(free, lines.length === 0);
        if (line !== '') lines.push(line);
        if (atom.words.done()) next += 1;
        if (line !== '' || lines.length > 0) break;
      } else {
        if (lines.length === 0) {
          lines.push(shorten(atomText(atom), free));
          next += 1;
        }
        break;
      }
    }
    pages.push([...lines, ...midFooter].join('\n'));
  }
  return pages;
}
