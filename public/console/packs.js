// The console's pack switcher: which flow packs (services) the token may see, which one the
// organiser is working on, remembered in this browser. With one pack, or a gateway without
// the pack list, nothing is chosen and calls carry no `pack` parameter.

import { h, setOptions } from '../assets/dom.js';
import { api, usePack } from './api.js';
import { pick, t } from './i18n.js';

const PACK_KEY = 'kiungo.console.pack';

const state = { packs: [], current: undefined };

function remembered() {
  try { return window.localStorage.getItem(PACK_KEY); } catch { return null; }
}
function remember(id) {
  try { window.localStorage.setItem(PACK_KEY, id); } catch { /* private mode: the choice lasts this page */ }
}

/**
 * Asks the gateway for the packs the token may see and picks the remembered one (else the
 * first). Resolves to the list; [] when the gateway has no pack list (404). A refused token
 * rejects, like any call.
 */
export async function loadPacks() {
  let packs = [];
  try {
    const answer = await api('GET', '/packs', undefined, { keepSession: true });
    packs = Array.isArray(answer) ? answer.filter((p) => p && typeof p.id === 'string') : [];
  } catch (error) {
    if (error.status !== 404) throw error;
  }
  state.packs = packs;
  // The gateway lists its default pack first.
  const [first] = packs;
  state.current = packs.find((p) => p.id === remembered()) ?? first;
  // One pack is the gateway's default anyway: naming it would only tie the calls to its id.
  usePack(packs.length > 1 ? state.current.id : undefined);
  return packs;
}

/** The pack being worked on, or undefined before loadPacks() or without a pack list. */
export function currentPack() {
  return state.current;
}

/** Forgets the list (sign-out); the remembered choice stays for the next sign-in. */
export function clearPacks() {
  state.packs = [];
  state.current = undefined;
  usePack(undefined);
}

/** "Sample data" beside a pack whose agenda and people are made up, so no one takes it for real. */
function sampleBadge() {
  return state.current.sample ? [h('span', { class: 'badge sample', id: 'pack-sample', text: t('pack.sample') })] : [];
}

/**
 * Draws the header's pack area into `box`: a labelled select when there are several packs, the
 * pack's name as plain text when there is one, nothing without a list. `onSwitch(pack)` runs
 * after the organiser picks another pack.
 */
export function renderPackSwitcher(box, onSwitch) {
  box.textContent = '';
  box.hidden = state.current === undefined;
  if (!state.current) return;
  if (state.packs.length === 1) {
    box.append(h('span', { class: 'pack-label', text: `${t('pack.label')}: ` }), h('strong', { id: 'pack-name', text: pick(state.current.name) }), ...sampleBadge());
    return;
  }
  const select = h('select', { id: 'pack-select' });
  setOptions(select, state.packs.map((p) => ({ value: p.id, label: pick(p.name) || p.id })), state.current.id);
  select.addEventListener('change', () => {
    const next = state.packs.find((p) => p.id === select.value);
    if (!next) return;
    state.current = next;
    remember(next.id);
    usePack(next.id);
    onSwitch(next);
  });
  box.append(h('label', { class: 'pack-label', for: 'pack-select', text: t('pack.label') }), select, ...sampleBadge());
}
