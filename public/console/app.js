/* The console shell: sign-in, language switch and hash routing to the views. */
(function () {
  'use strict';
  var KC = window.KC;
  var h = KC.h;
  var view = document.getElementById('view');
  var nav = document.getElementById('nav');
  var signout = document.getElementById('signout');
  var langButton = document.getElementById('lang');
  var store = window.sessionStorage;
  var signInMessage = null;

  function signedIn() { return Boolean(store.getItem(KC.TOKEN_KEY)); }

  function signInView() {
    var input = h('input', { type: 'password', id: 'token', autocomplete: 'current-password', required: true });
    var status = h('div', { 'aria-live': 'assertive' }, signInMessage ? [KC.errorBox({ message: signInMessage })] : []);
    var form = h('form', { class: 'card signin' }, [h('h1', { text: KC.t('signin.title') }), KC.field(KC.t('signin.token'), input, KC.t('signin.help')), status, h('button', { type: 'submit', text: KC.t('signin.go') })]);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      store.setItem(KC.TOKEN_KEY, input.value.trim());
      KC.api('GET', '/agenda', undefined, { keepSession: true }).then(function () {
        signInMessage = null;
        if (!window.location.hash || window.location.hash === '#/signin') window.location.hash = '#/dashboard';
        else route();
      }, function (error) {
        store.removeItem(KC.TOKEN_KEY);
        status.textContent = '';
        status.appendChild(KC.errorBox({ message: error.status === 401 ? error.message : KC.t('signin.bad') }));
      });
    });
    view.appendChild(form);
    input.focus();
  }

  KC.onUnauthorised = function (error) {
    store.removeItem(KC.TOKEN_KEY);
    signInMessage = error.message;
    route();
  };

  function route() {
    var parts = (window.location.hash.replace(/^#\/?/, '') || 'dashboard').split('/');
    var name = parts[0];
    view.textContent = '';
    nav.hidden = !signedIn();
    signout.hidden = !signedIn();
    langButton.textContent = KC.t('langSwitch');
    langButton.setAttribute('aria-label', KC.t('langLabel'));
    Array.from(nav.querySelectorAll('a')).forEach(function (a) {
      if (a.getAttribute('href') === '#/' + name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    });
    document.title = 'Kiungo: ' + KC.t('nav.' + (KC.views[name] ? name : 'dashboard'));
    if (!signedIn()) return signInView();
    var render = KC.views[name] || KC.views.dashboard;
    var done = render(view, parts[1] ? decodeURIComponent(parts[1]) : undefined);
    Promise.resolve(done).catch(function (error) {
      if (error && error.status === 401) return;
      view.appendChild(KC.errorBox(error));
    }).then(function () { document.body.setAttribute('data-ready', 'true'); });
  }

  langButton.addEventListener('click', function () { KC.setLang(KC.getLang() === 'sw' ? 'en' : 'sw'); route(); });
  signout.addEventListener('click', function () { store.removeItem(KC.TOKEN_KEY); signInMessage = null; window.location.hash = '#/signin'; route(); });
  window.addEventListener('hashchange', route);
  KC.setLang(KC.getLang());
  route();
})();
