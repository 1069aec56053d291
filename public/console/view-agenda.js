// Agenda editor: the sessions table, add / edit / delete, CSV import and export.

import { h } from '../assets/dom.js';
import { api, download } from './api.js';
import { getLang, t } from './i18n.js';
import { errorBox, field, readFile, toast } from './ui.js';

const FIELDS = ['code', 'day', 'start', 'end', 'title_sw', 'title_en', 'short_sw', 'short_en', 'speaker', 'speaker_en', 'room', 'theme'];

function flat(s) {
  return { code: s.code, day: s.day, start: s.start, end: s.end, title_sw: s.title.sw, title_en: s.title.en, short_sw: s.short.sw, short_en: s.short.en, speaker: typeof s.speaker === 'string' ? s.speaker : s.speaker.sw, speaker_en: typeof s.speaker === 'string' ? '' : s.speaker.en, room: s.room, theme: s.theme || '' };
}
function nested(v) {
  return { code: v.code.toUpperCase(), day: v.day, start: v.start, end: v.end, title: { sw: v.title_sw, en: v.title_en }, short: { sw: v.short_sw, en: v.short_en }, speaker: v.speaker_en && v.speaker_en !== v.speaker ? { sw: v.speaker, en: v.speaker_en } : v.speaker, room: v.room, theme: v.theme || null };
}

export function render(view) {
  const errors = h('div', {});
  const editor = h('div', {});
  view.append(h('h1', { text: t('agenda.title') }));
  function reload() { view.textContent = ''; return render(view); }
  function fail(e) { errors.textContent = ''; errors.appendChild(errorBox(e)); }

  function openForm(event, session) {
    const values = session ? flat(session) : { code: '', day: event.days[0] ? event.days[0].date : '', start: '09:00', end: '10:00', title_sw: '', title_en: '', short_sw: '', short_en: '', speaker: '', speaker_en: '', room: '', theme: '' };
    const inputs = {};
    const form = h('form', { class: 'card session-form' }, FIELDS.map(function (f) {
      let input;
      if (f === 'day') input = h('select', {}, event.days.map(function (d) { return h('option', { value: d.date, text: d.date + ' ' + d.label[getLang()], selected: d.date === values.day }); }));
      else if (f === 'theme') input = h('select', {}, [h('option', { value: '', text: '-' })].concat(event.themes.map(function (theme) { return h('option', { value: theme.id, text: theme.id + ' ' + theme.short[getLang()], selected: theme.id === values.theme }); })));
      else input = h('input', { type: f === 'start' || f === 'end' ? 'time' : 'text', value: values[f], readonly: f === 'code' && Boolean(session) });
      inputs[f] = input;
      return field(t('f.' + f), input);
    }).concat([h('div', { class: 'actions' }, [h('button', { type: 'submit', text: t('agenda.save') }), h('button', { type: 'button', class: 'ghost', text: t('cancel'), onclick: function () { editor.textContent = ''; } })])]));
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      const v = {};
      FIELDS.forEach(function (f) { v[f] = inputs[f].value.trim(); });
      const body = nested(v);
      const call = session ? api('PATCH', '/agenda/sessions/' + encodeURIComponent(session.code), (delete body.code, body)) : api('POST', '/agenda/sessions', body);
      call.then(function () { toast(t('agenda.saved')); reload(); }, fail);
    });
    editor.textContent = '';
    editor.appendChild(form);
    inputs[session ? 'title_sw' : 'code'].focus();
  }

  return api('GET', '/agenda').then(function (event) {
    const importInput = h('input', { type: 'file', id: 'agenda-file', accept: '.csv,text/csv' });
    importInput.addEventListener('change', function () {
      readFile(importInput).then(function (text) { return text && api('POST', '/agenda/import', text); }).then(function () { toast(t('agenda.saved')); reload(); }, fail);
    });
    view.appendChild(h('div', { class: 'actions toolbar' }, [
      h('button', { type: 'button', id: 'add-session', text: t('agenda.add'), onclick: function () { openForm(event, null); } }),
      field(t('agenda.import'), importInput),
      h('button', { type: 'button', class: 'ghost', text: t('agenda.export'), onclick: function () { download('/agenda.csv', 'agenda.csv'); } }),
    ]));
    view.append(errors, editor);
    const lang = getLang();
    const head = ['code', 'day', 'start', 'title_' + lang, 'room', 'actions'];
    const rows = event.sessions.map(function (s) {
      return h('tr', {}, [h('td', { text: s.code }), h('td', { text: s.day }), h('td', { text: s.start + '-' + s.end }), h('td', { text: s.title[lang] }), h('td', { text: s.room }),
        h('td', { class: 'nowrap' }, [
          h('button', { type: 'button', class: 'small ghost', 'aria-label': t('agenda.edit') + ' ' + s.code, text: t('agenda.edit'), onclick: function () { openForm(event, s); } }),
          h('button', { type: 'button', class: 'small danger', 'aria-label': t('agenda.delete') + ' ' + s.code, text: t('agenda.delete'), onclick: function () {
            if (window.confirm(t('agenda.confirmDelete', { code: s.code }))) api('DELETE', '/agenda/sessions/' + encodeURIComponent(s.code)).then(reload, fail);
          } })])]);
    });
    view.appendChild(h('div', { class: 'card scroll' }, [h('table', {}, [h('thead', {}, [h('tr', {}, head.map(function (c) { return h('th', { scope: 'col', text: t('f.' + c) }); }))]), h('tbody', {}, rows)])]));
  });
}
