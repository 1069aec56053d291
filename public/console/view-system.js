// System: how this gateway runs its queue workers (SERVICE_MODE, WORKER_LAYOUT), the supervised
// worker child's state, pid and restarts with the last death, and the settings that govern SMS
// throughput, and the queue-worker processes on this Redis with the stored layout each reads and
// writes (those waiting for workers of another layout to stop in red). What an operator looks at
// when messages stop going out.

import { h } from '../assets/dom.js';
import { api } from './api.js';
import { t } from './i18n.js';
import { duration, number, when } from './ui.js';

function facts(id, rows) {
  return h('dl', { class: 'facts', id: id }, rows.filter(Boolean).reduce(function (all, row) {
    return all.concat([h('dt', { text: t(row[0]) }), h('dd', { 'data-fact': row[0], text: String(row[1]) })]);
  }, []));
}

/** The child's state as a badge: green running, red down or looping, amber starting. */
function stateBadge(w) {
  const kind = w.crashLoop ? 'failed' : w.state === 'running' ? 'delivered' : w.state === 'starting' ? 'paused' : 'failed';
  return h('span', { class: 'badge state-' + kind, id: 'sys-state', text: t(w.crashLoop ? 'sys.state.crashLoop' : 'sys.state.' + w.state) });
}

function workersCard(s) {
  if (!s.workers) {
    return h('section', { class: 'card', id: 'sys-workers' }, [h('h2', { text: t('sys.workers') }),
      h('p', { class: 'muted', text: t(s.workerLayout === 'inline' ? 'sys.inline' : 'sys.noWorkers', { mode: s.mode }) })]);
  }
  const w = s.workers;
  const last = w.lastExit;
  return h('section', { class: 'card', id: 'sys-workers' }, [
    h('h2', {}, [t('sys.workers') + ' ', stateBadge(w)]),
    w.reason ? h('p', { class: 'error', role: 'alert', id: 'sys-reason', text: w.reason }) : null,
    facts('sys-child', [
      ['sys.pid', w.pid === undefined ? '-' : w.pid],
      ['sys.startedAt', w.startedAt ? when(w.startedAt) : '-'],
      ['sys.restarts', number(w.restarts)],
      ['sys.lastRestart', last ? when(last.at) : t('sys.never')],
      last ? ['sys.lastReason', last.reason + ' · ' + t('sys.lived', { d: duration(Math.round(last.livedMs / 1000)) })] : null,
      w.nextStartAt ? ['sys.nextStart', when(w.nextStartAt)] : null,
    ]),
  ]);
}

/** One line per queue-worker process: host and pid, the stored layout it reads and writes, and until when its entry lasts. */
function workerList(id, list, layout) {
  return h('ul', { class: 'plain', id: id }, list.map(function (w) {
    return h('li', { 'data-layout': String(w.layout), class: w.layout === layout ? '' : 'warn', text: t('sys.storage.worker', { about: w.about, layout: w.layout, s: w.expiresInS }) });
  }));
}

/** The queue workers on this Redis and the stored layout of each; a red line when some wait for workers of another layout. */
function storageCard(s) {
  const st = s.storage;
  const parts = [h('h2', { text: t('sys.storage') }), facts('sys-storage-facts', [['sys.storage.layout', st.layout]])];
  if (!st.workers) {
    parts.push(h('p', { class: 'error', role: 'alert', id: 'sys-storage-unknown', text: t('sys.storage.unknown') }));
  } else {
    const w = st.workers;
    const runningLayouts = w.running.map(function (x) { return x.layout; }).filter(function (v, i, all) { return all.indexOf(v) === i; });
    if (runningLayouts.length > 1) {
      parts.push(h('p', { class: 'error', role: 'alert', id: 'sys-storage-mixed', text: t('sys.storage.mixed', { layouts: runningLayouts.join(', ') }) }));
    }
    if (w.waiting.length > 0) {
      parts.push(h('p', { class: 'error', role: 'alert', id: 'sys-storage-waiting', text: t('sys.storage.waiting', {
        n: w.waiting.length, waiting: w.waiting.map(function (x) { return x.layout; }).filter(function (v, i, all) { return all.indexOf(v) === i; }).join(', '),
        running: w.running.map(function (x) { return x.layout; }).filter(function (v, i, all) { return all.indexOf(v) === i; }).join(', ') || '-',
      }) }));
    }
    parts.push(h('h3', { text: t('sys.storage.running', { n: w.running.length }) }));
    parts.push(w.running.length > 0 ? workerList('sys-storage-running', w.running, st.layout) : h('p', { class: 'muted', id: 'sys-storage-none', text: t('sys.storage.none') }));
    if (w.waiting.length > 0) {
      parts.push(h('h3', { text: t('sys.storage.waitingList', { n: w.waiting.length }) }));
      parts.push(workerList('sys-storage-waiting-list', w.waiting, st.layout));
    }
  }
  return h('section', { class: 'card wide', id: 'sys-storage' }, parts);
}

export function render(view) {
  view.appendChild(h('h1', { text: t('sys.title') }));
  const body = h('div', { class: 'grid', 'aria-busy': 'true' }, [h('p', { text: t('loading') })]);
  const refresh = h('button', { type: 'button', class: 'ghost', id: 'sys-refresh', text: t('q.refresh') });
  view.append(h('div', { class: 'actions' }, [refresh]), body);
  function load() {
    return api('GET', '/system').then(function (s) {
      body.textContent = '';
      body.removeAttribute('aria-busy');
      body.appendChild(h('section', { class: 'card', id: 'sys-layout' }, [h('h2', { text: t('sys.layout') }), facts('sys-layout-facts', [
        ['sys.mode', s.mode],
        ['sys.workerLayout', s.workerLayout || '-'],
        ['sys.httpPid', s.process.pid],
        ['sys.uptime', duration(s.process.uptimeS)],
        ['sys.node', s.process.node],
      ])]));
      body.appendChild(workersCard(s));
      body.appendChild(h('section', { class: 'card wide', id: 'sys-sms' }, [h('h2', { text: t('sys.sms') }), facts('sys-sms-facts', [
        ['sys.provider', s.sms.provider],
        ['sys.rate', number(s.sms.ratePerSecond) + ' /s'],
        ['sys.maxInFlight', s.sms.maxInFlight ? number(s.sms.maxInFlight) : '0 → ' + number(s.sms.bulkInFlight)],
        ['sys.concurrency', number(s.sms.workerConcurrency)],
        ['sys.batch', number(s.sms.batchSize)],
      ])]));
      if (s.storage) body.appendChild(storageCard(s));
    });
  }
  refresh.addEventListener('click', function () { load().catch(function () { /* the next click tries again */ }); });
  return load();
}
