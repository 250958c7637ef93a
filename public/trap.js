// When the portal's WebAssembly traps (a WebAssembly.RuntimeError: "unreachable", "memory access
// out of bounds", an abort after a panic), the app is dead: nothing the customer clicks answers any
// more. This plain script, which needs no wasm, then puts a short message with a reload button in
// the portal's place (its own page, or the shadow root of an embedded portal), in the page's
// language, as an alert with the focus on it. Drafts are already in sessionStorage as they are
// typed (src/state/drafts.rs), so the reload loses nothing. The texts come from the portal's catalogues
// (src/i18n/, handed over at start-up by src/browser/trap.rs); English below only if the wasm never got
// that far. Loaded from index.html (classic script in <head>) and imported first by embed.js.
(function () {
  'use strict';
  var FALLBACK = {
    heading: 'Something went wrong',
    message: 'The portal stopped working. Reload the page to go on; what you were writing is kept.',
    reload: 'Reload page',
  };
  var shown = false;

  function isTrap(error) {
    return typeof WebAssembly === 'object' && error instanceof WebAssembly.RuntimeError;
  }

  // Where the portal lives: the embedded portal's root inside its shadow root, the host element
  // if the portal died before making one, else the page's body.
  function portalRoot() {
    var host = document.querySelector('[data-help-portal]');
    if (host) {
      var root = host.shadowRoot && host.shadowRoot.querySelector('.portal-root');
      return { container: root || host, lang: (root || host).getAttribute('lang') };
    }
    return { container: document.body, lang: document.documentElement.getAttribute('lang') };
  }

  function texts(lang) {
    var all = globalThis.__helpPortalStopped;
    var code = String(lang || '').toLowerCase().split('-')[0];
    return (all && (all[code] || all.en)) || FALLBACK;
  }

  function show() {
    var where = portalRoot();
    if (shown || !where.container) return;
    shown = true;
    var t = texts(where.lang);
    // The page's main content from now on (the dead portal's <main> is hidden with it).
    var main = document.createElement('main');
    main.className = 'portal-stopped';
    var box = document.createElement('div');
    box.className = 'alert';
    box.setAttribute('role', 'alert');
    box.tabIndex = -1;
    var heading = document.createElement('h1');
    heading.textContent = t.heading;
    var message = document.createElement('p');
    message.textContent = t.message;
    var reload = document.createElement('button');
    reload.type = 'button';
    reload.textContent = t.reload;
    reload.addEventListener('click', function () {
      window.location.reload();
    });
    box.append(heading, message, reload);
    main.append(box);
    // The rest of the portal no longer answers: out of sight and out of reach, also whatever a
    // half-dead app still adds (the stylesheet's .portal-stopped-here rule).
    // A modal dialog (the password prompt) would keep the message inert behind it.
    Array.prototype.forEach.call(where.container.querySelectorAll('dialog[open]'), function (dialog) {
      dialog.close();
    });
    Array.prototype.forEach.call(where.container.children, function (child) {
      child.hidden = true;
      child.inert = true;
    });
    where.container.classList.add('portal-stopped-here');
    where.container.prepend(main);
    box.focus();
  }

  window.addEventListener('error', function (event) {
    if (isTrap(event.error)) show();
  });
  window.addEventListener('unhandledrejection', function (event) {
    if (isTrap(event.reason)) show();
  });
})();
