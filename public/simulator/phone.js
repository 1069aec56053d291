// One simulated handset: number, service code, USSD screen with its character count, keypad,
// reply box, Dial/Send and Cancel, a "text a keyword" box with its short code and the SMS inbox.

import { atDate, newMessageId, SANDBOX_NETWORK, SERVICE_CODE } from '../assets/at-protocol.js';
import { h, setOptions } from '../assets/dom.js';
import { measureScreen } from '../assets/gsm.js';
import { t, translate } from './i18n.js';
import { InboxView } from './inbox-view.js';
import { keywordFor, serviceCodeOptions, shortCodeFor, shortCodeOptions } from './services.js';
import { UssdSession } from './ussd-session.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

export class Phone {
  /** `settings` holds the config.json answer; `onRemove(phone)` and `onChange()` notify the page. */
  constructor({ template, ordinal, number, code, shortCode, client, settings, onRemove, onChange }) {
    this.client = client;
    this.settings = settings;
    this.ordinal = ordinal;
    this.session = null;
    this.view = { kind: 'IDLE' };
    this.element = template.content.firstElementChild.cloneNode(true);
    this.parts = {};
    for (const element of this.element.querySelectorAll('[data-role]')) this.parts[element.dataset.role] = element;
    this.element.dataset.phone = String(ordinal);
    this.parts.heading.id = `phone-${ordinal}-heading`;
    this.element.setAttribute('aria-labelledby', this.parts.heading.id);
    this.parts.input.id = `phone-${ordinal}-input`;
    this.parts['input-label'].htmlFor = this.parts.input.id;
    this.parts.number.value = number;
    this.chosen = { code, shortCode: shortCode || shortCodeFor(settings, code) || settings.shortCode };
    this.inbox = new InboxView(this.parts.inbox);
    this.buildKeypad();
    this.wire(onRemove, onChange);
    this.retranslate();
  }

  get number() {
    return this.parts.number.value.trim();
  }

  get code() {
    return this.chosen.code;
  }

  get shortCode() {
    return this.chosen.shortCode;
  }

  buildKeypad() {
    const keypad = this.element.querySelector('.keypad');
    for (const key of KEYS) {
      keypad.append(h('button', { type: 'button', text: key, onclick: () => {
        this.parts.input.value += key;
        this.parts.input.focus();
      } }));
    }
  }

  /** Fills both pickers in the current language; a saved code the gateway no longer lists stays. */
  fillPickers() {
    const codes = serviceCodeOptions(this.settings);
    if (this.code && !codes.some((option) => option.value === this.code)) codes.push({ value: this.code, label: this.code });
    setOptions(this.parts.code, codes, this.code);
    this.element.querySelector('.fields').classList.toggle('stacked', codes.some((option) => option.label !== option.value));
    const shortCodes = shortCodeOptions(this.settings);
    if (this.shortCode && !shortCodes.some((option) => option.value === this.shortCode)) shortCodes.push({ value: this.shortCode, label: this.shortCode });
    setOptions(this.parts['short-code'], shortCodes, this.shortCode);
    this.parts['short-code-field'].hidden = shortCodes.length < 2;
  }

  /** The SMS box's label names the short code, and the keyword when that code is shared. */
  labelSms() {
    const keyword = keywordFor(this.settings, this.shortCode, this.code);
    this.parts['sms-heading'].textContent = t('smsHeading', { shortCode: this.shortCode });
    this.parts['sms-text'].placeholder = keyword ? t('smsPlaceholderKeyword', { keyword }) : t('smsPlaceholder');
  }

  wire(onRemove, onChange) {
    this.parts.remove.addEventListener('click', () => {
      void this.session?.cancel();
      onRemove(this);
    });
    this.parts.number.addEventListener('change', () => {
      this.inbox.reset();
      onChange();
    });
    this.parts.code.addEventListener('change', () => {
      // Picking a service also picks the short code it answers SMS on.
      this.chosen = { code: this.parts.code.value, shortCode: shortCodeFor(this.settings, this.parts.code.value) ?? this.shortCode };
      this.parts['short-code'].value = this.shortCode;
      this.labelSms();
      onChange();
    });
    this.parts['short-code'].addEventListener('change', () => {
      this.chosen = { ...this.chosen, shortCode: this.parts['short-code'].value };
      this.labelSms();
      onChange();
    });
    this.parts.backspace.addEventListener('click', () => {
      this.parts.input.value = this.parts.input.value.slice(0, -1);
    });
    this.parts['input-form'].addEventListener('submit', (event) => {
      event.preventDefault();
      void this.primaryAction();
    });
    this.parts.dial.addEventListener('click', () => void this.primaryAction());
    this.parts.cancel.addEventListener('click', () => void this.cancel());
    this.parts['sms-form'].addEventListener('submit', (event) => {
      event.preventDefault();
      void this.sendSms();
    });
  }

