// Delegates: search, filters, paging, CSV import and export, erase on request.

import { h } from '../assets/dom.js';
import { api, download } from './api.js';
import { getLang, t } from './i18n.js';
import { errorBox, field, number, readFile, toast, when } from './ui.js';

const PAGE = 25;

export function render(view) {
  const lang = getLang();
  const state = { search: '', cohort: '', institutionType: '', offset: 0 };
  const errors = h('div', {});
  const results = h('div', { class: 'card scroll', 'aria-live': 'polite' });
  view.appendChild(h('h1', { text: t('del.title') }));
  function fail(e) { errors.textContent = ''; errors.appendChild(errorBox(e)); }

  function load() {
    const q = new URLSearchParams({ offset: String(state.offset), limit: String(PAGE) });
    ['search', 'cohort', 'institutionType'].forEach(function (k) { if (state[k]) q.set(k, state[k]); });
    return api('GET', '/delegates?' + q.toString()).then(function (page) {
      results.textContent = '';
      const head = ['del.phone', 'del.name', 'del.institution', 'del.cohort', 'del.code', 'del.registered', 'f.actions'];
      results.appendChild(h('table', {}, [
        h('thead', {}, [h('tr', {}, head.map(function (c) { return h('th', { scope: 'col', text: t(c) }); }))]),
        h('tbody', {}, page.items.map(function (d) {
          return h('tr', {}, [h('td', { class: 'nowrap', text: d.phone }), h('td', { text: d.name }), h('td', { text: d.institution }), h('td', { text: d.cohort }), h('td', { text: d.code }),
            h('td', { class: 'nowrap', text: when(d.registeredAt, true) }),
            h('td', {}, [h('button', { type: 'button', class: 'small danger', 'aria-label': t('del.erase') + ' ' + d.phone, text: t('del.erase'), onclick: function () {
              if (window.confirm(t('del.confirmErase', { phone: d.phone }))) api('DELETE', '/delegates/' + encodeURIComponent(d.phone)).then(load, fail);
            } })])]);
        })),
      ]));
      const end = Math.min(page.total, state.offset + page.items.length);
      results.appendChild(h('div', { class: 'actions pager' }, [
        h('button', { type: 'button', class: 'ghost', text: t('del.prev'), disabled: state.offset === 0, onclick: function () { state.offset = Math.max(0, state.offset - PAGE); load(); } }),
        h('span', { text: (page.total ? state.offset + 1 : 0) + '-' + end + ' ' + t('del.of') + ' ' + number(page.total) }),
        h('button', { type: 'button', class: 'ghost', text: t('del.next'), disabled: end >= page.total, onclick: function () { state.offset += PAGE; load(); } }),
      ]));
    }, fail);
  }

  return api('GET', '/agenda').then(function (event) {
    const any = h('option', { value: '', text: t('del.any') });
    const search = h('input', { type: 'search', id: 'del-search' });
    const cohort = h('select', { id: 'del-cohort' }, [any.cloneNode(true)].concat(event.cohorts.map(function (c) { return h('option', { value: c.id, text: c.short[lang] }); })));
    const type = h('select', { id: 'del-type' }, [any].concat(event.institutionTypes.map(function (kind) { return h('option', { value: kind.id, text: kind.label[lang] }); })));
    let timer = null;
    function changed() { state.search = search.value.trim(); state.cohort = cohort.value; state.institutionType = type.value; state.offset = 0; clearTimeout(timer); timer = setTimeout(load, 250); }
    [search, cohort, type].forEach(function (el) { el.addEventListener('input', changed); });
    const file = h('input', { type: 'file', id: 'del-file', accept: '.csv,text/csv' });
    file.addEventListener('change', function () {
      readFile(file).then(function (text) { return text && api('POST', '/delegates/import', text); }).then(function (r) {
        if (!r) return;
        errors.textContent = '';
        toast(t('del.imported', { created: r.created, existing: r.existing.length, duplicates: r.duplicates.length, errors: r.errors.length }));
        if (r.errors.length) errors.appendChild(errorBox({ message: t('del.imported', { created: r.created, existing: r.existing.length, duplicates: r.duplicates.length, errors: r.errors.length }), details: r.errors }));
        load();
      }, fail);
    });
    view.append(
      h('div', { class: 'filters card' }, [field(t('del.search'), search), field(t('del.cohort'), cohort), field(t('del.type'), type)]),
      h('div', { class: 'actions toolbar' }, [h('button', { type: 'button', class: 'ghost', text: t('del.export'), onclick: function () { download('/delegates.csv', 'delegates.csv').catch(fail); } }), field(t('del.import'), file)]),
      errors, results);
    return load();
  });
}
