// Flow releases: the pack's versions with who released them and when, the live one, the one
// staged to a few phones, and the actions: upload a new version (checked by flows:check first),
// stage it, promote it to everyone, roll back to an earlier one.

import { h } from '../assets/dom.js';
import { api } from './api.js';
import { getLang } from './i18n.js';
import { errorBox, field, toast, when } from './ui.js';

const TEXTS = {
  sw: {
    title: 'Matoleo ya menyu ya USSD', live: 'Toleo linalotumika', staged: 'Toleo la majaribio', none: 'Hakuna',
    stagedTo: 'kwa simu {n}:', promote: 'Litumike kwa wote', unstage: 'Acha majaribio', rollback: 'Rudisha toleo hili', stage: 'Jaribu kwa simu hizi',
    versions: 'Matoleo yote', version: 'Toleo', status: 'Hali', at: 'Lilihifadhiwa', by: 'Na nani', source: 'Chanzo', nodes: 'Hatua', actions: 'Vitendo',
    'st.live': 'Linatumika', 'st.staged': 'Majaribio', 'st.previous': 'Lilitumika awali', 'st.stored': 'Limehifadhiwa',
    'src.flows_dir': 'FLOWS_DIR (kuanzishwa)', 'src.upload': 'Kupakiwa',
    upload: 'Pakia toleo jipya', files: 'Faili za YAML za pack (pack.yaml, ussd.yaml, messages.sw.yaml, ...)', phones: 'Simu za majaribio (hiari, moja kwa mstari)',
    stagePhones: 'Simu za kujaribu toleo (kwa "Jaribu kwa simu hizi")',
    send: 'Kagua na uhifadhi', stored: 'Toleo {v} limehifadhiwa.', same: 'Toleo {v} lilikuwepo tayari.', problems: 'Toleo halikupita flows:check; hakuna kilichohifadhiwa:',
    moved: 'Imefanyika: sasa linatumika {v}.', confirmPromote: 'Je, toleo {v} litumike kwa wote? Vipindi vya USSD vinavyoendelea vitamalizika kwa toleo lao.',
    confirmRollback: 'Je, toleo {v} lirudishwe kwa wote? Vipindi vya USSD vinavyoendelea vitamalizika kwa toleo lao.',
    pinned: 'Vipindi vya USSD vinavyoendelea hubaki kwenye toleo vilivyoanza nalo: toleo jipya linaanza kwa upigaji unaofuata.',
    history: 'Historia', 'act.live': 'lilianza kutumika', 'act.staged': 'lilijaribiwa', 'act.unstaged': 'majaribio yaliachwa', 'act.promoted': 'lilitumika kwa wote', 'act.rolled_back': 'lilirudishwa',
  },
  en: {
    title: 'USSD menu releases', live: 'Live version', staged: 'Staged version', none: 'None',
    stagedTo: 'to {n} phone(s):', promote: 'Make live for everyone', unstage: 'Stop staging', rollback: 'Roll back to this version', stage: 'Try on these phones',
    versions: 'All versions', version: 'Version', status: 'Status', at: 'Stored', by: 'By', source: 'Source', nodes: 'Steps', actions: 'Actions',
    'st.live': 'Live', 'st.staged': 'Staged', 'st.previous': 'Live before', 'st.stored': 'Stored',
    'src.flows_dir': 'FLOWS_DIR (at start)', 'src.upload': 'Upload',
    upload: 'Upload a new version', files: "The pack's YAML files (pack.yaml, ussd.yaml, messages.sw.yaml, ...)", phones: 'Staging phones (optional, one per line)',
    stagePhones: 'Phones to try a version on (for "Try on these phones")',
    send: 'Check and store', stored: 'Version {v} stored.', same: 'Version {v} was stored already.', problems: 'The version does not pass flows:check; nothing was stored:',
    moved: 'Done: {v} is live now.', confirmPromote: 'Make version {v} live for everyone? USSD sessions already running finish on their version.',
    confirmRollback: 'Roll everyone back to version {v}? USSD sessions already running finish on their version.',
    pinned: 'USSD sessions already running stay on the version they started on: a new version starts with the next dial.',
    history: 'History', 'act.live': 'went live', 'act.staged': 'staged', 'act.unstaged': 'staging stopped', 'act.promoted': 'made live', 'act.rolled_back': 'rolled back to',
  },
};

function tr(key, vars) {
  const text = TEXTS[getLang()][key] || TEXTS.sw[key] || key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (vars && name in vars ? String(vars[name]) : whole));
}

function phonesOf(text) { return text.split(/[\s,;]+/).filter(Boolean); }

