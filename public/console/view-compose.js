// Broadcast composer: audience, both languages with live counters, preview, test send, send.

import { h } from '../assets/dom.js';
import { measureSms } from '../assets/gsm.js';
import { api } from './api.js';
import { getLang, t, tn } from './i18n.js';
import { errorBox, field, money, number, readFile, toast, when } from './ui.js';

function newKey() {
  return window.crypto && window.crypto.randomUUID ? window.crypto.randomUUID() : 'k' + Date.now().toString(36) + Math.random().toString(36).slice(2);
}

function checkboxes(name, items) {
  return h('div', { class: 'checks' }, items.map(function (item) {
    return h('label', { class: 'check' }, [h('input', { type: 'checkbox', name: name, value: item.id }), ' ' + item.label]);
  }));
}

/** The live counter under one language's text: a line to read and the measure itself. */
function counterText(text) {
  const m = measureSms(text);
  let line = number(m.units) + ' ' + t('count.chars') + ' · ' + m.encoding + ' · ' + m.segments + ' ' + t('count.segments') + ' (' + m.perSegment + ')';
  if (m.nonGsmCharacters.length) line += ' · ' + t('count.ucs') + ' ' + m.nonGsmCharacters.map(function (c) { return '"' + c + '"'; }).join(' ');
  return { line: line, ucs: m.encoding === 'UCS-2', measure: m };
}

const EAT_MS = 3 * 3600 * 1000;

/** The next 60 days as East Africa Time dates (YYYY-MM-DD), labelled in the console's language. */
function dayOptions() {
  const out = [];
  const today = new Date(Date.now() + EAT_MS);
  for (let i = 0; i < 60; i++) {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + i));
    const value = d.toISOString().slice(0, 10);
    const label = d.toLocaleDateString(getLang() === 'en' ? 'en-GB' : 'sw-TZ', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    out.push(h('option', { value: value, text: label }));
  }
  return out;
}

/** The UTC instant of a date and 24-hour time read as East Africa Time (UTC+3, no summer time); null if the time is not HH:MM. */
export function eatInstant(day, time) {
  const m = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/.exec(String(time).trim());
  if (!day || !m) return null;
  return new Date(`${day}T${m[1].padStart(2, '0')}:${m[2]}:00+03:00`).toISOString();
}

/** The preview's warnings, written here from its figures so they read in the console's language. */
function warnings(p, draft) {
  const out = [];
  const other = function (l) { return l === 'sw' ? 'en' : 'sw'; };
  ['sw', 'en'].forEach(function (l) {
    const entry = p.languages[l];
    if (!entry) return;
    if (!draft.messages[l] && draft.messages[other(l)] && entry.recipients) out.push(tn('compose.warnMissing', entry.recipients, { lang: t('lang.' + l), other: t('lang.' + other(l)) }));
    if (entry.encoding === 'UCS-2') out.push(tn('compose.warnUcs', 1, { lang: t('lang.' + (draft.messages[l] ? l : other(l))), chars: entry.nonGsmCharacters.map(function (c) { return '"' + c + '"'; }).join(' ') }));
  });
  return out;
}

