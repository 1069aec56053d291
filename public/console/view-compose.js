// Broadcast composer: audience, both languages with live counters, preview, test send, send.

import { h } from '../assets/dom.js';
import { measureSms } from '../assets/gsm.js';
import { api } from './api.js';
import { getLang, t } from './i18n.js';
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

export function render(view) {
  const lang = getLang();
  let key = newKey();
  let lastPreview = null;
  view.appendChild(h('h1', { text: t('compose.title') }));
  return api('GET', '/agenda').then(function (event) {
    const form = h('form', { class: 'compose', novalidate: true });
    const modes = ['all', 'cohorts', 'types', 'sessions', 'list'];
    const pickers = {
      all: null,
      cohorts: checkboxes('cohort', event.cohorts.map(function (c) { return { id: c.id, label: c.short[lang] }; })),
      types: checkboxes('type', event.institutionTypes.map(function (type) { return { id: type.id, label: type.label[lang] }; })),
      sessions: checkboxes('session', event.sessions.map(function (s) { return { id: s.code, label: s.code + ' ' + s.short[lang] }; })),
      list: h('div', {}, [field(t('aud.paste'), h('textarea', { id: 'aud-paste', rows: 4 })), field(t('aud.file'), h('input', { type: 'file', id: 'aud-file', accept: '.csv,text/csv,text/plain' }))]),
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
      h('input', { type: 'datetime-local', id: 'send-at', 'aria-label': t('compose.at') }),
      h('label', { class: 'check' }, [h('input', { type: 'checkbox', id: 'urgent' }), ' ' + t('compose.urgent')])]);
    const test = h('section', { class: 'card row' }, [field(t('compose.testPhone'), h('input', { type: 'tel', id: 'test-phone', autocomplete: 'tel' })), h('button', { type: 'button', id: 'test-send', class: 'ghost', text: t('compose.testSend') })]);
    const name = field(t('compose.name'), h('input', { type: 'text', id: 'bc-name', maxlength: 120 }));
    const sendButton = h('button', { type: 'submit', id: 'send', text: t('compose.send') });
    const errors = h('div', { id: 'compose-errors' });
    form.append(name, audience, h('div', { class: 'langs' }, texts), previewBox, whenBox, test, errors, h('div', { class: 'actions' }, [sendButton]));
    view.appendChild(form);

    let fileText = '';
    function draft() {
      const mode = form.querySelector('input[name=mode]:checked').value;
      const checked = function (n) { return Array.from(form.querySelectorAll('input[name=' + n + ']:checked')).map(function (i) { return i.value; }); };
      const aud = {};
      if (mode === 'all') aud.all = true;
      if (mode === 'cohorts') aud.cohorts = checked('cohort');
      if (mode === 'types') aud.institutionTypes = checked('type');
      if (mode === 'sessions') aud.sessions = checked('session');
      if (mode === 'list') aud.phonesCsv = [form.querySelector('#aud-paste').value, fileText].join('\n');
      const d = { audience: aud, messages: {} };
      const nm = form.querySelector('#bc-name').value.trim();
      if (nm) d.name = nm;
      ['sw', 'en'].forEach(function (l) { const v = form.querySelector('#msg-' + l).value; if (v.trim()) d.messages[l] = v; });
      const at = form.querySelector('#send-at').value;
      if (form.querySelector('input[name=when]:checked').value === 'at' && at) d.sendAt = new Date(at).toISOString();
      if (form.querySelector('#urgent').checked) d.urgent = true;
      return d;
    }
    function showPreview(p) {
      lastPreview = p;
      previewBox.textContent = '';
      previewBox.appendChild(h('h2', { text: t('compose.preview') }));
      previewBox.appendChild(h('p', {}, [t('compose.recipients') + ': ', h('strong', { id: 'recipients', text: number(p.audience.eligible) }),
        ' (' + number(p.audience.optedOut) + ' ' + t('compose.optedOut') + ', ' + number(p.audience.invalid) + ' ' + t('compose.invalid') + ')']));
      previewBox.appendChild(h('p', {}, [t('compose.cost') + ': ', h('strong', { id: 'cost', text: money(p.cost) }), ' · ' + number(p.cost.segments) + ' SMS']));
      if (p.quietHours.inQuietHours && !p.quietHours.urgent) previewBox.appendChild(h('p', { class: 'warn', role: 'alert', text: t('compose.quiet') + ' ' + when(p.quietHours.sendsAt) + ' (' + p.quietHours.window + ')' }));
      p.problems.forEach(function (problem) { previewBox.appendChild(h('p', { class: 'warn', text: problem })); });
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
        api('POST', '/broadcasts/preview', d).then(function (p) { errors.textContent = ''; showPreview(p); }, function (e) { lastPreview = null; errors.textContent = ''; errors.appendChild(errorBox(e)); });
      }, 400);
    }
    form.addEventListener('input', refresh);
    form.addEventListener('change', function (e) {
      if (e.target.id === 'aud-file') readFile(e.target).then(function (text) { fileText = text; refresh(); });
      else refresh();
    });
    form.querySelector('#test-send').addEventListener('click', function () {
      api('POST', '/broadcasts/test-send', { draft: draft(), phone: form.querySelector('#test-phone').value }).then(function () { toast(t('compose.testSent')); }, function (e) { errors.textContent = ''; errors.appendChild(errorBox(e)); });
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      const d = draft();
      confirmSend(d, lastPreview, function () {
        return api('POST', '/broadcasts', d, { headers: { 'Idempotency-Key': key } }).then(function (b) { key = newKey(); window.location.hash = '#/broadcast/' + encodeURIComponent(b.id); });
      }, errors);
    });
    refresh();
  });
}

/** The confirm dialog: count and cost from the last preview; `send` runs on yes. */
function confirmSend(draft, preview, send, errors) {
  const n = preview ? number(preview.audience.eligible) : '?';
  const cost = preview ? money(preview.cost) : '?';
  const dialog = h('dialog', { id: 'confirm', 'aria-labelledby': 'confirm-title' }, [
    h('h2', { id: 'confirm-title', text: t('compose.confirmTitle') }),
    h('p', { text: t('compose.confirmText', { n: n, cost: cost }) }),
    draft.sendAt ? h('p', { text: t('compose.at') + ': ' + when(draft.sendAt) }) : null,
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
