// Dashboard: registrations (per day, cohort, institution type), recent broadcasts, SMS delivery.

import { h } from '../assets/dom.js';
import { api } from './api.js';
import { barChart, rowsOf } from './charts.js';
import { getLang, t } from './i18n.js';
import { broadcastBar, money, number, when } from './ui.js';
import { minuteChart } from './timeseries.js';

function label(list, id) {
  const lang = getLang();
  const found = (list || []).filter(function (x) { return x.id === id; })[0];
  return found ? (found.short || found.label)[lang] : id;
}

function broadcastRow(b) {
  return h('li', { class: 'bc-row' }, [
    h('a', { href: '#/broadcast/' + encodeURIComponent(b.id), text: b.name || b.id }),
    h('span', { class: 'badge state-' + b.state, text: t('state.' + b.state) }),
    broadcastBar(b, b.name || b.id),
    h('small', { class: 'muted', text: number(b.total) + ' · ' + when(b.createdAt) }),
  ]);
}

export function render(view) {
  view.appendChild(h('h1', { text: t('dash.title') }));
  const body = h('div', { class: 'grid', 'aria-busy': 'true' }, [h('p', { text: t('loading') })]);
  view.appendChild(body);
  const broadcasts = api('GET', '/broadcasts?limit=5').catch(function (e) { return { unavailable: e }; });
  return Promise.all([api('GET', '/stats'), api('GET', '/agenda'), broadcasts]).then(function (all) {
    const stats = all[0], event = all[1], recent = all[2];
    const reg = stats.registrations;
    body.textContent = '';
    body.removeAttribute('aria-busy');
    body.appendChild(h('section', { class: 'card kpi' }, [h('h2', { text: t('dash.total') }), h('p', { class: 'big', id: 'kpi-total', text: number(reg.total) })]));
    if (stats.timeSeries) body.appendChild(h('section', { class: 'card wide' }, [minuteChart(stats.timeSeries)]));
    body.appendChild(h('section', { class: 'card wide' }, [barChart(t('dash.byDay'), rowsOf(reg.byDay, null, true))]));
    body.appendChild(h('section', { class: 'card' }, [barChart(t('dash.byCohort'), rowsOf(reg.byCohort, function (k) { return label(event.cohorts, k); }))]));
    body.appendChild(h('section', { class: 'card' }, [barChart(t('dash.byType'), rowsOf(reg.byInstitutionType, function (k) { return label(event.institutionTypes, k); }))]));
    body.appendChild(h('section', { class: 'card' }, [barChart(t('dash.byChannel'), rowsOf(reg.byChannel, function (k) { return ({ ussd: 'USSD', sms: 'SMS', api: 'API', import: getLang() === 'en' ? 'Imported' : 'Orodha' })[k] || k; }))]));
    const list = recent.unavailable ? h('p', { class: 'muted', text: t('dash.noBroadcasts') })
      : recent.items.length ? h('ul', { class: 'plain' }, recent.items.map(broadcastRow)) : h('p', { class: 'muted', text: t('dash.none') });
    body.appendChild(h('section', { class: 'card wide', id: 'recent' }, [h('h2', { text: t('dash.recent') }), list]));
    if (stats.sessionsByNetwork) body.appendChild(h('section', { class: 'card', id: 'networks' }, [barChart(t('dash.networks'), stats.sessionsByNetwork.map(function (n) { return { label: n.name, value: n.sessions }; }))]));
    if (stats.sms) {
      body.appendChild(h('section', { class: 'card' }, [
        barChart(t('dash.delivery'), rowsOf(stats.sms.byState, function (k) { return t('state.' + k); })),
        h('p', {}, [t('dash.cost') + ': ', h('strong', { text: money(stats.sms.cost) })]),
      ]));
    }
  });
}
