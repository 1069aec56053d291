// The opt-out list: who asked for no SMS, through what (STOP keyword, the network's opt-out,
// a blacklist result) and when; search by number; opt a number back in with a recorded reason.

import { h } from '../assets/dom.js';
import { api } from './api.js';
import { t } from './i18n.js';
import { errorBox, field, number, toast, when } from './ui.js';

const PAGE = 50;

export function render(view) {
  const state = { search: '', offset: 0 };
  const errors = h('div', {});
  const results = h('div', { class: 'card scroll', 'aria-live': 'polite', id: 'optout-results' });
  const search = h('input', { type: 'search', id: 'optout-search', inputmode: 'tel' });
  view.append(h('h1', { text: t('opt.title') }), h('p', { class: 'muted', text: t('opt.intro') }), h('div', { class: 'card' }, [field(t('opt.search'), search)]), errors, results);
  function fail(e) { errors.textContent = ''; errors.appendChild(errorBox(e)); }

  function optIn(phone) {
    const reason = window.prompt(t('opt.reasonPrompt', { phone: phone }));
    if (reason === null) return;
    api('POST', '/opt-outs/' + encodeURIComponent(phone) + '/opt-in', { reason: reason }).then(function () { toast(t('opt.done', { phone: phone })); load(); }, fail);
  }

  function load() {
    const q = new URLSearchParams({ offset: String(state.offset), limit: String(PAGE) });
    if (state.search) q.set('search', state.search);
    return api('GET', '/opt-outs?' + q.toString()).then(function (page) {
      errors.textContent = '';
      results.textContent = '';
      if (!page.items.length) { results.appendChild(h('p', { class: 'muted', id: 'optout-empty', text: t('opt.none') })); return; }
      results.appendChild(h('table', { id: 'optout-table' }, [
        h('thead', {}, [h('tr', {}, ['del.phone', 'opt.source', 'opt.when', 'f.actions'].map(function (c) { return h('th', { scope: 'col', text: t(c) }); }))]),
        h('tbody', {}, page.items.map(function (o) {
          return h('tr', { 'data-phone': o.phone }, [h('td', { class: 'nowrap', text: o.phone }),
            h('td', { text: t('opt.src.' + o.source) + (o.senders.length ? ' (' + o.senders.join(', ') + ')' : '') }),
            h('td', { class: 'nowrap', text: when(o.at) }),
            h('td', {}, [h('button', { type: 'button', class: 'small ghost', text: t('opt.optIn'), 'aria-label': t('opt.optIn') + ' ' + o.phone, onclick: function () { optIn(o.phone); } })])]);
        })),
      ]));
      results.appendChild(h('p', { class: 'muted', text: number(page.total) + ' ' + t('opt.count') }));
    }, fail);
  }
  let timer = null;
  search.addEventListener('input', function () { state.search = search.value.trim(); state.offset = 0; clearTimeout(timer); timer = setTimeout(load, 250); });
  return load();
}
