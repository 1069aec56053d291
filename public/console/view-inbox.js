// The organisers' inbox: SMS that no keyword handled, newest first; reply from here through the
// normal outbound pipeline (the per-phone cap and opt-outs still apply).

import { h } from '../assets/dom.js';
import { api } from './api.js';
import { t } from './i18n.js';
import { errorBox, toast, when } from './ui.js';
import { measureSms } from '../assets/gsm.js';

function replyForm(message, done) {
  const area = h('textarea', { rows: 2, maxlength: 480, 'aria-label': t('inbox.reply') + ' ' + message.from });
  const count = h('small', { class: 'counter' });
  const errors = h('div', {});
  const measure = function () { const m = measureSms(area.value); count.textContent = m.units + ' ' + t('count.chars') + ' · ' + m.encoding + ' · ' + m.segments + ' ' + t('count.segments'); };
  area.addEventListener('input', measure);
  measure();
  const send = h('button', { type: 'submit', class: 'small', text: t('inbox.send') });
  const form = h('form', { class: 'inbox-reply' }, [area, count, h('div', { class: 'actions' }, [send]), errors]);
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    if (!area.value.trim()) return;
    send.disabled = true;
    api('POST', '/inbox/' + encodeURIComponent(message.id) + '/reply', { text: area.value }).then(function () { toast(t('inbox.sent', { phone: message.from })); done(); }, function (error) {
      send.disabled = false;
      errors.textContent = '';
      errors.appendChild(errorBox(error));
    });
  });
  return form;
}

export function render(view) {
  view.append(h('h1', { text: t('inbox.title') }), h('p', { class: 'muted', text: t('inbox.intro') }));
  const list = h('div', { id: 'inbox-list' });
  view.appendChild(list);
  function load() {
    return api('GET', '/inbox').then(function (page) {
      list.textContent = '';
      if (!page.items.length) { list.appendChild(h('p', { class: 'muted card', id: 'inbox-empty', text: t('dash.none') })); return; }
      page.items.forEach(function (m) {
        list.appendChild(h('section', { class: 'card inbox-item', 'data-id': m.id }, [
          h('p', { class: 'muted' }, [h('strong', { text: m.from }), ' · ' + when(m.at) + (m.repliedAt ? ' · ' : ''), m.repliedAt ? h('span', { class: 'badge state-delivered', text: t('inbox.replied') }) : null]),
          h('p', { class: 'inbox-text', text: m.text }),
          replyForm(m, load),
        ]));
      });
    });
  }
  return load();
}
