// Horizontal bar charts as inline SVG (no library): one bar per label, value at its end.

import { h } from '../assets/dom.js';
import { t } from './i18n.js';
import { number } from './ui.js';

const NS = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, text) {
  const el = document.createElementNS(NS, tag);
  Object.keys(attrs).forEach(function (k) { el.setAttribute(k, String(attrs[k])); });
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * A bar chart of `rows` ([{ label, value, extra? }]), scaled to the largest value. `extra` draws
 * a darker overlay (e.g. drop-offs within entries). Returns a <figure> with a caption.
 */
export function barChart(title, rows, options) {
  const opts = options || {};
    const figure = h('figure', { class: 'chart' }, [h('figcaption', { text: title })]);
  if (!rows.length) { figure.appendChild(h('p', { class: 'muted', text: t('dash.none') })); return figure; }
  const rowH = 26;
  const labelW = 38;
  const max = rows.reduce(function (m, r) { return Math.max(m, r.value); }, 0) || 1;
  const height = rows.length * rowH + 4;
  const chart = svg('svg', { viewBox: '0 0 100 ' + height, preserveAspectRatio: 'none', role: 'img', 'aria-label': title, class: 'bars', height: height });
  rows.forEach(function (row, i) {
    const y = i * rowH + 2;
    const w = Math.max(0.5, (row.value / max) * (100 - labelW - 12));
    chart.appendChild(svg('rect', { x: labelW, y: y + 4, width: w, height: rowH - 10, class: 'bar-fill', rx: 0.6 }));
    if (row.extra) chart.appendChild(svg('rect', { x: labelW, y: y + 4, width: Math.max(0.5, (row.extra / max) * (100 - labelW - 12)), height: rowH - 10, class: 'bar-extra' }));
  });
  // Labels are HTML over the SVG so text keeps its shape at any width.
  const labels = h('div', { class: 'bar-labels' }, rows.map(function (row) {
    return h('div', { class: 'bar-row' }, [
      h('span', { class: 'bar-label', title: row.label, text: row.label }),
      h('span', { class: 'bar-value', text: number(row.value) + (row.extra ? ' / ' + number(row.extra) + (opts.extraLabel ? ' ' + opts.extraLabel : '') : '') }),
    ]);
  }));
  figure.appendChild(h('div', { class: 'chart-body' }, [chart, labels]));
  return figure;
}

/** Rows from a { key: count } map, labelled by `labelOf`, largest first unless `keepOrder`. */
export function rowsOf(counts, labelOf, keepOrder) {
  const rows = Object.keys(counts || {}).map(function (k) { return { label: labelOf ? labelOf(k) : k, value: counts[k] }; });
  return keepOrder ? rows : rows.sort(function (a, b) { return b.value - a.value; });
}
