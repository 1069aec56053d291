/* Broadcast composer: audience, both languages with live counters, preview, test send, send. */
(function () {
  'use strict';
  var KC = window.KC;
  var h = KC.h;

  function newKey() {
    return window.crypto && window.crypto.randomUUID ? window.crypto.randomUUID() : 'k' + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function checkboxes(name, items) {
    return h('div', { class: 'checks' }, items.map(function (item) {
      return h('label', { class: 'check' }, [h('input', { type: 'checkbox', name: name, value: item.id }), ' ' + item.label]);
    }));
  }

  /** The live counter under one language's text. */
  function counterText(text) {
    var m = KC.measureSms(text);
    var line = KC.number(m.units) + ' ' + KC.t('count.chars') + ' · ' + m.encoding + ' · ' + m.segments + ' ' + KC.t('count.segments') + ' (' + m.perSegment + ')';
    if (m.nonGsmCharacters.length) line += ' · ' + KC.t('count.ucs') + ' ' + m.nonGsmCharacters.map(function (c) { return '"' + c + '"'; }).join(' ');
    return { line: line, ucs: m.encoding === 'UCS-2' };
  }

  function render(view) {
    var lang = KC.getLang();
    var key = newKey();
    var lastPreview = null;
    view.appendChild(h('h1', { text: KC.t('compose.title') }));
    return KC.api('GET', '/agenda').then(function (event) {
      var form = h('form', { class: 'compose', novalidate: true });
      var modes = ['all', 'cohorts', 'types', 'sessions', 'list'];
      var pickers = {
        all: null,
        cohorts: checkboxes('cohort', event.cohorts.map(function (c) { return { id: c.id, label: c.short[lang] }; })),
        types: checkboxes('type', event.institutionTypes.map(function (t) { return { id: t.id, label: t.label[lang] }; })),
        sessions: checkboxes('session', event.sessions.map(function (s) { return { id: s.code, label: s.code + ' ' + s.short[lang] }; })),
        list: h('div', {}, [KC.field(KC.t('aud.paste'), h('textarea', { id: 'aud-paste', rows: 4 })), KC.field(KC.t('aud.file'), h('input', { type: 'file', id: 'aud-file', accept: '.csv,text/csv,text/plain' }))]),
      };
      var audience = h('fieldset', { class: 'card' }, [h('legend', { text: KC.t('compose.audience') })].concat(modes.map(function (mode) {
        return h('div', { class: 'mode' }, [h('label', {}, [h('input', { type: 'radio', name: 'mode', value: mode, checked: mode === 'all' }), ' ' + KC.t('aud.' + mode)]), pickers[mode] ? h('div', { class: 'picker', 'data-mode': mode, hidden: true }, [pickers[mode]]) : null]);
      })));
      var texts = ['sw', 'en'].map(function (l) {
        var area = h('textarea', { id: 'msg-' + l, rows: 6, maxlength: 1600, 'aria-describedby': 'count-' + l });
        return h('div', { class: 'lang-box' }, [KC.field(KC.t('compose.' + l), area), h('p', { class: 'counter', id: 'count-' + l, 'aria-live': 'polite' })]);
      });
      var previewBox = h('section', { class: 'card preview', id: 'preview', 'aria-live': 'polite' }, [h('h2', { text: KC.t('compose.preview') }), h('p', { class: 'muted', text: '-' })]);
      var when = h('fieldset', { class: 'card' }, [h('legend', { text: KC.t('compose.when') }),
        h('label', {}, [h('input', { type: 'radio', name: 'when', value: 'now', checked: true }), ' ' + KC.t('compose.now')]),
        h('label', {}, [h('input', { type: 'radio', name: 'when', value: 'at' }), ' ' + KC.t('compose.at')]),
        h('input', { type: 'datetime-local', id: 'send-at', 'aria-label': KC.t('compose.at') }),
        h('label', { class: 'check' }, [h('input', { type: 'checkbox', id: 'urgent' }), ' ' + KC.t('compose.urgent')])]);
      var test = h('section', { class: 'card row' }, [KC.field(KC.t('compose.testPhone'), h('input', { type: 'tel', id: 'test-phone', autocomplete: 'tel' })), h('button', { type: 'button', id: 'test-send', class: 'ghost', text: KC.t('compose.testSend') })]);
      var name = KC.field(KC.t('compose.name'), h('input', { type: 'text', id: 'bc-name', maxlength: 120 }));
      var sendButton = h('button', { type: 'submit', id: 'send', text: KC.t('compose.send') });
      var errors = h('div', { id: 'compose-errors' });
      form.append(name, audience, h('div', { class: 'langs' }, texts), previewBox, when, test, errors, h('div', { class: 'actions' }, [sendButton]));
      view.appendChild(form);

      var fileText = '';
      function draft() {
        var mode = form.querySelector('input[name=mode]:checked').value;
        var checked = function (n) { return Array.from(form.querySelectorAll('input[name=' + n + ']:checked')).map(function (i) { return i.value; }); };
        var aud = {};
        if (mode === 'all') aud.all = true;
        if (mode === 'cohorts') aud.cohorts = checked('cohort');
        if (mode === 'types') aud.institutionTypes = checked('type');
        if (mode === 'sessions') aud.sessions = checked('session');
        if (mode === 'list') aud.phonesCsv = [form.querySelector('#aud-paste').value, fileText].join('\n');
        var d = { audience: aud, messages: {} };
        var nm = form.querySelector('#bc-name').value.trim();
        if (nm) d.name = nm;
        ['sw', 'en'].forEach(function (l) { var v = form.querySelector('#msg-' + l).value; if (v.trim()) d.messages[l] = v; });
        var at = form.querySelector('#send-at').value;
        if (form.querySelector('input[name=when]:checked').value === 'at' && at) d.sendAt = new Date(at).toISOString();
        if (form.querySelector('#urgent').checked) d.urgent = true;
        return d;
      }
      function showPreview(p) {
        lastPreview = p;
        previewBox.textContent = '';
        previewBox.appendChild(h('h2', { text: KC.t('compose.preview') }));
        previewBox.appendChild(h('p', {}, [KC.t('compose.recipients') + ': ', h('strong', { id: 'recipients', text: KC.number(p.audience.eligible) }),
          ' (' + KC.number(p.audience.optedOut) + ' ' + KC.t('compose.optedOut') + ', ' + KC.number(p.audience.invalid) + ' ' + KC.t('compose.invalid') + ')']));
        previewBox.appendChild(h('p', {}, [KC.t('compose.cost') + ': ', h('strong', { id: 'cost', text: KC.money(p.cost) }), ' · ' + KC.number(p.cost.segments) + ' SMS']));
        if (p.quietHours.inQuietHours && !p.quietHours.urgent) previewBox.appendChild(h('p', { class: 'warn', role: 'alert', text: KC.t('compose.quiet') + ' ' + KC.when(p.quietHours.sendsAt) + ' (' + p.quietHours.window + ')' }));
        p.problems.forEach(function (problem) { previewBox.appendChild(h('p', { class: 'warn', text: problem })); });
      }
      var timer = null;
      function refresh() {
        ['sw', 'en'].forEach(function (l) {
          var c = counterText(form.querySelector('#msg-' + l).value);
          var el = form.querySelector('#count-' + l);
          el.textContent = c.line;
          el.className = 'counter' + (c.ucs ? ' ucs' : '');
        });
        modes.forEach(function (m) { var p = form.querySelector('.picker[data-mode=' + m + ']'); if (p) p.hidden = form.querySelector('input[name=mode]:checked').value !== m; });
        clearTimeout(timer);
        timer = setTimeout(function () {
          var d = draft();
          if (!d.messages.sw && !d.messages.en) return;
          KC.api('POST', '/broadcasts/preview', d).then(function (p) { errors.textContent = ''; showPreview(p); }, function (e) { lastPreview = null; errors.textContent = ''; errors.appendChild(KC.errorBox(e)); });
        }, 400);
      }
      form.addEventListener('input', refresh);
      form.addEventListener('change', function (e) {
        if (e.target.id === 'aud-file') KC.readFile(e.target).then(function (t) { fileText = t; refresh(); });
        else refresh();
      });
      form.querySelector('#test-send').addEventListener('click', function () {
        KC.api('POST', '/broadcasts/test-send', { draft: draft(), phone: form.querySelector('#test-phone').value }).then(function () { KC.toast(KC.t('compose.testSent')); }, function (e) { errors.textContent = ''; errors.appendChild(KC.errorBox(e)); });
      });
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        var d = draft();
        confirmSend(d, lastPreview, function () {
          return KC.api('POST', '/broadcasts', d, { headers: { 'Idempotency-Key': key } }).then(function (b) { key = newKey(); window.location.hash = '#/broadcast/' + encodeURIComponent(b.id); });
        }, errors);
      });
      refresh();
    });
  }

  /** The confirm dialog: count and cost from the last preview; `send` runs on yes. */
  function confirmSend(draft, preview, send, errors) {
    var n = preview ? KC.number(preview.audience.eligible) : '?';
    var cost = preview ? KC.money(preview.cost) : '?';
    var dialog = h('dialog', { id: 'confirm', 'aria-labelledby': 'confirm-title' }, [
      h('h2', { id: 'confirm-title', text: KC.t('compose.confirmTitle') }),
      h('p', { text: KC.t('compose.confirmText', { n: n, cost: cost }) }),
      draft.sendAt ? h('p', { text: KC.t('compose.at') + ': ' + KC.when(draft.sendAt) }) : null,
      h('div', { class: 'actions' }, [h('button', { type: 'button', class: 'ghost', value: 'no', text: KC.t('cancel') }), h('button', { type: 'button', value: 'yes', id: 'confirm-yes', text: KC.t('compose.confirm') })]),
    ]);
    document.body.appendChild(dialog);
    dialog.addEventListener('close', function () { dialog.remove(); });
    dialog.querySelectorAll('button').forEach(function (button) {
      button.addEventListener('click', function () {
        if (button.value !== 'yes') return dialog.close();
        button.disabled = true;
        send().then(function () { dialog.close(); }, function (e) { dialog.close(); errors.textContent = ''; errors.appendChild(KC.errorBox(e)); });
      });
    });
    dialog.showModal();
  }

  KC.views = KC.views || {};
  KC.views.compose = render;
})();
