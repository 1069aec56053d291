// The simulator page: reads config.json, asks for the webhook key when the gateway needs one,
// keeps the phones (and the interface language) across reloads and polls each phone's inbox.

import { createGatewayClient } from './gateway-client.js';
import { LANGUAGES, setLanguage, t, translate } from './i18n.js';
import { Phone } from './phone.js';

const STORE = { key: 'kiungo.simulator.key', lang: 'kiungo.simulator.lang', phones: 'kiungo.simulator.phones' };
const FIRST_NUMBER = '+255712345678';
const DEFAULT_CODE = '*384*2015#';
const INBOX_POLL_MS = 2000;

const stored = {
  get(name) {
    try { return localStorage.getItem(name) ?? ''; } catch { return ''; }
  },
  set(name, value) {
    try { if (value) localStorage.setItem(name, value); else localStorage.removeItem(name); } catch { /* private mode */ }
  },
};

const page = {
  phones: [],
  ordinal: 0,
  settings: null,
  template: document.getElementById('phone-template'),
  container: document.getElementById('phones'),
};

const client = createGatewayClient({ getKey: () => stored.get(STORE.key), onUnauthorized: askForKey });

function askForKey() {
  const form = document.getElementById('key-form');
  if (!form.hidden) return;
  form.hidden = false;
  document.getElementById('forget-key').hidden = true;
  document.getElementById('key-input').focus();
}

function saveKey(event) {
  event.preventDefault();
  const input = document.getElementById('key-input');
  stored.set(STORE.key, input.value.trim());
  input.value = '';
  document.getElementById('key-form').hidden = true;
  document.getElementById('forget-key').hidden = !page.settings?.webhookKeyRequired;
}

/** +255712345678 first, then +255754000001, +255754000002, ... whichever is not in use yet. */
function nextNumber() {
  const used = new Set(page.phones.map((phone) => phone.number));
  if (!used.has(FIRST_NUMBER)) return FIRST_NUMBER;
  for (let n = 1; ; n += 1) {
    const candidate = `+255754${String(n).padStart(6, '0')}`;
    if (!used.has(candidate)) return candidate;
  }
}

function savePhones() {
  stored.set(STORE.phones, JSON.stringify(page.phones.map((phone) => ({ number: phone.number, code: phone.code, shortCode: phone.shortCode }))));
}

function addPhone(number = nextNumber(), code = page.settings.serviceCodes[0] ?? DEFAULT_CODE, shortCode = undefined) {
  page.ordinal += 1;
  const phone = new Phone({
    template: page.template, ordinal: page.ordinal, number, code, shortCode, client, settings: page.settings,
    onRemove: removePhone, onChange: savePhones,
  });
  if (!page.settings.outbox) phone.inbox.disable();
  page.phones.push(phone);
  page.container.append(phone.element);
  refreshRemoveButtons();
  savePhones();
}

function removePhone(phone) {
  page.phones = page.phones.filter((other) => other !== phone);
  phone.element.remove();
  refreshRemoveButtons();
  savePhones();
}

function refreshRemoveButtons() {
  for (const phone of page.phones) phone.parts.remove.hidden = page.phones.length < 2;
}

function restorePhones() {
  let saved = [];
  try { saved = JSON.parse(stored.get(STORE.phones) || '[]'); } catch { saved = []; }
  const valid = Array.isArray(saved) ? saved.filter((entry) => typeof entry?.number === 'string' && typeof entry?.code === 'string') : [];
  if (valid.length === 0) addPhone();
  for (const entry of valid) addPhone(entry.number, entry.code, typeof entry.shortCode === 'string' ? entry.shortCode : undefined);
}

function switchLanguage(lang) {
  setLanguage(lang);
  stored.set(STORE.lang, lang);
  for (const button of document.querySelectorAll('[data-lang]')) button.setAttribute('aria-pressed', String(button.dataset.lang === lang));
  translate(document.querySelector('header'));
  translate(document.getElementById('key-form'));
  document.getElementById('forget-key').textContent = t('keyForget');
  document.title = `Kiungo · ${t('title')}`;
  for (const phone of page.phones) phone.retranslate();
}

async function pollInboxes() {
  for (const phone of [...page.phones]) await phone.pollInbox();
  setTimeout(() => void pollInboxes(), INBOX_POLL_MS);
}

async function start() {
  const savedLang = stored.get(STORE.lang);
  switchLanguage(LANGUAGES.includes(savedLang) ? savedLang : 'sw');
  for (const button of document.querySelectorAll('[data-lang]')) button.addEventListener('click', () => switchLanguage(button.dataset.lang));
  document.getElementById('key-form').addEventListener('submit', saveKey);
  document.getElementById('forget-key').addEventListener('click', () => { stored.set(STORE.key, ''); askForKey(); });
  try {
    page.settings = await client.config();
  } catch {
    const error = document.getElementById('page-error');
    error.textContent = t('configFailed');
    error.hidden = false;
    return;
  }
  if (page.settings.webhookKeyRequired && !stored.get(STORE.key)) askForKey();
  else document.getElementById('forget-key').hidden = !page.settings.webhookKeyRequired;
  document.getElementById('add-phone').addEventListener('click', () => addPhone());
  restorePhones();
  document.body.dataset.ready = 'true';
  if (page.settings.outbox) void pollInboxes();
}

void start();
