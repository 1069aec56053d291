/* Small helpers shared by the views: DOM building (never innerHTML), the API client, downloads. */
(function () {
  'use strict';
  var KC = window.KC;
  var TOKEN_KEY = 'kiungo.token';

  /** An element with attributes (on* keys become listeners) and children (strings become text). */
  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === undefined || value === null || value === false) return;
      if (key.slice(0, 2) === 'on') el.addEventListener(key.slice(2), value);
      else if (key === 'text') el.textContent = value;
      else if (key in el && typeof value !== 'string') el[key] = value;
      else el.setAttribute(key, value === true ? '' : String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      el.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
    });
    return el;
  }

  function ApiError(status, body) {
    this.status = status;
    this.code = (body && body.code) || 'HTTP_' + status;
    this.message = (body && body.message) || 'HTTP ' + status;
    this.details = body && body.details;
  }

  /** Calls /api/v1 with the session's token; resolves JSON (or text for CSV), rejects with ApiError. */
  function api(method, path, body, options) {
    var opts = options || {};
    var headers = { Authorization: 'Bearer ' + (window.sessionStorage.getItem(TOKEN_KEY) || '') };
    Object.keys(opts.headers || {}).forEach(function (k) { headers[k] = opts.headers[k]; });
    var init = { method: method, headers: headers };
    if (body !== undefined) {
      if (typeof body === 'string') { headers['Content-Type'] = 'text/csv'; init.body = body; }
      else { headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
    }
    return fetch('/api/v1' + path, init).then(function (response) {
      var type = response.headers.get('content-type') || '';
      var read = type.indexOf('json') >= 0 ? response.json() : response.text();
      return read.then(function (data) {
        if (response.ok) return data;
        var error = new ApiError(response.status, data);
        if (response.status === 401 && !opts.keepSession && KC.onUnauthorised) KC.onUnauthorised(error);
        throw error;
      });
    });
  }

  /** Fetches a CSV with the token and saves it as `filename`. */
  function download(path, filename) {
    return api('GET', path).then(function (text) {
      var url = URL.createObjectURL(new window.Blob([text], { type: 'text/csv' }));
      var link = h('a', { href: url, download: filename });
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    });
  }

  function toast(message, kind) {
    var box = document.getElementById('toast');
    box.textContent = message;
    box.className = 'show ' + (kind || '');
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { box.className = ''; }, 4000);
  }

  /** A message for a failed call, with the API's details listed. */
  function errorBox(error) {
    var lines = Array.isArray(error.details) ? error.details.map(function (d) {
      return (d.line ? 'line ' + d.line + ': ' : '') + (d.path || d.field || '') + ' ' + d.message;
    }) : [];
    return h('div', { class: 'error', role: 'alert' }, [h('strong', { text: KC.t('error') + ': ' }), error.message || String(error),
      lines.length ? h('ul', {}, lines.slice(0, 20).map(function (l) { return h('li', { text: l }); })) : null]);
  }

  /** An accessible progress bar for a fraction 0..1. */
  function progressBar(fraction, label) {
    var pct = Math.round(Math.max(0, Math.min(1, fraction || 0)) * 100);
    var fill = h('span', { class: 'fill' });
    fill.style.width = pct + '%';
    return h('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(pct), 'aria-label': label }, [fill, h('span', { class: 'pct', text: pct + ' %' })]);
  }

  /** A time as people at the event read it: their language, East Africa Time. */
  function when(iso, dateOnly) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return '';
    var opts = dateOnly ? { dateStyle: 'medium', timeZone: 'Africa/Dar_es_Salaam' } : { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Africa/Dar_es_Salaam' };
    return d.toLocaleString(KC.getLang() === 'en' ? 'en-GB' : 'sw-TZ', opts) + (dateOnly ? '' : ' EAT');
  }
  function number(n) { return new Intl.NumberFormat(KC.getLang() === 'en' ? 'en-GB' : 'sw-TZ').format(n || 0); }
  function money(cost) { return cost ? cost.currency + ' ' + number(Math.round(cost.amount * 100) / 100) : '-'; }
  function duration(seconds) {
    if (seconds === null || seconds === undefined) return '-';
    var m = Math.floor(seconds / 60);
    return (m > 0 ? m + ' min ' : '') + (seconds % 60) + ' s';
  }
  function readFile(input) {
    return new Promise(function (resolve, reject) {
      var file = input.files && input.files[0];
      if (!file) return resolve('');
      var reader = new window.FileReader();
      reader.onload = function () { resolve(String(reader.result)); };
      reader.onerror = reject;
      reader.readAsText(file);
    });
  }
  function field(labelText, control, hint) {
    var id = control.id || 'f-' + Math.random().toString(36).slice(2);
    control.id = id;
    return h('div', { class: 'field' }, [h('label', { for: id, text: labelText }), control, hint ? h('small', { text: hint }) : null]);
  }

  KC.TOKEN_KEY = TOKEN_KEY;
  KC.h = h;
  KC.api = api;
  KC.download = download;
  KC.toast = toast;
  KC.errorBox = errorBox;
  KC.progressBar = progressBar;
  KC.number = number;
  KC.when = when;
  KC.money = money;
  KC.duration = duration;
  KC.readFile = readFile;
  KC.field = field;
})();
