// USSD funnel: the pack's screens in the order callers meet them, by name, how many reached each
// and how many dropped there; the way to registration is marked.

import { h } from '../assets/dom.js';
import { api } from './api.js';
import { barChart } from './charts.js';
import { pick, t } from './i18n.js';
import { number } from './ui.js';
import { menuGraph } from './menu-graph.js';

function screenName(r) { return r.screen ? pick(r.screen) : r.node; }
function dropRate(r) { return r.entries ? Math.round((r.dropOffs / r.entries) * 100) + ' %' : '-'; }

export function render(view) {
  view.appendChild(h('h1', { text: t('funnel.title') }));
  return api('GET', '/stats').then(function (stats) {
    const funnel = stats.ussd.funnel;
    const rows = funnel.map(function (r) { return { label: (r.toRegistered ? '★ ' : '') + screenName(r), value: r.entries, extra: r.dropOffs }; });
    view.appendChild(h('section', { class: 'card' }, [
      h('p', { class: 'legend' }, [h('span', { class: 'swatch entries' }), t('funnel.entries') + ' ', h('span', { class: 'swatch drop' }), t('funnel.drop')]),
      barChart(t('funnel.title'), rows, { extraLabel: '↓' }),
      funnel.some(function (r) { return r.toRegistered; }) ? h('p', { class: 'muted', text: t('funnel.pathNote') }) : null,
    ]));
    const table = h('table', { id: 'funnel-table' }, [
      h('thead', {}, [h('tr', {}, [t('funnel.screen'), t('funnel.entries'), t('funnel.drop'), t('funnel.dropRate'), t('funnel.done')].map(function (c) { return h('th', { scope: 'col', text: c }); }))]),
      h('tbody', {}, funnel.map(function (r) {
        return h('tr', { class: r.toRegistered ? 'funnel-path' : '', 'data-node': r.node }, [h('td', { title: r.node, text: screenName(r) }), h('td', { text: number(r.entries) }), h('td', { text: number(r.dropOffs) }), h('td', { text: dropRate(r) }), h('td', { text: number(r.completions) })]);
      })),
    ]);
    view.appendChild(h('section', { class: 'card scroll' }, [table]));
    if (stats.ussd.graph) view.appendChild(menuGraph(stats.ussd.graph));
  });
}