export function render(view) {
  const lang = getLang();
  let key = newKey();
  let lastPreview = null;
  view.appendChild(h('h1', { text: t('compose.title') }));
  return api('GET', '/agenda').then(function (event) {
    const form = h('form', { class: 'compose', novalidate: true });
    const modes = ['all', 'cohorts', 'types', 'sessions', 'list', 'merge'];
    const pickers = {
      all: null,
      cohorts: checkboxes('cohort', event.cohorts.map(function (c) { return { id: c.id, label: c.short[lang] }; })),
      types: checkboxes('type', event.institutionTypes.map(function (type) { return { id: type.id, label: type.label[lang] }; })),
      sessions: checkboxes('session', event.sessions.map(function (s) { return { id: s.code, label: s.code + ' ' + s.short[lang] }; })),
      list: h('div', {}, [field(t('aud.paste'), h('textarea', { id: 'aud-paste', rows: 4 })), field(t('aud.file'), h('input', { type: 'file', id: 'aud-file', accept: '.csv,text/csv,text/plain' }))]),
      merge: h('div', {}, [h('p', { class: 'muted', text: t('merge.help') }), field(t('merge.paste'), h('textarea', { id: 'merge-paste', rows: 4, placeholder: 'phone,seat\n0712345678,A12' })), field(t('aud.file'), h('input', { type: 'file', id: 'merge-file', accept: '.csv,text/csv,text/plain' }))]),
    };
    const audience = h('fieldset', { class: 'card' }, [h('legend', { text: t('compose.audience') })].concat(modes.map(function (mode) {
      return h('div', { class: 'mode' }, [h('label', {}, [h('input', { type: 'radio', name: 'mode', value: mode, checked: mode === 'all' }), ' ' + t('aud.' + mode)]), pickers[mode] ? h('div', { class: 'picker', 'data-mode': mode, hidden: true }, [pickers[mode]]) : null]);
    })));
    const texts = ['sw', 'en'].map(function (l) {
      const area = h('textarea', { id: 'msg-' + l, rows: 6, maxlength: 1600, 'aria-describedby': 'count-' + l });
      return h('div', { class: 'lang-box' }, [field(t('compose.' + l), area), h('p', { class: 'counter', id: 'count-' + l, 'aria-live': 'polite' })]);
    });
    const previewBox = h('section', { class: 'card preview', id: 'preview', 'aria-live': 'polite' }, [h('h2', { text: t('compose.preview') }), h('p', { class: 'muted', text: '-' })]);
    const whenBox = h('fieldset', { class: 'card' }, [h('legend', { text: t('compose.when') }),
      h('label', {}, [h('input', { type: 'radio', name: 'when', value: 'now', checked: true }), ' ' + t('compose.now')]),
      h('label', {}, [h('input', { type: 'radio', name: 'when', value: 'at' }), ' ' + t('compose.at')]),
      h('div', { class: 'when-row' }, [
        field(t('compose.day'), h('select', { id: 'send-day' }, dayOptions())),
        field(t('compose.time'), h('input', { type: 'text', id: 'send-time', inputmode: 'numeric', placeholder: '14:30', maxlength: 5, autocomplete: 'off' }), t('compose.timeHint'))]),
      h('label', { class: 'check' }, [h('input', { type: 'checkbox', id: 'urgent' }), ' ' + t('compose.urgent')])]);
    // The test's own message box: the preview refresh never clears it.
    const testErrors = h('div', { id: 'test-errors', 'aria-live': 'assertive' });
    const test = h('section', { class: 'card' }, [h('div', { class: 'row' }, [field(t('compose.testPhone'), h('input', { type: 'tel', id: 'test-phone', autocomplete: 'tel' })), h('button', { type: 'button', id: 'test-send', class: 'ghost', text: t('compose.testSend') })]), testErrors]);
    const name = field(t('compose.name'), h('input', { type: 'text', id: 'bc-name', maxlength: 120 }));
    const sendButton = h('button', { type: 'submit', id: 'send', text: t('compose.send') });
    const errors = h('div', { id: 'compose-errors' });
    form.append(name, audience, h('div', { class: 'langs' }, texts), previewBox, whenBox, test, errors, h('div', { class: 'actions' }, [sendButton]));
    view.appendChild(form);

    let fileText = '';
    let mergeText = '';
    function draft() {
      const mode = form.querySelector('input[name=mode]:checked').value;
      const checked = function (n) { return Array.from(form.querySelectorAll('input[name=' + n + ']:checked')).map(function (i) { return i.value; }); };
      const aud = {};
      if (mode === 'all') aud.all = true;
      if (mode === 'cohorts') aud.cohorts = checked('cohort');
      if (mode === 'types') aud.institutionTypes = checked('type');
      if (mode === 'sessions') aud.sessions = checked('session');
      if (mode === 'list') aud.phonesCsv = [form.querySelector('#aud-paste').value, fileText].join('\n');
      if (mode === 'merge') aud.mergeCsv = mergeText || form.querySelector('#merge-paste').value;
      const d = { audience: aud, messages: {} };
      const nm = form.querySelector('#bc-name').value.trim();
      if (nm) d.name = nm;
      ['sw', 'en'].forEach(function (l) { const v = form.querySelector('#msg-' + l).value; if (v.trim()) d.messages[l] = v; });
      const at = eatInstant(form.querySelector('#send-day').value, form.querySelector('#send-time').value);
      if (form.querySelector('input[name=when]:checked').value === 'at' && at) d.sendAt = at;
      if (form.querySelector('#urgent').checked) d.urgent = true;
      return d;
    }
    function showPreview(p, d) {
      lastPreview = p;
      previewBox.textContent = '';
      previewBox.appendChild(h('h2', { text: t('compose.preview') }));
      previewBox.appendChild(h('p', {}, [t('compose.recipients') + ': ', h('strong', { id: 'recipients', text: number(p.audience.eligible) }),
        ' (' + number(p.audience.optedOut) + ' ' + t('compose.optedOut') + ', ', h('span', { id: 'invalid-count', text: number(p.audience.invalid) }), ' ' + t('compose.invalid') + ')']));
      const bad = p.audience.invalidEntries || [];
      if (bad.length) previewBox.appendChild(h('div', { class: 'warn', id: 'invalid-list' }, [t('compose.invalidList'), h('ul', { class: 'invalid-list' }, bad.map(function (x) { return h('li', { text: x }); }))]));
      previewBox.appendChild(h('p', {}, [t('compose.cost') + ': ', h('strong', { id: 'cost', text: money(p.cost) }), ' · ' + number(p.cost.segments) + ' SMS']));
      if (p.quietHours.inQuietHours && !p.quietHours.urgent) previewBox.appendChild(h('p', { class: 'warn', role: 'alert', text: t('compose.quiet') + ' ' + when(p.quietHours.sendsAt) + ' (' + p.quietHours.window + ')' }));
      if (p.merge) previewBox.appendChild(mergePreview(p.merge));
      warnings(p, d).forEach(function (problem) { previewBox.appendChild(h('p', { class: 'warn problem', text: problem })); });
    }
    let timer = null;
    function refresh() {
      ['sw', 'en'].forEach(function (l) {
        const c = counterText(form.querySelector('#msg-' + l).value);
        const el = form.querySelector('#count-' + l);
        el.textContent = c.line;
        el.className = 'counter' + (c.ucs ? ' ucs' : '');
        // The measure itself, for tools and tests that compare it with the gateway's.
        el.dataset.encoding = c.measure.encoding;
        el.dataset.units = String(c.measure.units);
        el.dataset.segments = String(c.measure.segments);
      });
      modes.forEach(function (m) { const p = form.querySelector('.picker[data-mode=' + m + ']'); if (p) p.hidden = form.querySelector('input[name=mode]:checked').value !== m; });
      clearTimeout(timer);
      timer = setTimeout(function () {
        const d = draft();
        if (!d.messages.sw && !d.messages.en) return;
        api('POST', '/broadcasts/preview', d).then(function (p) { errors.textContent = ''; showPreview(p, d); }, function (e) { lastPreview = null; errors.textContent = ''; errors.appendChild(errorBox(e)); });
      }, 400);
    }
    form.addEventListener('input', refresh);
    form.addEventListener('change', function (e) {
      if (e.target.id === 'aud-file') readFile(e.target).then(function (text) { fileText = text; refresh(); });
      else if (e.target.id === 'merge-file') readFile(e.target).then(function (text) { mergeText = text; refresh(); });
      else refresh();
    });
    form.querySelector('#test-send').addEventListener('click', function () {
      testErrors.textContent = '';
      api('POST', '/broadcasts/test-send', { draft: draft(), phone: form.querySelector('#test-phone').value }).then(function () { toast(t('compose.testSent')); }, function (e) { testErrors.textContent = ''; testErrors.appendChild(errorBox(e)); });
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      const d = draft();
      if (form.querySelector('input[name=when]:checked').value === 'at' && !d.sendAt) { errors.textContent = ''; errors.appendChild(errorBox({ message: t('compose.badTime') })); return; }
      confirmSend(d, lastPreview, function () {
        return api('POST', '/broadcasts', d, { headers: { 'Idempotency-Key': key } }).then(function (b) { key = newKey(); window.location.hash = '#/broadcast/' + encodeURIComponent(b.id); });
      }, errors);
    });
    refresh();
  });
}

