// The audit trail: every admin action (sign-ins, broadcasts, edits, imports, erasures, opt-ins)
// with who did it (the token's role and fingerprint, never the token) and when; CSV export.

import { h } from '../assets/dom.js';
import { api, download } from './api.js';
import { t } from './i18n.js';
import { errorBox, when } from './ui.js';

export function render(view) {
  const errors = h('div', {});
  view.append(h('h1', { text: t('audit.title') }), h('p', { class: 'muted', text: t('audit.intro') }),
    h('div', { class: 'actions toolbar' }, [h('button', { type: 'button', class: 'ghost', id: 'audit-csv', text: t('audit.export'), onclick: function () { download('/audit.csv', 'kiungo-audit.csv').catch(function (e) { errors.appendChild(errorBox(e)); }); } })]),
    errors);
  return api('GET', '/audit?limit=500').then(function (page) {
    view.appendChild(h('section', { class: 'card scroll' }, [page.items.length ? h('table', { id: 'audit-table' }, [
      h('thead', {}, [h('tr', {}, ['audit.when', 'audit.who', 'audit.what', 'audit.target', 'audit.detail'].map(function (c) { return h('th', { scope: 'col', text: t(c) }); }))]),
      h('tbody', {}, page.items.map(function (e) {
        return h('tr', {}, [h('td', { class: 'nowrap', text: when(e.at) }), h('td', { class: 'nowrap', text: e.role + ' · ' + e.fingerprint }),
          h('td', { title: e.action, text: t('audit.action.' + e.action) === 'audit.action.' + e.action ? e.action : t('audit.action.' + e.action) }), h('td', { text: e.target }), h('td', { text: e.detail })]);
      })),
    ]) : h('p', { class: 'muted', text: t('dash.none') })]));
  }, function (e) { errors.appendChild(errorBox(e)); });
}
