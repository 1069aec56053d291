/* USSD funnel: how many reached each node and how many dropped there. */
(function () {
  'use strict';
  var KC = window.KC;
  var h = KC.h;

  function render(view) {
    view.appendChild(h('h1', { text: KC.t('funnel.title') }));
    return KC.api('GET', '/stats').then(function (stats) {
      var rows = stats.ussd.funnel.map(function (r) { return { label: r.node, value: r.entries, extra: r.dropOffs }; });
      view.appendChild(h('section', { class: 'card' }, [
        h('p', { class: 'legend' }, [h('span', { class: 'swatch entries' }), KC.t('funnel.entries') + ' ', h('span', { class: 'swatch drop' }), KC.t('funnel.drop')]),
        KC.barChart(KC.t('funnel.title'), rows, { extraLabel: '↓' }),
      ]));
      var table = h('table', {}, [
        h('thead', {}, [h('tr', {}, ['Node', KC.t('funnel.entries'), KC.t('funnel.drop'), KC.t('funnel.done')].map(function (c) { return h('th', { scope: 'col', text: c }); }))]),
        h('tbody', {}, stats.ussd.funnel.map(function (r) {
          return h('tr', {}, [h('td', { text: r.node }), h('td', { text: KC.number(r.entries) }), h('td', { text: KC.number(r.dropOffs) }), h('td', { text: KC.number(r.completions) })]);
        })),
      ]);
      view.appendChild(h('section', { class: 'card scroll' }, [table]));
    });
  }

  KC.views = KC.views || {};
  KC.views.funnel = render;
})();
