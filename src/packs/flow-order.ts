/**
 * A pack's USSD screens in the order a caller meets them (breadth first from the start node),
 * each with a name people read in both languages, and the shortest path to a registration: what
 * the organisers' funnel is drawn from.
 */
import { kindOf } from '../engine/nodes/registry';
import { message } from '../engine/runtime';
import type { FlowPack } from '../engine/types';
import type { Language } from '../kernel/language';

export interface FlowScreen {
  node: string;
  type: string;
  /** The main menu's name for the start; else the screen's title (its text's first line without variables), else the option leading to it, else its id. */
  name: Record<Language, string>;
  /** On the shortest path from the start to the `register` action's success (that end screen included). */
  toRegistered: boolean;
  /** The nodes this one leads to, each once. */
  links: string[];
}

/** Text as a name: first line, variables out, the punctuation they leave tidied, at most 48 characters. */
const readable = (text: string): string => {
  const line = (text.split('\n')[0] ?? '').replace(/\{[^}]*\}/g, '').replace(/\(\s*\)/g, '').replace(/\s+([,.!?:])/g, '$1').replace(/([,.:])(?=[,.:])/g, '').replace(/\s+/g, ' ').replace(/^[\s,.:;-]+|[\s,.:;-]+$/g, '').trim();
  return line.length > 48 ? `${line.slice(0, 47).trimEnd()}…` : line;
};

type Walk = { order: string[]; parent: Map<string, { from: string; label?: string }> };

/**
 * Breadth first from the start: menu options and the default branch of a `next` first, the
 * nodes only conditional branches reach after them. `pass` says which nodes the walk may go on
 * from (all by default).
 */
function walk(pack: FlowPack, pass: (id: string) => boolean = () => true): Walk {
  const order: string[] = [];
  const parent = new Map<string, { from: string; label?: string }>();
  const seen = new Set([pack.start]);
  const queue = [pack.start];
  let later: Array<{ to: string; from: string }> = [];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    const node = pack.nodes[id];
    if (node) {
      order.push(id);
      const kind = kindOf(node);
      const conditional = new Set(kind.conditions(node).map((c) => c.path));
      const labels = node.type === 'menu' ? node.options.map((o) => o.label) : [];
      for (const link of pass(id) ? kind.links(node) : []) {
        if (seen.has(link.to)) continue;
        if (link.path.endsWith('.to') && conditional.has(link.path.replace(/\.to$/, '.when'))) { later.push({ to: link.to, from: id }); continue; }
        seen.add(link.to);
        const option = /^options\[(\d+)\]/.exec(link.path);
        parent.set(link.to, { from: id, ...(option ? { label: labels[Number(option[1])] } : {}) });
        queue.push(link.to);
      }
    }
    if (queue.length === 0 && later.length > 0) {
      for (const { to, from } of later) if (!seen.has(to)) { seen.add(to); parent.set(to, { from }); queue.push(to); }
      later = [];
    }
  }
  return { order, parent };
}

/**
 * The start, then the screens on the way to registration in the order a caller meets them, then
 * every other node reachable from the start, breadth first along the way most callers go (menu
 * options, the default branch of a `next`), then the nodes only conditional branches reach
 * (editing loops), then any others in file order.
 */
export function screensInFlowOrder(pack: FlowPack): FlowScreen[] {
  const { order, parent } = walk(pack);
  const seen = new Set(order);
  for (const id of Object.keys(pack.nodes)) if (!seen.has(id)) order.push(id);
  const done = order.find((id) => { const n = pack.nodes[id]; return n?.type === 'action' && n.action === 'register'; });
  const success = done ? pack.nodes[done] : undefined;
  const end = success?.type === 'action' ? success.outcomes.ok : undefined;
  // The way to registration is the caller's own: the shortest way to the `register` action that
  // runs no other action on the way (loading or accepting an invitation reaches the same screens
  // sooner, but is another errand), then the action's success screen.
  const own = walk(pack, (id) => { const n = pack.nodes[id]; return id === done || n?.type !== 'action'; });
  const path: string[] = [];
  if (done !== undefined && own.order.includes(done)) {
    for (let at: string | undefined = done; at !== undefined && !path.includes(at); at = own.parent.get(at)?.from) path.unshift(at);
    if (end !== undefined && pack.nodes[end] && !path.includes(end)) path.push(end);
  }
  const registered = new Set(path);
  // The start first, then the registration path step by step, then every other screen as met.
  if (path.length > 0) order.splice(0, order.length, ...path, ...order.filter((id) => !registered.has(id)));
  const name = (id: string, lang: Language): string => {
    // The first screen is the main menu (its title only greets): the pack's own words for it.
    if (id === pack.start) return message(pack, lang, 'common.home') || pack.nav.home.label[lang] || id;
    const node = pack.nodes[id];
    const raw = node && 'text' in node && typeof node.text === 'string' ? message(pack, lang, node.text) : '';
    const label = parent.get(id)?.label;
    const text = readable(raw);
    // A title built from variables reads badly without them: the option that leads here names it better.
    if (text.length >= 3 && !/\{/.test(raw.split('\n')[0] ?? '')) return text;
    const fromOption = label ? readable(message(pack, lang, label)) : '';
    return fromOption || (text.length >= 3 ? text : id);
  };
  const links = (id: string): string[] => { const node = pack.nodes[id]; return node ? [...new Set(kindOf(node).links(node).map((l) => l.to))] : []; };
  return order.map((id) => ({ node: id, type: pack.nodes[id]?.type ?? 'unknown', name: { sw: name(id, 'sw'), en: name(id, 'en') }, toRegistered: registered.has(id), links: links(id) }));
}