  /** Dial when no session is open (a code typed on the keypad wins), otherwise send the reply. */
  async primaryAction() {
    if (this.busy) return;
    const typed = this.parts.input.value;
    if (this.session?.open) return this.run(() => this.session.reply(typed));
    const code = SERVICE_CODE.test(typed.trim()) ? typed.trim() : this.code;
    this.session = new UssdSession({ client: this.client, phoneNumber: this.number, serviceCode: code });
    return this.run(() => this.session.dial());
  }

  async run(hop) {
    this.busy = true;
    this.parts.input.value = '';
    this.show({ kind: 'WAITING' });
    const screen = await hop();
    this.busy = false;
    this.show(screen);
    if (screen.kind === 'CON') this.parts.input.focus();
  }

  async cancel() {
    if (!this.session?.open || this.busy) return;
    await this.session.cancel();
    this.show({ kind: 'CANCELLED' });
  }

  async sendSms() {
    const text = this.parts['sms-text'].value;
    if (text.trim() === '') return;
    const answer = await this.client.sms({
      from: this.number, to: this.shortCode, text, id: newMessageId(), date: atDate(), networkCode: SANDBOX_NETWORK,
    });
    const ok = answer.status >= 200 && answer.status < 300;
    if (ok) this.parts['sms-text'].value = '';
    this.parts['sms-status'].textContent = ok ? t('smsSent') : t('smsFailed', { status: answer.status });
  }

  /** Asks the outbox for messages newer than the last one shown; stops for good on 404. */
  async pollInbox() {
    if (this.inbox.disabled || !this.number) return;
    const number = this.number;
    const answer = await this.client.inbox(number, this.inbox.since);
    if (answer.status === 404) this.inbox.disable();
    if (answer.status === 200 && number === this.number) this.inbox.add(answer.items);
    // Messages still waiting for their delivery report: read the newest again for their state.
    if (answer.status === 200 && number === this.number && this.inbox.awaitingReports()) {
      const again = await this.client.inbox(number, undefined);
      if (again.status === 200 && number === this.number) this.inbox.add(again.items);
    }
  }

  show(view) {
    this.view = view;
    const { screen, 'screen-text': text, 'screen-status': status, count } = this.parts;
    const hasScreen = view.kind === 'CON' || view.kind === 'END';
    text.textContent = hasScreen ? view.text : this.message(view);
    screen.dataset.kind = view.kind;
    status.textContent = view.kind === 'CON' ? t('awaitingReply') : view.kind === 'END' ? t('ended') : '';
    const measure = hasScreen ? measureScreen(view.text, this.settings.maxScreenChars) : null;
    count.textContent = measure ? `${measure.units}/${measure.budget} ${measure.encoding}` : '';
    count.classList.toggle('over', Boolean(measure?.over));
    const open = Boolean(this.session?.open);
    this.parts.dial.textContent = open ? t('send') : t('dial');
    this.parts.dial.disabled = view.kind === 'WAITING';
    this.parts.cancel.disabled = !open || view.kind === 'WAITING';
  }

  message(view) {
    if (view.kind === 'WAITING') return t('waiting');
    if (view.kind === 'CANCELLED') return t('cancelled');
    if (view.kind !== 'ERROR') return t('idle');
    const detail = view.status === 401 || view.status === 403 ? t('keyRejected') : t(view.reason, { status: view.status });
    return `${t('failed')}\n${detail}`;
  }

  retranslate() {
    this.parts.heading.dataset.i18nVars = JSON.stringify({ n: this.ordinal });
    this.parts.heading.dataset.i18n = 'phoneHeading';
    translate(this.element);
    this.fillPickers();
    this.labelSms();
    this.inbox.render();
    this.show(this.view);
  }
}
