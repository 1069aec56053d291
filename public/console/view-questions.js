// Questions to the panel: a session's moderation queue (approve, hide, mark answered) and its
// projector link.

import { h } from '../assets/dom.js';
import { api } from './api.js';
import { getLang, t } from './i18n.js';
import { errorBox, when } from './ui.js';

const ACTIONS = [['approved', 'q.approve'], ['hidden', 'q.hide'], ['answered', 'q.answered'], ['pending', 'q.pending']];

export function render(view, code) {
  const lang = getLang();
  const errors = h('div', {});
  const list = h('div', { 'aria-live': 'polite' });
  const link = h('div', { class: 'actions' });
  function fail(e) { errors.textContent = ''; errors.appendChild(errorBox(e)); }

  function load(session) {
    if (!session) return Promise.resolve();
    return api('GET', '/questions/' + encodeURIComponent(session)).then(function (r) {
      list.textContent = '';
      if (!r.items.length) list.appendChild(h('p', { class: 'muted', text: t('q.none') }));
      r.items.slice().reverse().forEach(function (q) {
        list.appendChild(h('div', { class: 'card question q-' + q.status }, [
          h('p', { class: 'q-text', text: q.text }),
          h('p', { class: 'muted', text: [t('q.status.' + q.status), when(q.at), q.name || q.phone, q.channel.toUpperCase()].join(' · ') }),
          h('div', { class: 'actions' }, ACTIONS.filter(function (a) { return a[0] !== q.status; }).map(function (a) {
            return h('button', { type: 'button', class: 'small' + (a[0] === 'hidden' ? ' ghost' : ''), text: t(a[1]), onclick: function () {
              api('PATCH', '/questions/' + encodeURIComponent(session) + '/' + q.id, { status: a[0] }).then(function () { return load(session); }, fail);
            } });
          })),
        ]));
      });
    }, fail);
  }

  return api('GET', '/agenda').then(function (event) {
    const select = h('select', { id: 'q-session' }, [h('option', { value: '', text: t('q.choose') })].concat(event.sessions.map(function (s) {
      return h('option', { value: s.code, text: s.code + ' ' + s.day + ' ' + s.start + ' ' + s.short[lang], selected: s.code === code });
    })));
    select.addEventListener('change', function () { window.location.hash = '#/questions/' + encodeURIComponent(select.value); });
    const projector = h('button', { type: 'button', class: 'ghost', text: t('q.projector'), onclick: function () {
      if (!select.value) return;
      api('POST', '/questions/' + encodeURIComponent(select.value) + '/projector-token').then(function (r) {
        link.textContent = '';
        const url = window.location.origin + r.url;
        link.appendChild(h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', text: t('q.open') }));
        link.appendChild(h('input', { type: 'text', readonly: true, value: url, 'aria-label': t('q.projector'), class: 'q-link' }));
      }, fail);
    } });
    const refresh = h('button', { type: 'button', class: 'ghost', text: t('q.refresh'), onclick: function () { load(select.value); } });
    view.append(h('h1', { text: t('q.title') }),
      h('div', { class: 'card' }, [h('label', { for: select.id, text: t('q.session') }), select, h('div', { class: 'actions' }, [refresh, projector]), link]),
      errors, list);
    return load(code);
  });
}
