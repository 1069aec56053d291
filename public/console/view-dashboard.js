/* Dashboard: registrations (per day, cohort, institution type), recent broadcasts, SMS delivery. */
(function () {
  'use strict';
  var KC = window.KC;
  var h = KC.h;

  function label(list, id) {
    var lang = KC.getLang();
    var found = (list || []).filter(function (x) { return x.id === id; })[0];
    return found ? (found.short || found.label)[lang] : id;
  }

  function broadcastRow(b) {
    return h('li', { class: 'bc-row' }, [
      h('a', { href: '#/broadcast/' + encodeURIComponent(b.id), text: b.name || b.id }),
      h('span', { class: 'badge state-' + b.state, text: KC.t('state.' + b.state) }),
      KC.progressBar(b.progress, b.name || b.id),
      h('small', { class: 'muted', text: KC.number(b.total) + ' · ' + KC.when(b.createdAt) }),
    ]);
  }

  function render(view) {
    view.appendChild(h('h1', { text: KC.t('dash.title') }));
    var body = h('div', { class: 'grid', 'aria-busy': 'true' }, [h('p', { text: KC.t('loading') })]);
    view.appendChild(body);
    var broadcasts = KC.api('GET', '/broadcasts?limit=5').catch(function (e) { return { unavailable: e }; });
    return Promise.all([KC.api('GET', '/stats'), KC.api('GET', '/agenda'), broadcasts]).then(function (all) {
      var stats = all[0], event = all[1], recent = all[2];
      var reg = stats.registrations;
      body.textContent = '';
      body.removeAttribute('aria-busy');
      body.appendChild(h('section', { class: 'card kpi' }, [h('h2', { text: KC.t('dash.total') }), h('p', { class: 'big', id: 'kpi-total', text: KC.number(reg.total) })]));
      body.appendChild(h('section', { class: 'card wide' }, [KC.barChart(KC.t('dash.byDay'), KC.rowsOf(reg.byDay, null, true))]));
      body.appendChild(h('section', { class: 'card' }, [KC.barChart(KC.t('dash.byCohort'), KC.rowsOf(reg.byCohort, function (k) { return label(event.cohorts, k); }))]));
      body.appendChild(h('section', { class: 'card' }, [KC.barChart(KC.t('dash.byType'), KC.rowsOf(reg.byInstitutionType, function (k) { return label(event.institutionTypes, k); }))]));
      body.appendChild(h('section', { class: 'card' }, [KC.barChart(KC.t('dash.byChannel'), KC.rowsOf(reg.byChannel, function (k) { return ({ ussd: 'USSD', sms: 'SMS', api: 'API', import: KC.getLang() === 'en' ? 'Imported' : 'Orodha' })[k] || k; }))]));
      var list = recent.unavailable ? h('p', { class: 'muted', text: KC.t('dash.noBroadcasts') })
        : recent.items.length ? h('ul', { class: 'plain' }, recent.items.map(broadcastRow)) : h('p', { class: 'muted', text: KC.t('dash.none') });
      body.appendChild(h('section', { class: 'card wide', id: 'recent' }, [h('h2', { text: KC.t('dash.recent') }), list]));
      if (stats.sms) {
        body.appendChild(h('section', { class: 'card' }, [
          KC.barChart(KC.t('dash.delivery'), KC.rowsOf(stats.sms.byState, function (k) { return KC.t('state.' + k); })),
          h('p', {}, [KC.t('dash.cost') + ': ', h('strong', { text: KC.money(stats.sms.cost) })]),
        ]));
      }
    });
  }

  KC.views = KC.views || {};
  KC.views.dashboard = render;
})();
