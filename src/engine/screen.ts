/**
 * Turns a node's view into the text of one page: GSM-7 only, within the pack's budget, with the
 * pack's "more"/"back" lines in the session language.
 */
import type { View } from './nodes/kind';
import { fitSingle, paginate } from './paginate';
import { toGsm } from './sanitize';
import { textUnits } from '../kernel/text/gsm';
import { message } from './runtime';
import type { FlowPack, Language, Screen, Snapshot } from './types';

export function navLine(pack: FlowPack, which: 'back' | 'home' | 'more', lang: Language): string {
  const nav = pack.nav[which];
  return `${nav.key}. ${nav.label[lang]}`;
}

/** Whether the "back" line is shown: everywhere but on the home (start) screen. */
export function showsBack(pack: FlowPack, snapshot: Snapshot): boolean {
  return snapshot.node !== pack.start;
}

/** Screens kept per loaded pack: the same view (an agenda list, a session) is laid out once. */
const PAGE_CACHE_SIZE = 512;
const pageCaches = new WeakMap<FlowPack, Map<string, string[]>>();

/**
 * All pages of a view (at least one). Pages depend only on the pack and the view's texts, so they
 * are laid out once per pack (a reloaded pack is a new object) and agenda version (its texts are in
 * the key): every caller on the same screen after the first gets the stored pages.
 */
export function pagesOf(pack: FlowPack, snapshot: Snapshot, view: View): string[] {
  const backShown = view.nav && showsBack(pack, snapshot);
  const key = `${snapshot.lang}\u0000${view.paginate ? 1 : 0}${backShown ? 1 : 0}${view.optionsFirst ? 1 : 0}\u0000${view.body.join('\u0001')}\u0000${view.options.join('\u0001')}`;
  let cache = pageCaches.get(pack);
  if (!cache) pageCaches.set(pack, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) return hit;
  const pages = layOut(pack, snapshot, view, backShown);
  if (cache.size >= PAGE_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, pages);
  return pages;
}

function layOut(pack: FlowPack, snapshot: Snapshot, view: View, backShown: boolean): string[] {
  const body = view.body.map((b) => toGsm(b));
  const options = view.options.map((o) => toGsm(o));
  const budget = pack.screen.maxChars;
  if (!view.paginate) return [fitSingle([...body, ...options].filter((l) => l !== '').join('\n'), budget)];
  const backLine = backShown ? navLine(pack, 'back', snapshot.lang) : null;
  return paginate({ body: body.filter((l) => l !== ''), options, ...(view.optionsFirst ? { optionsFirst: true } : {}) }, { budget, moreLine: navLine(pack, 'more', snapshot.lang), backLine });
}

/**
 * The text of the snapshot's page (clamped). A re-prompt `reason` goes on top when it fits; on a
 * full first page it replaces the prompt line; one-page views keep it and are cut to fit.
 */
export function pageText(pack: FlowPack, snapshot: Snapshot, view: View, reason?: string): { text: string; page: number; pages: number } {
  const pages = pagesOf(pack, snapshot, view);
  const page = Math.min(Math.max(0, snapshot.page), pages.length - 1);
  const text = pages[page] ?? '';
  if (reason === undefined || reason === '') return { text, page, pages: pages.length };
  const withReason = `${toGsm(reason)}\n${text}`;
  const budget = pack.screen.maxChars;
  if (textUnits(withReason) <= budget) return { text: withReason, page, pages: pages.length };
  if (!view.paginate) return { text: fitSingle(withReason, budget), page, pages: pages.length };
  // A full page: the reason takes the place of the prompt line (page 0), keeping the layout.
  const lines = text.split('\n');
  const swapped = [toGsm(reason), ...lines.slice(1)].join('\n');
  const canSwap = page === 0 && view.body.length > 0 && textUnits(swapped) <= budget;
  return { text: canSwap ? swapped : text, page, pages: pages.length };
}

/** "1. Endelea 2. Anza upya": the session language first, the other language in brackets. */
export function resumePrompt(pack: FlowPack, lang: Language): Screen {
  const other = pack.languages.find((l) => l !== lang) ?? lang;
  const both = (key: string): string => {
    const first = message(pack, lang, key);
    const second = message(pack, other, key);
    return second && second !== first ? `${first} (${second})` : first;
  };
  return { type: 'CON', text: [message(pack, lang, 'resume.title'), `1. ${both('resume.continue')}`, `2. ${both('resume.restart')}`].join('\n') };
}
