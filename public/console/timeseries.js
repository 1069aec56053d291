// The dashboard's per-minute chart, drawn with uPlot (served from the gateway, no CDN):
// registrations and SMS sent, delivered and failed per minute on the left axis, the delivery
// rate (%) on the right, times in East Africa Time whatever the browser's zone.

import uPlot from '../assets/vendor/uplot/uPlot.esm.js';
import { h } from '../assets/dom.js';
import { t } from './i18n.js';

const EAT = 'Africa/Dar_es_Salaam';
const COLOURS = { registrations: '#0b6e4f', sent: '#5b6575', delivered: '#2f8f6b', failed: '#b3261e', rate: '#c2410c' };

/** 24-hour EAT time of a Unix time in seconds, as the console writes times. */
function hhmm(ts) {
  return new Date(ts * 1000).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: EAT });
}

/** A <figure> holding the chart of `series` (the API's `timeSeries`); redraws to its width. */
export function minuteChart(series) {
  const figure = h('figure', { class: 'chart timeseries', id: 'minute-chart' }, [h('figcaption', { text: t('dash.perMinute') })]);
  const box = h('div', { class: 'uplot-box', role: 'img', 'aria-label': t('dash.perMinute') });
  figure.appendChild(box);
  const total = (key) => series[key].reduce((a, b) => a + b, 0);
  figure.appendChild(h('p', { class: 'muted', id: 'minute-totals', text: [
    t('dash.registrations') + ' ' + total('registrations'), t('state.sent') + ' ' + total('sent'),
    t('state.delivered') + ' ' + total('delivered'), t('state.failed') + ' ' + total('failed')].join(' · ') }));
  const data = [series.minutes, series.registrations, series.sent, series.delivered, series.failed, series.deliveryRate.map((r) => (r === null ? null : Math.round(r * 1000) / 10))];
  let plot = null;
  const draw = () => {
    const width = Math.max(260, box.clientWidth || 300);
    const opts = {
      width, height: width < 500 ? 220 : 260,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), EAT),
      scales: { x: { time: true }, pct: { range: [0, 100] } },
      axes: [{ values: (u, splits) => splits.map(hhmm) }, { label: t('dash.perMinuteAxis'), size: 50 }, { scale: 'pct', side: 1, label: '%', grid: { show: false }, size: 40 }],
      series: [
        { label: 'EAT', value: (u, ts) => (ts == null ? '--' : hhmm(ts)) },
        { label: t('dash.registrations'), stroke: COLOURS.registrations, width: 2 },
        { label: t('state.sent'), stroke: COLOURS.sent },
        { label: t('state.delivered'), stroke: COLOURS.delivered, width: 2 },
        { label: t('state.failed'), stroke: COLOURS.failed },
        { label: t('dash.deliveryRate'), stroke: COLOURS.rate, scale: 'pct', dash: [6, 4], spanGaps: true },
      ],
    };
    if (plot) plot.destroy();
    box.textContent = '';
    plot = new uPlot(opts, data, box);
  };
  // Drawn once the figure is in the page (it needs a width), and again when the width changes.
  window.requestAnimationFrame(draw);
  let last = 0;
  const watcher = new window.ResizeObserver(() => { const w = box.clientWidth; if (plot && Math.abs(w - last) > 20) { last = w; draw(); } });
  watcher.observe(box);
  return figure;
}
