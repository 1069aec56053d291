// One broadcast, live: progress, counts per state, rate, ETA, controls; polls every 2 s, and
// after it completes goes on (every 5 s) while messages still wait for their delivery reports.

import { h } from '../assets/dom.js';
import { api, download } from './api.js';
import { t } from './i18n.js';
import { broadcastBar, duration, errorBox, number, when } from './ui.js';

const STATES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'skipped', 'uncertain', 'cancelled'];
const FINAL = ['completed', 'cancelled'];
/** Polls without any change before a completed broadcast stops waiting for delivery reports (5 s each). */
const SETTLE_POLLS = 60;

/** True while a completed broadcast still has messages the networks have not reported on. */
function awaitingReports(b) { return b.state === 'completed' && (b.counts.sent || 0) > 0; }

export function render(view, id) {
  const box = h('div', { id: 'live' });
  const errors = h('div', {});
  view.append(h('h1', { text: t('bc.title') }), box, errors);
  let timer = null;
  let unchanged = 0;
  let last = '';
  function act(path, body, question) {
    if (question && !window.confirm(question)) return;
    api('POST', '/broadcasts/' + encodeURIComponent(id) + path, body).then(load, function (e) { errors.textContent = ''; errors.appendChild(errorBox(e)); });
  }
  function draw(b) {
    box.textContent = '';
    const counts = h('dl', { class: 'counts' }, STATES.reduce(function (all, s) {
      return all.concat([h('dt', { class: 'state-' + s, text: t('state.' + s) }), h('dd', { 'data-state': s, text: number(b.counts[s] || 0) })]);
    }, []));
    const controls = h('div', { class: 'actions' }, [
      b.state === 'scheduled' ? h('button', { type: 'button', id: 'send-now', text: t('bc.sendNow'), onclick: function () { act('/send-now', undefined, t('bc.confirmSendNow')); } }) : null,
      b.state === 'sending' || b.state === 'scheduled' ? h('button', { type: 'button', class: 'ghost', text: t('bc.pause'), onclick: function () { act('/pause'); } }) : null,
      b.state === 'paused' ? h('button', { type: 'button', text: t('bc.resume'), onclick: function () { act('/resume'); } }) : null,
      FINAL.indexOf(b.state) < 0 ? h('button', { type: 'button', class: 'danger', text: t('bc.cancel'), onclick: function () { act('/cancel', undefined, t('bc.confirmCancel')); } }) : null,
      b.counts.failed ? h('button', { type: 'button', class: 'ghost', text: t('bc.resendFailed'), onclick: function () { act('/resend', { which: 'failed' }); } }) : null,
      b.counts.uncertain ? h('button', { type: 'button', class: 'ghost', text: t('bc.resendUncertain'), onclick: function () { act('/resend', { which: 'uncertain' }); } }) : null,
      h('button', { type: 'button', class: 'ghost', id: 'report-csv', text: t('bc.report'), onclick: function () { download('/broadcasts/' + encodeURIComponent(id) + '/report.csv', 'broadcast-' + id + '.csv'); } }),
    ]);
    const waiting = b.state === 'scheduled'
      ? h('p', { class: 'warn', id: 'bc-held', text: t(b.heldByQuietHours ? 'bc.held' : 'bc.scheduled', { at: when(b.sendAt) }) }) : null;
    box.append(
      h('section', { class: 'card' }, [
        h('h2', {}, [b.name + ' ', h('span', { class: 'badge state-' + b.state, id: 'bc-state', text: t('state.' + b.state) })]),
        h('p', { class: 'muted', text: when(b.sendAt) + (b.urgent ? ' · ' + t('compose.urgent') : '') + ' · ' + t('compose.recipients') + ': ' + number(b.total) }),
        waiting,
        broadcastBar(b, t('bc.progress')),
        h('p', {}, [t('bc.rate') + ': ' + number(Math.round(b.ratePerSecond * 10) / 10) + ' ' + t('bc.perSecond') + ' · ' + t('bc.eta') + ': ' + duration(b.etaSeconds)]),
        awaitingReports(b) ? h('p', { class: 'muted', id: 'bc-awaiting', text: t('bc.awaitingReports') }) : null,
        counts,
        controls,
      ]));
  }
  function load() {
    return api('GET', '/broadcasts/' + encodeURIComponent(id)).then(function (b) {
      draw(b);
      clearTimeout(timer);
      const seen = JSON.stringify(b.counts) + b.state;
      unchanged = seen === last ? unchanged + 1 : 0;
      last = seen;
      if (!document.body.contains(box)) return;
      // Until final: every 2 s. Completed with reports still to come: every 5 s, until they settle.
      if (FINAL.indexOf(b.state) < 0) timer = setTimeout(load, 2000);
      else if (awaitingReports(b) && unchanged < SETTLE_POLLS) timer = setTimeout(load, 5000);
    });
  }
  return load();
}