/** The sheet's reason for a row, in the console's language. */
function mergeReason(reason) {
  const empty = /^empty (.+)$/.exec(reason);
  if (empty) return t('merge.r.empty', { cols: empty[1] });
  const key = { 'invalid number': 'merge.r.invalid', 'repeated number': 'merge.r.repeated', 'no phone column in the header': 'merge.r.noPhone' }[reason];
  return key ? t(key) : reason;
}

/** A merge sheet's rows as each person gets them (first 50), and the rows that will not be sent. */
function mergePreview(merge) {
  const box = h('div', { id: 'merge-preview' }, [h('p', { class: 'muted', text: t('merge.columns') + ' ' + (merge.columns.length ? merge.columns.map(function (c) { return '{' + c + '}'; }).join(' ') : '-') })]);
  if (merge.invalid.length) {
    box.appendChild(h('div', { class: 'warn', id: 'merge-invalid' }, [t('merge.invalid'), h('ul', { class: 'invalid-list' }, merge.invalid.map(function (r) {
      return h('li', { text: t('merge.line') + ' ' + r.line + ': ' + (r.phone || '-') + ' · ' + mergeReason(r.reason) });
    }))]));
  }
  if (merge.rows.length) {
    box.appendChild(h('div', { class: 'scroll' }, [h('table', { id: 'merge-rows' }, [
      h('thead', {}, [h('tr', {}, ['del.phone', 'skip.message', 'merge.encoding', 'count.segments', 'compose.cost'].map(function (c) { return h('th', { scope: 'col', text: t(c) }); }))]),
      h('tbody', {}, merge.rows.slice(0, 50).map(function (r) {
        return h('tr', {}, [h('td', { class: 'nowrap', text: r.phone }), h('td', { text: r.text }), h('td', { class: r.encoding === 'UCS-2' ? 'counter ucs' : '', text: r.encoding }), h('td', { text: number(r.segments) }), h('td', { class: 'nowrap', text: number(r.cost) })]);
      })),
    ])]));
  }
  return box;
}

