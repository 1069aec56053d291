/* Delegates: search, filters, paging, CSV import and export, erase on request. */
(function () {
  'use strict';
  var KC = window.KC;
  var h = KC.h;
  var PAGE = 25;

  function render(view) {
    var lang = KC.getLang();
    var state = { search: '', cohort: '', institutionType: '', offset: 0 };
    var errors = h('div', {});
    var results = h('div', { class: 'card scroll', 'aria-live': 'polite' });
    view.appendChild(h('h1', { text: KC.t('del.title') }));
    function fail(e) { errors.textContent = ''; errors.appendChild(KC.errorBox(e)); }

    function load() {
      var q = new URLSearchParams({ offset: String(state.offset), limit: String(PAGE) });
      ['search', 'cohort', 'institutionType'].forEach(function (k) { if (state[k]) q.set(k, state[k]); });
      return KC.api('GET', '/delegates?' + q.toString()).then(function (page) {
        results.textContent = '';
        var head = ['del.phone', 'del.name', 'del.institution', 'del.cohort', 'del.code', 'del.registered', 'f.actions'];
        results.appendChild(h('table', {}, [
          h('thead', {}, [h('tr', {}, head.map(function (c) { return h('th', { scope: 'col', text: KC.t(c) }); }))]),
          h('tbody', {}, page.items.map(function (d) {
            return h('tr', {}, [h('td', { class: 'nowrap', text: d.phone }), h('td', { text: d.name }), h('td', { text: d.institution }), h('td', { text: d.cohort }), h('td', { text: d.code }),
              h('td', { class: 'nowrap', text: KC.when(d.registeredAt, true) }),
              h('td', {}, [h('button', { type: 'button', class: 'small danger', 'aria-label': KC.t('del.erase') + ' ' + d.phone, text: KC.t('del.erase'), onclick: function () {
                if (window.confirm(KC.t('del.confirmErase', { phone: d.phone }))) KC.api('DELETE', '/delegates/' + encodeURIComponent(d.phone)).then(load, fail);
              } })])]);
          })),
        ]));
        var end = Math.min(page.total, state.offset + page.items.length);
        results.appendChild(h('div', { class: 'actions pager' }, [
          h('button', { type: 'button', class: 'ghost', text: KC.t('del.prev'), disabled: state.offset === 0, onclick: function () { state.offset = Math.max(0, state.offset - PAGE); load(); } }),
          h('span', { text: (page.total ? state.offset + 1 : 0) + '-' + end + ' ' + KC.t('del.of') + ' ' + KC.number(page.total) }),
          h('button', { type: 'button', class: 'ghost', text: KC.t('del.next'), disabled: end >= page.total, onclick: function () { state.offset += PAGE; load(); } }),
        ]));
      }, fail);
    }

    return KC.api('GET', '/agenda').then(function (event) {
      var any = h('option', { value: '', text: KC.t('del.any') });
      var search = h('input', { type: 'search', id: 'del-search' });
      var cohort = h('select', { id: 'del-cohort' }, [any.cloneNode(true)].concat(event.cohorts.map(function (c) { return h('option', { value: c.id, text: c.short[lang] }); })));
      var type = h('select', { id: 'del-type' }, [any].concat(event.institutionTypes.map(function (t) { return h('option', { value: t.id, text: t.label[lang] }); })));
      var timer = null;
      function changed() { state.search = search.value.trim(); state.cohort = cohort.value; state.institutionType = type.value; state.offset = 0; clearTimeout(timer); timer = setTimeout(load, 250); }
      [search, cohort, type].forEach(function (el) { el.addEventListener('input', changed); });
      var file = h('input', { type: 'file', id: 'del-file', accept: '.csv,text/csv' });
      file.addEventListener('change', function () {
        KC.readFile(file).then(function (text) { return text && KC.api('POST', '/delegates/import', text); }).then(function (r) {
          if (!r) return;
          errors.textContent = '';
          KC.toast(KC.t('del.imported', { created: r.created, existing: r.existing.length, duplicates: r.duplicates.length, errors: r.errors.length }));
          if (r.errors.length) errors.appendChild(KC.errorBox({ message: KC.t('del.imported', { created: r.created, existing: r.existing.length, duplicates: r.duplicates.length, errors: r.errors.length }), details: r.errors }));
          load();
        }, fail);
      });
      view.append(
        h('div', { class: 'filters card' }, [KC.field(KC.t('del.search'), search), KC.field(KC.t('del.cohort'), cohort), KC.field(KC.t('del.type'), type)]),
        h('div', { class: 'actions toolbar' }, [h('button', { type: 'button', class: 'ghost', text: KC.t('del.export'), onclick: function () { KC.download('/delegates.csv', 'delegates.csv').catch(fail); } }), KC.field(KC.t('del.import'), file)]),
        errors, results);
      return load();
    });
  }

  KC.views = KC.views || {};
  KC.views.delegates = render;
})();
