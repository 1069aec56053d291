// A phone's SMS inbox, fed from the gateway's local outbox: new messages on top, an unread badge
// that clears when the person opens the inbox.

import { h } from '../assets/dom.js';
import { language, t } from './i18n.js';

export class InboxView {
  constructor(details) {
    this.details = details;
    this.list = details.querySelector('[data-role="messages"]');
    this.badge = details.querySelector('[data-role="badge"]');
    this.note = details.querySelector('[data-role="inbox-note"]');
    this.reset();
    details.addEventListener('toggle', () => {
      if (details.open) this.markRead();
    });
  }

  /** Forgets every message (a new phone number has a new inbox). */
  reset() {
    this.seen = new Set();
    this.since = undefined;
    this.lastAt = '';
    this.unread = 0;
    this.disabled = false;
    this.list.replaceChildren();
    this.render();
  }

  /** Adds messages not shown yet (any order in, newest on top); the newest becomes the next `since`. */
  add(items) {
    const oldestFirst = [...items].sort((a, b) => String(a?.at).localeCompare(String(b?.at)));
    for (const item of oldestFirst) {
      if (!item || typeof item.id !== 'string') continue;
      if (this.seen.has(item.id)) {
        this.updateState(item);
        continue;
      }
      this.seen.add(item.id);
      if (String(item.at) >= this.lastAt) {
        this.lastAt = String(item.at);
        this.since = item.id;
      }
      this.list.prepend(messageElement(item));
      if (!this.details.open) this.unread += 1;
    }
    this.render();
  }

  /** True while a shown message is only `sent` (its delivery report may still come). */
  awaitingReports() {
    return Boolean(this.list.querySelector('.message[data-state="sent"]'));
  }

  /** Shows a message's newer delivery state. */
  updateState(item) {
    const element = [...this.list.querySelectorAll('.message')].find((li) => li.getAttribute('data-id') === item.id);
    if (!element || !item.state || element.getAttribute('data-state') === item.state) return;
    element.setAttribute('data-state', item.state);
    element.querySelector('.state').replaceWith(stateElement(item));
  }

  markRead() {
    this.unread = 0;
    for (const element of this.list.querySelectorAll('.fresh')) element.classList.remove('fresh');
    this.render();
  }

  /** The gateway has no outbox: say so once and stop polling. */
  disable() {
    this.disabled = true;
    this.render();
  }

  render() {
    this.badge.hidden = this.unread === 0;
    this.badge.textContent = t('unread', { n: this.unread });
    this.note.hidden = !this.disabled && this.seen.size > 0;
    this.note.textContent = this.disabled ? t('inboxOff') : t('inboxEmpty');
  }
}

function messageElement(item) {
  const when = new Date(item.at);
  const shown = Number.isNaN(when.getTime())
    ? String(item.at)
    // East Africa Time, as the console shows it, whatever the browser's own zone.
    : `${when.toLocaleString(language() === 'sw' ? 'sw-TZ' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Africa/Dar_es_Salaam' })} EAT`;
  return h('li', { class: 'message fresh', 'data-id': item.id, 'data-state': String(item.state || '') }, [h('p', { class: 'body', text: String(item.text) }),
    h('p', { class: 'meta' }, [h('span', { class: 'when', text: shown }), ' ', stateElement(item)])]);
}

/** The delivery state as a label in the page's language, with the reason when there is one. */
function stateElement(item) {
  const state = String(item.state || '');
  const label = t(`state.${state}`) === `state.${state}` ? state : t(`state.${state}`);
  return h('span', { class: `state state-${state}`, text: label + (item.reason ? ` (${item.reason})` : '') });
}
