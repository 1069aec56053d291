/* One broadcast, live: progress, counts per state, rate, ETA, controls; polls every 2 s. */
(function () {
  'use strict';
  var KC = window.KC;
  var h = KC.h;
  var STATES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'skipped', 'uncertain', 'cancelled'];
  var FINAL = ['completed', 'cancelled'];

  function render(view, id) {
    var box = h('div', { id: 'live' });
    var errors = h('div', {});
    view.append(h('h1', { text: KC.t('bc.title') }), box, errors);
    var timer = null;
    function act(path, body, question) {
      if (question && !window.confirm(question)) return;
      KC.api('POST', '/broadcasts/' + encodeURIComponent(id) + path, body).then(load, function (e) { errors.textContent = ''; errors.appendChild(KC.errorBox(e)); });
    }
    function draw(b) {
      box.textContent = '';
      var counts = h('dl', { class: 'counts' }, STATES.reduce(function (all, s) {
        return all.concat([h('dt', { class: 'state-' + s, text: KC.t('state.' + s) }), h('dd', { 'data-state': s, text: KC.number(b.counts[s] || 0) })]);
      }, []));
      var controls = h('div', { class: 'actions' }, [
        b.state === 'sending' || b.state === 'scheduled' ? h('button', { type: 'button', class: 'ghost', text: KC.t('bc.pause'), onclick: function () { act('/pause'); } }) : null,
        b.state === 'paused' ? h('button', { type: 'button', text: KC.t('bc.resume'), onclick: function () { act('/resume'); } }) : null,
        FINAL.indexOf(b.state) < 0 ? h('button', { type: 'button', class: 'danger', text: KC.t('bc.cancel'), onclick: function () { act('/cancel', undefined, KC.t('bc.confirmCancel')); } }) : null,
        b.counts.failed ? h('button', { type: 'button', class: 'ghost', text: KC.t('bc.resendFailed'), onclick: function () { act('/resend', { which: 'failed' }); } }) : null,
        b.counts.uncertain ? h('button', { type: 'button', class: 'ghost', text: KC.t('bc.resendUncertain'), onclick: function () { act('/resend', { which: 'uncertain' }); } }) : null,
        h('button', { type: 'button', class: 'ghost', id: 'report-csv', text: KC.t('bc.report'), onclick: function () { KC.download('/broadcasts/' + encodeURIComponent(id) + '/report.csv', 'broadcast-' + id + '.csv'); } }),
      ]);
      box.append(
        h('section', { class: 'card' }, [
          h('h2', {}, [b.name + ' ', h('span', { class: 'badge state-' + b.state, id: 'bc-state', text: KC.t('state.' + b.state) })]),
          h('p', { class: 'muted', text: KC.when(b.sendAt) + (b.urgent ? ' · ' + KC.t('compose.urgent') : '') + ' · ' + KC.t('compose.recipients') + ': ' + KC.number(b.total) }),
          KC.progressBar(b.progress, KC.t('bc.progress')),
          h('p', {}, [KC.t('bc.rate') + ': ' + KC.number(Math.round(b.ratePerSecond * 10) / 10) + ' ' + KC.t('bc.perSecond') + ' · ' + KC.t('bc.eta') + ': ' + KC.duration(b.etaSeconds)]),
          counts,
          controls,
        ]));
    }
    function load() {
      return KC.api('GET', '/broadcasts/' + encodeURIComponent(id)).then(function (b) {
        draw(b);
        clearTimeout(timer);
        // Stop polling once nothing can change, or once the page has moved on.
        if (FINAL.indexOf(b.state) < 0 && document.body.contains(box)) timer = setTimeout(load, 2000);
      });
    }
    return load();
  }

  KC.views = KC.views || {};
  KC.views.broadcast = render;
})();
