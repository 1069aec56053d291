// The pack's USSD menu drawn with Mermaid (served from the gateway, loaded only on this page):
// every screen by name with how many callers reached it and dropped there; the way to
// registration drawn bold. Mermaid styles inline, so it draws in a same-origin frame
// (menu-graph/) that alone allows inline styles: the console keeps its strict CSP.

import { h } from '../assets/dom.js';
import { pick, t } from './i18n.js';
import { number } from './ui.js';

const ref = function (id) { return 'n_' + id.replace(/\W/g, '_'); };
const safe = function (text) { return String(text).replace(/"/g, '#quot;').replace(/[[\]{}()<>|]/g, ' '); };

/** The screens callers reached and the way to registration, with the links between them. */
export function reachedPart(graph) {
  const keep = new Set(graph.nodes.filter(function (n) { return n.entries > 0 || n.toRegistered; }).map(function (n) { return n.node; }));
  return { nodes: graph.nodes.filter(function (n) { return keep.has(n.node); }), edges: graph.edges.filter(function (e) { return keep.has(e[0]) && keep.has(e[1]); }) };
}

/** Mermaid text for `graph` (the API's `ussd.graph`) in the console's language. */
export function mermaidText(graph) {
  const lines = ['flowchart TD'];
  graph.nodes.forEach(function (n) {
    const label = safe(pick(n.name)) + '\n' + number(n.entries) + (n.dropOffs ? ' ↓' + number(n.dropOffs) : '');
    const open = n.type === 'end' ? '(["' : n.type === 'action' ? '{{"' : '["';
    const close = n.type === 'end' ? '"])' : n.type === 'action' ? '"}}' : '"]';
    lines.push('  ' + ref(n.node) + open + label + close);
  });
  graph.edges.forEach(function (e) { lines.push('  ' + ref(e[0]) + ' --> ' + ref(e[1])); });
  const path = graph.nodes.filter(function (n) { return n.toRegistered; }).map(function (n) { return ref(n.node); });
  lines.push('  classDef reached fill:#dcf3e8,stroke:#2f8f6b');
  lines.push('  classDef path fill:#dcf3e8,stroke:#0b6e4f,stroke-width:4px');
  const reached = graph.nodes.filter(function (n) { return n.entries > 0 && !n.toRegistered; }).map(function (n) { return ref(n.node); });
  if (reached.length) lines.push('  class ' + reached.join(',') + ' reached');
  if (path.length) lines.push('  class ' + path.join(',') + ' path');
  return lines.join('\n');
}

/** A section whose frame draws the graph; says so if it cannot. */
export function menuGraph(graph) {
  const frame = h('iframe', { src: 'menu-graph/', title: t('graph.title'), class: 'graph-frame', loading: 'eager' });
  const box = h('div', { class: 'graph-box', id: 'menu-graph', 'aria-busy': 'true' }, [frame]);
  const all = h('input', { type: 'checkbox', id: 'graph-all' });
  const section = h('section', { class: 'card' }, [h('h2', { text: t('graph.title') }), h('label', { class: 'check' }, [all, ' ' + t('graph.all')]), box]);
  const origin = window.location.origin;
  let ready = false;
  const send = function () { if (ready) frame.contentWindow.postMessage({ type: 'menu-graph-text', text: mermaidText(all.checked ? graph : reachedPart(graph)) }, origin); };
  all.addEventListener('change', function () { box.setAttribute('data-drawn', 'false'); send(); });
  function listen(event) {
    if (event.origin !== origin || event.source !== frame.contentWindow || !event.data) return;
    if (event.data.type === 'menu-graph-ready') { ready = true; send(); }
    if (event.data.type === 'menu-graph-drawn') {
      frame.style.height = (event.data.height + 8) + 'px';
      box.setAttribute('aria-busy', 'false');
      box.setAttribute('data-drawn', 'true');
    }
    if (event.data.type === 'menu-graph-failed') {
      box.replaceChildren(h('p', { class: 'warn', text: t('graph.failed') }));
      box.setAttribute('aria-busy', 'false');
    }
    if (!document.body.contains(box)) window.removeEventListener('message', listen);
  }
  window.addEventListener('message', listen);
  return section;
}
