// Check-in desk: one search box (registration code, phone in any local form, or name) and a big
// button per delegate; built for a phone at the door (360 px).

import { h } from '../assets/dom.js';
import { api } from './api.js';
import { t } from './i18n.js';
import { errorBox, number, toast, when } from './ui.js';

export function render(view) {
  const search = h('input', { type: 'search', id: 'checkin-search', inputmode: 'search', autocomplete: 'off', placeholder: t('checkin.placeholder') });
  const results = h('div', { class: 'checkin-results', 'aria-live': 'polite' });
  const summary = h('p', { class: 'checkin-summary' });
  const errors = h('div', {});
  function fail(e) { errors.textContent = ''; errors.appendChild(errorBox(e)); }

  function attendance() {
    return api('GET', '/checkin/attendance').then(function (a) {
      const today = a.days.map(function (d) { return d.day + ': ' + number(d.checkedIn); }).join(' · ');
      summary.textContent = t('checkin.summary', { present: number(a.checkedInAtLeastOnce), registered: number(a.registered) }) + (today ? ' — ' + today : '');
    }, fail);
  }

  function card(d) {
    const state = h('span', { class: d.checkedIn ? 'badge ok' : 'badge', text: d.checkedIn ? t('checkin.done', { at: when(d.checkedInAt) }) : t('checkin.notYet') });
    const button = h('button', { type: 'button', class: 'checkin-go', text: d.checkedIn ? t('checkin.again') : t('checkin.go'), disabled: d.checkedIn });
    button.addEventListener('click', function () {
      button.disabled = true;
      api('POST', '/checkin', { phone: d.phone }).then(function (r) {
        toast(r.created ? t('checkin.ok', { name: r.delegate.name }) : t('checkin.already', { name: r.delegate.name }));
        state.className = 'badge ok';
        state.textContent = t('checkin.done', { at: when(r.at) });
        button.textContent = t('checkin.again');
        search.select();
        return attendance();
      }, function (e) { button.disabled = false; fail(e); });
    });
    return h('div', { class: 'card checkin-card' }, [
      h('div', { class: 'checkin-who' }, [h('strong', { text: d.name }), h('span', { text: d.institution }), h('span', { class: 'muted', text: d.code + ' · ' + d.phone })]),
      state, button]);
  }

  let timer = null;
  function find() {
    const q = search.value.trim();
    errors.textContent = '';
    if (!q) { results.textContent = ''; return Promise.resolve(); }
    return api('GET', '/checkin/search?q=' + encodeURIComponent(q)).then(function (r) {
      results.textContent = '';
      if (!r.items.length) results.appendChild(h('p', { class: 'muted', text: t('checkin.none') }));
      r.items.forEach(function (d) { results.appendChild(card(d)); });
    }, fail);
  }
  search.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(find, 250); });
  search.addEventListener('keydown', function (e) { if (e.key === 'Enter') { clearTimeout(timer); find(); } });

  view.append(h('h1', { text: t('checkin.title') }), summary,
    h('div', { class: 'card checkin-box' }, [h('label', { for: search.id, text: t('checkin.search') }), search]), errors, results);
  search.focus();
  return attendance();
}
