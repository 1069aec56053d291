// Feedback: ratings per session (count, average, distribution, comments), who is asked after each
// session, the CSV export, and the end-of-conference survey.

import { h } from '../assets/dom.js';
import { api, download } from './api.js';
import { getLang, t } from './i18n.js';
import { errorBox, number, toast } from './ui.js';

const AUDIENCES = ['subscribers', 'cohort', 'off'];

function bars(distribution, count) {
  return h('div', { class: 'fb-bars' }, ['5', '4', '3', '2', '1'].map(function (k) {
    const fill = h('span', { class: 'fill' });
    fill.style.width = (count ? Math.round((distribution[k] / count) * 100) : 0) + '%';
    return h('div', { class: 'fb-bar' }, [h('span', { text: k }), h('span', { class: 'bar' }, [fill]), h('span', { text: number(distribution[k]) })]);
  }));
}

export function render(view) {
  const lang = getLang();
  const errors = h('div', {});
  function fail(e) { errors.textContent = ''; errors.appendChild(errorBox(e)); }
  return Promise.all([api('GET', '/feedback/sessions'), api('GET', '/feedback/settings'), api('GET', '/survey')]).then(function (r) {
    const results = r[0];
    const settings = r[1];
    const survey = r[2];
    const choice = h('select', { id: 'fb-default' }, AUDIENCES.map(function (a) { return h('option', { value: a, text: t('fb.aud.' + a), selected: settings.default === a }); }));
    choice.addEventListener('change', function () {
      api('PUT', '/feedback/settings', { default: choice.value, sessions: settings.sessions }).then(function (s) { settings.sessions = s.sessions; toast(t('fb.saved')); }, fail);
    });
    const sendSurvey = h('button', { type: 'button', text: t('fb.survey.send'), onclick: function () {
      if (!window.confirm(t('fb.survey.confirm'))) return;
      api('POST', '/survey/send', { audience: 'registered' }).then(function (s) { toast(t('fb.survey.sent', { n: number(s.queued) })); }, fail);
    } });
    // Rated sessions get a card each; the others share one line, so a long agenda stays readable.
    const unrated = results.items.filter(function (s) { return !s.count; }).map(function (s) { return s.session; });
    const rows = results.items.filter(function (s) { return s.count; }).map(function (s) {
      return h('div', { class: 'card fb-session' }, [
        h('h2', { text: s.session + ' ' + s.title[lang] }),
        h('p', { text: s.count ? t('fb.summary', { count: number(s.count), average: s.average }) : t('fb.none') }),
        s.count ? bars(s.distribution, s.count) : null,
        s.comments.length ? h('ul', { class: 'fb-comments' }, s.comments.slice(0, 20).map(function (c) { return h('li', { text: c.rating + '/5 · ' + c.comment }); })) : null,
      ]);
    });
    view.append(h('h1', { text: t('fb.title') }), errors,
      h('div', { class: 'card' }, [h('label', { for: choice.id, text: t('fb.who') }), choice, h('div', { class: 'actions' }, [
        h('button', { type: 'button', class: 'ghost', text: t('fb.export'), onclick: function () { download('/feedback.csv', 'feedback.csv').catch(fail); } })])]),
      h('div', { class: 'card' }, [h('h2', { text: t('fb.survey.title') }),
        h('p', { text: t('fb.survey.counts', { started: number(survey.started), completed: number(survey.completed) }) }),
        h('ol', {}, survey.questions.map(function (q) { return h('li', { text: q[lang] + ' — ' + (q.count ? q.average + '/5 (' + number(q.count) + ')' : '-') }); })),
        h('div', { class: 'actions' }, [sendSurvey, h('button', { type: 'button', class: 'ghost', text: t('fb.survey.export'), onclick: function () { download('/survey.csv', 'survey.csv').catch(fail); } })])]),
      h('div', {}, rows),
      unrated.length ? h('p', { class: 'card muted', text: t('fb.unrated') + ': ' + unrated.join(', ') }) : null);
  });
}