/** The confirm dialog: count and cost from the last preview; `send` runs on yes. */
function confirmSend(draft, preview, send, errors) {
  const cost = preview ? money(preview.cost) : '?';
  const q = preview && preview.quietHours;
  const held = q && q.inQuietHours && !draft.urgent;
  const dialog = h('dialog', { id: 'confirm', 'aria-labelledby': 'confirm-title' }, [
    h('h2', { id: 'confirm-title', text: t('compose.confirmTitle') }),
    h('p', { id: 'confirm-text', text: preview ? tn('compose.confirmText', preview.audience.eligible, { n: number(preview.audience.eligible), cost: cost }) : t('compose.confirmText.other', { n: '?', cost: cost }) }),
    draft.sendAt ? h('p', { text: t('compose.at') + ': ' + when(draft.sendAt) }) : null,
    held ? h('p', { class: 'warn', id: 'confirm-held', text: t('compose.confirmHeld', { window: q.window, at: when(q.sendsAt) }) }) : null,
    h('div', { class: 'actions' }, [h('button', { type: 'button', class: 'ghost', value: 'no', text: t('cancel') }), h('button', { type: 'button', value: 'yes', id: 'confirm-yes', text: t('compose.confirm') })]),
  ]);
  document.body.appendChild(dialog);
  dialog.addEventListener('close', function () { dialog.remove(); });
  dialog.querySelectorAll('button').forEach(function (button) {
    button.addEventListener('click', function () {
      if (button.value !== 'yes') return dialog.close();
      button.disabled = true;
      send().then(function () { dialog.close(); }, function (e) { dialog.close(); errors.textContent = ''; errors.appendChild(errorBox(e)); });
    });
  });
  dialog.showModal();
}
