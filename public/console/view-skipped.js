// Messages not sent, and why: opted out, over the per-phone hourly cap, the day's budget spent,
// an invalid number or a duplicate, from the pack's newest messages.

import { h } from '../assets/dom.js';
import { api } from './api.js';
import { barChart } from './charts.js';
import { t } from './i18n.js';
import { number, when } from './ui.js';

function reason(code) { const key = 'skip.' + code; return t(key) === key ? code : t(key); }

export function render(view) {
  view.append(h('h1', { text: t('skip.title') }), h('p', { class: 'muted', text: t('skip.intro') }));
  return api('GET', '/messages/skipped').then(function (report) {
    const rows = Object.keys(report.byReason).map(function (k) { return { label: reason(k), value: report.byReason[k] }; }).sort(function (a, b) { return b.value - a.value; });
    view.appendChild(h('section', { class: 'card', id: 'skip-reasons' }, [barChart(t('skip.byReason'), rows), h('p', { class: 'muted', text: t('skip.read', { n: number(report.messagesRead) }) })]));
    view.appendChild(h('section', { class: 'card scroll' }, [report.items.length ? h('table', { id: 'skip-table' }, [
      h('thead', {}, [h('tr', {}, ['audit.when', 'del.phone', 'skip.reason', 'skip.message'].map(function (c) { return h('th', { scope: 'col', text: t(c) }); }))]),
      h('tbody', {}, report.items.map(function (m) {
        return h('tr', { 'data-reason': m.reason }, [h('td', { class: 'nowrap', text: when(m.at) }), h('td', { class: 'nowrap', text: m.phone }), h('td', { text: reason(m.reason) }), h('td', { text: m.text })]);
      })),
    ]) : h('p', { class: 'muted', id: 'skip-none', text: t('dash.none') })]));
  });
}