/** The flows:check problems of a refused version, one line each with file, path and fix. */
function problemBox(error) {
  if (error.code !== 'RELEASE.UNPROCESSABLE' || !Array.isArray(error.details)) return errorBox(error);
  return h('div', { class: 'error', role: 'alert' }, [h('strong', { text: tr('problems') }),
    h('ul', {}, error.details.slice(0, 30).map((p) => h('li', { text: p.text || `${p.file} ${p.path} ${p.message}` })))]);
}

export function render(view) {
  const status = h('div', { 'aria-live': 'polite' });
  view.append(h('h1', { text: tr('title') }), h('p', { class: 'hint', text: tr('pinned') }), status);
  const body = h('div');
  view.append(body);

  /** Runs one action, then redraws with its answer (or shows why it was refused). */
  function act(call, done) {
    status.textContent = '';
    return call().then((listing) => { if (done) toast(done(listing)); draw(listing.listing || listing); }, (error) => { status.append(problemBox(error)); });
  }

  function uploadCard() {
    const files = h('input', { type: 'file', multiple: true, accept: '.yaml,.yml', id: 'release-files' });
    const phones = h('textarea', { id: 'release-phones', rows: 3 });
    const form = h('form', { class: 'card' }, [h('h2', { text: tr('upload') }), field(tr('files'), files), field(tr('phones'), phones), h('button', { type: 'submit', text: tr('send') })]);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const chosen = Array.from(files.files || []);
      Promise.all(chosen.map((file) => file.text().then((text) => [file.name, text]))).then((pairs) => {
        const staging = phonesOf(phones.value);
        const request = { files: Object.fromEntries(pairs), ...(staging.length ? { stage: { phones: staging } } : {}) };
        return act(() => api('POST', '/releases', request), (result) => tr(result.created ? 'stored' : 'same', { v: result.release.version }));
      });
    });
    return form;
  }

  function draw(listing) {
    body.textContent = '';
    const staged = listing.staged;
    const stagePhones = h('textarea', { id: 'stage-phones', rows: 2 });
    body.append(h('section', { class: 'card', id: 'release-current' }, [
      h('p', {}, [h('strong', { text: `${tr('live')}: ` }), h('code', { id: 'release-live', text: listing.live })]),
      h('p', {}, [h('strong', { text: `${tr('staged')}: ` }), staged
        ? h('span', { id: 'release-staged' }, [h('code', { text: staged.version }), ` ${tr('stagedTo', { n: staged.phones.length })} ${staged.phones.join(', ')}`])
        : h('span', { id: 'release-staged', text: tr('none') })]),
      staged ? h('p', { class: 'actions' }, [
        h('button', { type: 'button', id: 'release-promote', text: tr('promote'), onclick: () => { if (window.confirm(tr('confirmPromote', { v: staged.version }))) act(() => api('POST', '/releases/promote', {}), (l) => tr('moved', { v: l.live })); } }),
        h('button', { type: 'button', class: 'secondary', text: tr('unstage'), onclick: () => act(() => api('DELETE', '/releases/staged')) }),
      ]) : null,
    ]));
    const rows = listing.versions.map((v) => h('tr', { 'data-version': v.version }, [
      h('td', {}, [h('code', { text: v.version })]),
      h('td', { text: tr(`st.${v.status}`) }),
      h('td', { text: when(v.createdAt) }),
      h('td', { text: `${v.by.label} (${v.by.role})` }),
      h('td', { text: tr(`src.${v.source}`) }),
      h('td', { text: String(v.nodes) }),
      h('td', {}, v.status === 'live' ? [] : [
        v.status !== 'staged' ? h('button', { type: 'button', class: 'secondary', text: tr('rollback'), onclick: () => { if (window.confirm(tr('confirmRollback', { v: v.version }))) act(() => api('POST', '/releases/rollback', { version: v.version }), (l) => tr('moved', { v: l.live })); } }) : null,
        h('button', { type: 'button', class: 'secondary', text: tr('stage'), onclick: () => act(() => api('POST', `/releases/${v.version}/stage`, { phones: phonesOf(stagePhones.value) })) }),
      ]),
    ]));
    body.append(h('section', { class: 'card scroll' }, [
      h('h2', { text: tr('versions') }),
      field(tr('stagePhones'), stagePhones),
      h('table', { id: 'release-versions' }, [
        h('thead', {}, [h('tr', {}, ['version', 'status', 'at', 'by', 'source', 'nodes', 'actions'].map((k) => h('th', { scope: 'col', text: tr(k) })))]),
        h('tbody', {}, rows),
      ]),
    ]));
    body.append(h('section', { class: 'card' }, [h('h2', { text: tr('history') }), h('ul', { id: 'release-history' }, listing.history.slice(0, 20).map((e) =>
      h('li', { text: `${when(e.at)}: ${e.version} ${tr(`act.${e.action}`)} (${e.by.label})` })))]));
    body.append(uploadCard());
  }

  return api('GET', '/releases').then(draw);
}
