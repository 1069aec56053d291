// The projector: one session's approved questions, polled every few seconds with the read token
// from the link's #fragment (pack, session, token). Read-only; nothing here can change a question.

const POLL_MS = 5000;
const params = new URLSearchParams(window.location.hash.slice(1));
const pack = params.get('pack') || '';
const session = (params.get('session') || '').toUpperCase();
const token = params.get('token') || '';
const list = document.getElementById('questions');
const empty = document.getElementById('empty');
const problem = document.getElementById('problem');
const title = document.getElementById('title');
const keyword = document.getElementById('keyword');

function show(message, clear = false) {
  problem.textContent = message;
  problem.hidden = false;
  if (clear) {
    list.replaceChildren();
    empty.hidden = true;
  }
}

// Another link pasted into the same tab: start again with its session and token.
window.addEventListener('hashchange', () => window.location.reload());

async function poll() {
  try {
    const response = await fetch(`../api/v1/projector/${encodeURIComponent(session)}?pack=${encodeURIComponent(pack)}`, { headers: { 'X-Projector-Token': token }, cache: 'no-store' });
    if (response.status === 401 || response.status === 403) return show('Kiungo hiki si sahihi au kimebadilishwa. / This link is not valid or has been replaced.', true);
    if (!response.ok) return show(`Hitilafu / Error ${response.status}`);
    const body = await response.json();
    problem.hidden = true;
    title.textContent = `${body.session}: ${body.title.sw} / ${body.title.en}`;
    keyword.textContent = `SWALI ${body.session} ... / ASK ${body.session} ...`;
    list.replaceChildren(...body.questions.map((q) => {
      const item = document.createElement('li');
      item.textContent = q.text;
      return item;
    }));
    empty.hidden = body.questions.length > 0;
  } catch {
    show('Mtandao umekatika; tunajaribu tena. / Connection lost; retrying.');
  } finally {
    document.body.setAttribute('data-ready', 'true');
  }
}

if (!session || !token) show('Fungua kiungo cha projekta kutoka dashibodi. / Open the projector link from the console.');
else {
  void poll();
  setInterval(poll, POLL_MS);
}
