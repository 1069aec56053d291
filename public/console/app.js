// The console shell: sign-in, the pack switcher, the language switch and hash routing to the views.

import { h } from '../assets/dom.js';
import { api, setToken, token, whenUnauthorised } from './api.js';
import { getLang, pick, setLang, t } from './i18n.js';
import { clearPacks, currentPack, loadPacks, renderPackSwitcher } from './packs.js';
import { errorBox, errorText, field, toast } from './ui.js';
import * as agenda from './view-agenda.js';
import * as broadcast from './view-broadcast.js';
import * as compose from './view-compose.js';
import * as dashboard from './view-dashboard.js';
import * as delegates from './view-delegates.js';
import * as funnel from './view-funnel.js';
import * as releases from './view-releases.js';
import * as checkin from './view-checkin.js';
import * as feedback from './view-feedback.js';
import * as questions from './view-questions.js';
import * as optouts from './view-optouts.js';
import * as audit from './view-audit.js';
import * as skipped from './view-skipped.js';
import * as inbox from './view-inbox.js';
import * as system from './view-system.js';

const VIEWS = { dashboard: dashboard.render, compose: compose.render, broadcast: broadcast.render, agenda: agenda.render, delegates: delegates.render, funnel: funnel.render, checkin: checkin.render, questions: questions.render, feedback: feedback.render, releases: releases.render };
Object.assign(VIEWS, { optouts: optouts.render, audit: audit.render, skipped: skipped.render, inbox: inbox.render, system: system.render });

const view = document.getElementById('view');
const nav = document.getElementById('nav');
const packBox = document.getElementById('pack');
const signout = document.getElementById('signout');
const langButton = document.getElementById('lang');
let signInMessage = null;

function signedIn() { return Boolean(token()); }

/** Checks a token against the API: the pack list first (it may choose a pack), then the agenda. */
async function checkToken() {
  await loadPacks();
  await api('GET', '/agenda', undefined, { keepSession: true });
}

function signInView() {
  const input = h('input', { type: 'password', id: 'token', autocomplete: 'current-password', required: true });
  const status = h('div', { 'aria-live': 'assertive' }, signInMessage ? [errorBox({ message: signInMessage })] : []);
  const form = h('form', { class: 'card signin' }, [h('h1', { text: t('signin.title') }), field(t('signin.token'), input, t('signin.help')), status, h('button', { type: 'submit', text: t('signin.go') })]);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    setToken(input.value.trim());
    checkToken().then(() => {
      signInMessage = null;
      // Recorded in the audit trail; a gateway without the route still signs in.
      api('POST', '/sign-in', {}, { keepSession: true }).catch(() => undefined);
      if (!window.location.hash || window.location.hash === '#/signin') window.location.hash = '#/dashboard';
      else route();
    }, (error) => {
      setToken('');
      clearPacks();
      status.textContent = '';
      status.append(errorBox({ message: error.status === 401 ? errorText(error) : t('signin.bad') }));
    });
  });
  view.append(form);
  input.focus();
}

whenUnauthorised((error) => {
  setToken('');
  clearPacks();
  signInMessage = errorText(error);
  route();
});

/** Another pack was picked: its data replaces the other's, so a broadcast page gives way to the dashboard. */
function packSwitched(pack) {
  toast(t('pack.switched', { name: pick(pack.name) }));
  if (window.location.hash.startsWith('#/broadcast/')) window.location.hash = '#/dashboard';
  else route();
}

function route() {
  const parts = (window.location.hash.replace(/^#\/?/, '') || 'dashboard').split('/');
  const name = VIEWS[parts[0]] ? parts[0] : 'dashboard';
  view.textContent = '';
  document.body.removeAttribute('data-ready');
  nav.hidden = !signedIn();
  signout.hidden = !signedIn();
  langButton.textContent = t('langSwitch');
  langButton.setAttribute('aria-label', t('langLabel'));
  renderPackSwitcher(packBox, packSwitched);
  for (const a of nav.querySelectorAll('a')) {
    if (a.getAttribute('href') === `#/${parts[0]}`) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const pack = currentPack();
  document.title = `Kiungo: ${t(`nav.${name}`)}${pack ? ` · ${pick(pack.name)}` : ''}`;
  if (!signedIn()) return signInView();
  const done = VIEWS[name](view, parts[1] ? decodeURIComponent(parts[1]) : undefined);
  Promise.resolve(done).catch((error) => {
    if (error && error.status === 401) return;
    view.append(errorBox(error));
  }).then(() => { document.body.setAttribute('data-ready', 'true'); });
}

async function start() {
  langButton.addEventListener('click', () => { setLang(getLang() === 'sw' ? 'en' : 'sw'); route(); });
  signout.addEventListener('click', () => { setToken(''); clearPacks(); signInMessage = null; window.location.hash = '#/signin'; route(); });
  window.addEventListener('hashchange', route);
  setLang(getLang());
  // A reload keeps the session's token: fetch its packs before the first view asks for data.
  if (signedIn()) await loadPacks().catch((error) => { if (error.status !== 401) view.append(errorBox(error)); });
  route();
}

void start();
