/* chatdeck on any page with one tag (README: "Put chatdeck on your site"):
 *   <script src="https://USER.github.io/chatdeck/embed.js" data-bot="faq" defer></script>
 * A button opens the bot in a frame; the app is not loaded before it is pressed (or
 * the page is idle, with data-preload="idle"). All in a closed shadow root on one
 * element: no globals, no cookies, no styles leaking in or out. */
(function () {
  'use strict';
  var me = document.currentScript;
  if (!me || !me.src) return;
  var d = me.dataset;
  var BOTS = ['customer-service', 'support', 'storyteller', 'faq'];
  var NAMES = ['Customer Service', 'Support', 'Storyteller', 'FAQ'];
  var bot = Math.max(0, BOTS.indexOf(d.bot));
  var label = (d.label || '').trim().slice(0, 60) || 'Chat with us';
  // Only a hex colour reaches the style sheet.
  var accent = /^#([0-9a-f]{3}){1,2}$/i.test(d.accent || '') ? d.accent : '#2f5fd0';
  var side = d.side === 'left' ? 'left' : 'right';

  // The app next to this script (any sub-path works), compact, one bot; the host's data
  // files and report address as absolute addresses (the app asks the visitor before using
  // another site's data, and sends misses only to an https report address).
  var app = new URL('./', me.src);
  app.searchParams.set('embed', '1');
  ['faq', 'orders', 'report'].forEach(function (k) {
    try {
      var u = new URL(d[k], document.baseURI);
      if (d[k] && /^https?:$/.test(u.protocol)) app.searchParams.set(k, u.href);
    } catch (e) { /* not an address: the app's own data */ }
  });
  app.hash = '/' + BOTS[bot];

  // Text on the accent: black or white, whichever contrasts more.
  var hex = accent.length < 5 ? accent.replace(/\w/g, '$&$&') : accent;
  var lum = 0;
  [0.2126, 0.7152, 0.0722].forEach(function (w, k) {
    var c = parseInt(hex.substr(1 + 2 * k, 2), 16) / 255;
    lum += w * (c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
  });
  var ink = (lum + 0.05) * (lum + 0.05) > 0.0525 ? '#111' : '#fff';

  var css = '*{box-sizing:border-box;font:600 15px/1.2 system-ui,sans-serif}' +
    'button{cursor:pointer;border:0;margin:0;color:' + ink + ';background:' + accent + '}' +
    'button:focus-visible{outline:3px solid ' + accent + ';outline-offset:3px}' +
    '.open{position:fixed;bottom:20px;' + side + ':20px;display:flex;align-items:center;gap:8px;' +
    'min-height:48px;padding:12px 18px;border-radius:24px;box-shadow:0 4px 16px #0004}' +
    'svg{width:22px;height:22px;fill:currentColor}' +
    '.panel{position:fixed;bottom:84px;' + side + ':20px;width:min(400px,100vw - 40px);' +
    'height:min(640px,100vh - 104px);display:flex;flex-direction:column;overflow:hidden;' +
    'border-radius:14px;box-shadow:0 8px 32px #0005;color-scheme:light dark;background:Canvas}' +
    '[hidden]{display:none}' +
    '.bar{display:flex;align-items:center;justify-content:space-between;padding:6px 6px 6px 14px;' +
    'color:' + ink + ';background:' + accent + '}' +
    '.bar button{width:36px;height:36px;border-radius:50%;font-size:22px;background:none}' +
    'iframe{flex:1;width:100%;border:0}' +
    // A phone: the whole screen (the × closes it).
    '@media (max-width:600px),(max-height:500px){.panel{inset:0;width:auto;height:auto;border-radius:0}' +
    '.panel:not([hidden])~.open{display:none}}';

  var root, open, panel, frame;

  function el(tag, parent, cls) {
    var e = parent.appendChild(document.createElement(tag));
    if (cls) e.className = cls;
    return e;
  }

  function show(yes) {
    if (yes && !frame) load();
    panel.hidden = !yes;
    open.setAttribute('aria-expanded', yes);
    // Into the chat (the app then focuses its message box), or back to the button.
    (yes ? frame : open).focus();
  }

  function load() {
    if (frame) return;
    frame = el('iframe', panel);
    frame.title = 'Chat with the ' + NAMES[bot] + ' bot';
    frame.allow = 'clipboard-write';
    frame.referrerPolicy = 'no-referrer';
    frame.src = app.href;
    // A frame focused before its page arrived does not pass the focus on to it.
    frame.onload = function () {
      if (root.activeElement === frame) frame.contentWindow.focus();
    };
  }

  function build() {
    var host = el('chatdeck-embed', document.body);
    // Inline and important: no host style sheet hides or moves it.
    host.style.cssText = 'all:initial!important;display:block!important;position:fixed!important;' +
      'z-index:2147483647!important;top:0!important;left:0!important;width:0!important;height:0!important';
    root = host.attachShadow({ mode: 'closed' });
    if (root.adoptedStyleSheets) {
      // A constructed sheet: the host page's CSP needs no 'unsafe-inline' for it.
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } else {
      el('style', root).textContent = css;
    }
    panel = el('div', root, 'panel');
    panel.hidden = true;
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-label', label);
    var bar = el('div', panel, 'bar');
    el('span', bar).textContent = label;
    var close = el('button', bar);
    close.type = 'button';
    close.setAttribute('aria-label', 'Close chat');
    close.textContent = '\u00d7';
    open = el('button', root, 'open');
    open.type = 'button';
    open.setAttribute('aria-expanded', false);
    // Node by node: no markup parsed, nothing for a Trusted Types policy to refuse.
    var SVG = 'http://www.w3.org/2000/svg';
    var icon = open.appendChild(document.createElementNS(SVG, 'svg'));
    icon.setAttribute('viewBox', '0 0 24 24');
    icon.setAttribute('aria-hidden', true);
    icon.appendChild(document.createElementNS(SVG, 'path')).setAttribute('d',
      'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z');
    el('span', open).textContent = label;

    open.onclick = function () { show(panel.hidden); };
    close.onclick = function () { show(false); };
    root.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && !panel.hidden) show(false);
    });
    // Escape in the chat: the app asks its parent to close the panel.
    window.addEventListener('message', function (e) {
      if (frame && e.source === frame.contentWindow && e.origin === app.origin &&
          e.data === 'chatdeck:close' && !panel.hidden) show(false);
    });
    if (d.preload === 'idle') {
      if (window.requestIdleCallback) requestIdleCallback(load, { timeout: 5000 });
      else setTimeout(load, 2000);
    }
  }

  if (document.body) build();
  else document.addEventListener('DOMContentLoaded', build);
})();
