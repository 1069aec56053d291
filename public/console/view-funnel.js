// USSD funnel: how many reached each node and how many dropped there.

import { h } from '../assets/dom.js';
import { api } from './api.js';
import { barChart } from './charts.js';
import { t } from './i18n.js';
import { number } from './ui.js';

export function render(view) {
  view.appendChild(h('h1', { text: t('funnel.title') }));
  return api('GET', '/stats').then(function (stats) {
    const rows = stats.ussd.funnel.map(function (r) { return { label: r.node, value: r.entries, extra: r.dropOffs }; });
    view.appendChild(h('section', { class: 'card' }, [
      h('p', { class: 'legend' }, [h('span', { class: 'swatch entries' }), t('funnel.entries') + ' ', h('span', { class: 'swatch drop' }), t('funnel.drop')]),
      barChart(t('funnel.title'), rows, { extraLabel: '↓' }),
    ]));
    const table = h('table', {}, [
      h('thead', {}, [h('tr', {}, ['Node', t('funnel.entries'), t('funnel.drop'), t('funnel.done')].map(function (c) { return h('th', { scope: 'col', text: c }); }))]),
      h('tbody', {}, stats.ussd.funnel.map(function (r) {
        return h('tr', {}, [h('td', { text: r.node }), h('td', { text: number(r.entries) }), h('td', { text: number(r.dropOffs) }), h('td', { text: number(r.completions) })]);
      })),
    ]);
    view.appendChild(h('section', { class: 'card scroll' }, [table]));
  });
}
