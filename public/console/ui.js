// Small pieces the views share: messages, progress bars, form fields, files, and numbers and
// times as people at the event read them.

import { h } from '../assets/dom.js';
import { getLang, has, t } from './i18n.js';

let toastTimer;

/** Shows `message` at the foot of the page for a few seconds. */
export function toast(message, kind = '') {
  const box = document.getElementById('toast');
  box.textContent = message;
  box.className = `show ${kind}`;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.className = ''; }, 4000);
}

/**
 * What a failed call means, in the console's language: the text for the API's error code when
 * the language has one (the server's own words otherwise), 'no answer' for a network failure.
 */
export function errorText(error) {
  if (error && error.code && has(`err.${error.code}`)) return t(`err.${error.code}`);
  if (error instanceof TypeError) return t('err.network');
  return (error && error.message) || String(error);
}

/** A message for a failed call, with the API's details listed. */
export function errorBox(error) {
  const lines = Array.isArray(error.details)
    ? error.details.map((d) => `${d.line ? `${getLang() === 'en' ? 'line' : 'mstari'} ${d.line}: ` : ''}${d.path || d.field || ''} ${d.message}`)
    : [];
  return h('div', { class: 'error', role: 'alert', 'data-code': error.code || '' }, [h('strong', { text: `${t('error')}: ` }), errorText(error),
    lines.length ? h('ul', {}, lines.slice(0, 20).map((line) => h('li', { text: line }))) : null]);
}

/** An accessible progress bar for a fraction 0..1. */
export function progressBar(fraction, label, kind = '') {
  const pct = Math.round(Math.max(0, Math.min(1, fraction || 0)) * 100);
  const fill = h('span', { class: 'fill' });
  fill.style.width = `${pct}%`;
  return h('div', { class: `bar ${kind}`.trim(), role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(pct), 'aria-label': label },
    [fill, h('span', { class: 'pct', text: `${pct} %` })]);
}

function locale() { return getLang() === 'en' ? 'en-GB' : 'sw-TZ'; }

/** A time as people at the event read it: their language, East Africa Time. */
export function when(iso, dateOnly = false) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const opts = dateOnly ? { dateStyle: 'medium', timeZone: 'Africa/Dar_es_Salaam' } : { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Africa/Dar_es_Salaam' };
  return d.toLocaleString(locale(), opts) + (dateOnly ? '' : ' EAT');
}
/** How far a broadcast got, for its bar: a cancelled one shows the share handled before it stopped, never a full green bar. */
export function broadcastBar(b, label) {
  if (b.state !== 'cancelled') return progressBar(b.progress, label);
  const handled = b.total ? (b.total - (b.counts.cancelled || 0)) / b.total : 0;
  const bar = progressBar(handled, label, 'cancelled');
  bar.querySelector('.pct').textContent = t('bc.cancelledShare', { pct: Math.round(handled * 100) });
  return bar;
}

export function number(n) { return new Intl.NumberFormat(locale()).format(n || 0); }
export function money(cost) { return cost ? `${cost.currency} ${number(Math.round(cost.amount * 100) / 100)}` : '-'; }
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '-';
  const m = Math.floor(seconds / 60);
  return `${m > 0 ? `${m} min ` : ''}${seconds % 60} s`;
}

/** The text of the file chosen in `input`, or '' when none is. */
export function readFile(input) {
  const file = input.files && input.files[0];
  return file ? file.text() : Promise.resolve('');
}

/** A labelled form control with an optional hint under it. */
export function field(labelText, control, hint) {
  if (!control.id) control.id = `f-${Math.random().toString(36).slice(2)}`;
  return h('div', { class: 'field' }, [h('label', { for: control.id, text: labelText }), control, hint ? h('small', { text: hint }) : null]);
}
