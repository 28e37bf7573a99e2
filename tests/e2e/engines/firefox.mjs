// Firefox ESR, headless, driven by puppeteer-core over WebDriver BiDi (no geckodriver).
// A Playwright BrowserContext is a BiDi user context: its own storage, caches and
// service workers.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BasePage, BaseFrame, DEFAULT_TIMEOUT, INIT, BLOCK_SW, RESOLVE, Routes, Route, requestOf, Unsupported } from './common.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const { default: puppeteer } = await import(path.join(root, 'tools/node_modules/puppeteer-core/lib/esm/puppeteer/puppeteer-core.js'));
const ENGINE = 'firefox';
const DEFAULT_VIEWPORT = { width: 1280, height: 720 };

export async function launch() {
  return new FirefoxBrowser(await launchRaw());
}

function launchRaw(prefs = {}) {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
    headless: true,
    protocolTimeout: 120_000,
    extraPrefsFirefox: {
      // Downloads never ask where to save (the adapter keeps Blob downloads in the page anyway).
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      ...prefs,
    },
  });
}

class FirefoxBrowser {
  constructor(browser) { this._browser = browser; this._contexts = new Set(); }
  async newContext(opts = {}) {
    globalThis.__chatdeckOffline = null; // a new context is online (a failed test may have left one offline)
    // Media features cannot be emulated over BiDi: a context that needs dark colors or
    // reduced motion gets a Firefox of its own, launched with the preferences that set them.
    const prefs = {};
    if (opts.colorScheme === 'dark') prefs['layout.css.prefers-color-scheme.content-override'] = 0;
    if (opts.reducedMotion === 'reduce') prefs['ui.prefersReducedMotion'] = 1;
    if (Object.keys(prefs).length) {
      const own = await launchRaw(prefs);
      const context = new FirefoxContext(this, own.defaultBrowserContext(), { ...opts, colorScheme: undefined, reducedMotion: undefined });
      context._ownBrowser = own;
      this._contexts.add(context);
      return context;
    }
    const context = new FirefoxContext(this, await this._browser.createBrowserContext(), opts);
    this._contexts.add(context);
    return context;
  }
  async newPage() { return (await this.newContext()).newPage(); }
  contexts() { return [...this._contexts]; }
  version() { return this._browser.version(); }
  async close() { await this._browser.close(); }
}

class FirefoxContext {
  constructor(browser, context, opts) {
    if (opts.reducedMotion && opts.reducedMotion !== 'no-preference') {
      // Emulated media features are not available over BiDi in this Firefox.
      // (Checked in newPage: the page throws Unsupported if emulation fails.)
    }
    this._browser = browser;
    this._context = context;
    this._opts = opts;
    this._init = [`(${INIT})()`];
    if (opts.serviceWorkers === 'block') this._init.push(`(${BLOCK_SW})()`);
    this._pages = [];
    this._routes = new Routes();
  }
  async newPage() {
    const raw = await this._context.newPage();
    const page = new FirefoxPage(raw, this);
    if (this._routes.size) await page._intercept();
    for (const src of this._init) await raw.evaluateOnNewDocument(src);
    const vp = this._opts.viewport ?? DEFAULT_VIEWPORT;
    await raw.setViewport({ width: vp.width, height: vp.height, deviceScaleFactor: this._opts.deviceScaleFactor ?? 1 });
    page._viewport = { width: vp.width, height: vp.height };
    // colorScheme 'light' and reducedMotion 'no-preference' are headless Firefox's own;
    // 'dark' and 'reduce' got a browser launched with them (FirefoxBrowser.newContext).
    this._pages.push(page);
    return page;
  }
  pages() { return this._pages.filter((p) => !p._closed); }
  async addInitScript(fn, arg) {
    const src = typeof fn === 'function' ? `(${fn})(${arg === undefined ? '' : JSON.stringify(arg)})` : (fn.content ?? fn);
    const guarded = `try { ${src} } catch (e) { console.error(e); }`;
    this._init.push(guarded);
    for (const page of this.pages()) await page._raw.evaluateOnNewDocument(guarded);
  }
  /** Routes go through puppeteer's request interception (BiDi network.addIntercept):
   *  the page's own requests, not a service worker's (block those with serviceWorkers). */
  async route(pattern, handler, opts) {
    this._routes.add(pattern, handler, opts);
    for (const page of this.pages()) await page._intercept();
  }
  async unroute(pattern, handler) { this._routes.remove(pattern, handler); }
  /** Offline is emulated by the test server (tests/e2e/harness.mjs): while set, it drops
   *  every connection, as a network that is gone would (the pages' and service workers'). */
  async setOffline(offline) { globalThis.__chatdeckOffline = offline ? this : null; }
  async grantPermissions() { throw new Unsupported(ENGINE, 'grant permissions (clipboard)'); }
  async newCDPSession() { throw new Unsupported(ENGINE, 'open a Chrome DevTools Protocol session'); }
  async close() {
    this._browser._contexts.delete(this);
    if (globalThis.__chatdeckOffline === this) globalThis.__chatdeckOffline = null;
    if (this._ownBrowser) {
      await this._ownBrowser.close().catch(() => {});
      return;
    }
    try { await this._context.close(); } catch { /* already gone */ }
  }
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** In the page, before a real click on `node`: waits until its box is the same for two
 *  frames, checks that the element at the box's centre is `node` (or inside it, or a label
 *  of it), and arms the guard for that click. Returns the point to click, or {miss} to say
 *  why not yet. */
const ARM_CLICK = async (node) => {
  node.scrollIntoView({ block: 'center', inline: 'center' });
  let last = '';
  for (let i = 0; i < 60; i += 1) {
    await new Promise((r) => requestAnimationFrame(r));
    const b = node.getBoundingClientRect();
    const now = `${b.x},${b.y},${b.width},${b.height}`;
    if (now === last) break;
    last = now;
  }
  const b = node.getBoundingClientRect();
  const x = b.x + b.width / 2;
  const y = b.y + b.height / 2;
  const ours = (t) => Boolean(t) && (node === t || node.contains(t) || t.closest?.('label')?.control === node);
  const hit = document.elementFromPoint(x, y);
  if (!ours(hit)) return { miss: `covered by ${hit?.localName}` };
  // The guard: the first trusted pointer or mouse event of the click decides. If it went to
  // another element (the layout moved after the check above), that event and the rest of
  // the click are stopped before the app's handlers, so the click can be sent again. The
  // layout can also move between the press and the release: the click event then goes to
  // an element both share, the app's button never gets it, and it is stopped and sent
  // again too (the button saw only a press and a release, which do nothing here).
  if (!window.__pwClickGuardOn) {
    window.__pwClickGuardOn = true;
    for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click', 'dblclick', 'auxclick']) {
      addEventListener(type, (e) => {
        const g = window.__pwClickGuard;
        if (!g || !e.isTrusted) return;
        if (g.verdict === undefined) g.verdict = g.ours(e.target) ? 'ok' : `landed on ${e.target?.localName}`;
        else if (g.verdict === 'ok' && (e.type === 'click' || e.type === 'dblclick') && !g.ours(e.target)) g.verdict = `${e.type} went to ${e.target?.localName}`;
        if (g.verdict !== 'ok') { e.preventDefault(); e.stopImmediatePropagation(); }
      }, true);
    }
  }
  window.__pwClickGuard = { ours, verdict: undefined };
  return { x, y };
};

/** In the page, after the click: what the guard saw ('ok' when the element got it, 'none'
 *  when no event came), and the guard disarmed. The mouse events may arrive a little after
 *  the protocol's answer, so it waits for them a while. */
const READ_CLICK = async () => {
  const g = window.__pwClickGuard;
  for (let i = 0; g && g.verdict === undefined && i < 30; i += 1) await new Promise((r) => setTimeout(r, 20));
  if (window.__pwClickGuard === g) window.__pwClickGuard = null;
  return g?.verdict ?? 'none';
};

/** A click with the mouse on the element `steps` select in `self` (a page or a frame), as
 *  Playwright does: the click is sent only once the element has stopped moving, to a point
 *  where the element itself is on top, and it counts only if the element gets it. */
async function realClick(self, steps, opts) {
  // As Playwright does: the click is sent only once the element has stopped moving, to a
  // point where the element itself is on top, and it counts only if the element gets it.
  // A box that was stable for two frames can still move before the mouse events arrive
  // (a few protocol round trips later): the page goes on laying out when its data arrives.
  // Seen: "Export JSON" moved 27 px up 44 ms after the check, the click landed on the
  // message below it, the app never made the file, and the test waited for a download in
  // vain. A click the page delivers to another element is stopped before the app's
  // handlers see it (the guard in ARM_CLICK) and sent again.
  const deadline = Date.now() + (opts.timeout ?? DEFAULT_TIMEOUT);
  for (let delay = 20; ; delay = Math.min(delay * 2, 200)) {
    const handle = await self._raw.evaluateHandle(`(${RESOLVE})(${JSON.stringify(steps)})[0]`);
    const el = handle.asElement();
    let outcome;
    try {
      let point;
      try {
        if (!el) throw new Error('no element');
        point = await el.evaluate(ARM_CLICK);
      } catch {
        // No element handle, or it went away: the page-side click.
        await self._operate(steps, 'click', null, { wait: true, visible: true, timeout: opts.timeout });
        return;
      }
      if (point.miss) {
        outcome = point.miss;
      } else {
        const offset = await self._offset();
        await self._mouseRaw().click(point.x + offset.x, point.y + offset.y, { count: opts.clickCount ?? 1 });
        // A click that loaded another document took the guard with it: it was delivered.
        outcome = await el.evaluate(READ_CLICK).catch(() => 'none');
      }
    } finally {
      await handle.dispose().catch(() => {});
    }
    // No event at all (a disabled button gets none): nothing to say it went elsewhere, and
    // a second click could be a double one, so it is left at that, as before the guard.
    if (outcome === 'ok') return;
    if (outcome === 'none') {
      // In a frame, no event at all may also mean that the point was off (a wrong offset
      // of the frame): the page-side click then, which a disabled button ignores as well.
      if (self instanceof FirefoxFrame) await self._operate(steps, 'click', null, { wait: true, visible: true, timeout: opts.timeout });
      return;
    }
    if (Date.now() > deadline) {
      // Never on top: as before the guard, the page-side click (which ignores overlap).
      await self._operate(steps, 'click', null, { wait: true, visible: true, timeout: 1000 });
      return;
    }
    await sleep(delay);
  }
}

class FirefoxPage extends BasePage {
  constructor(raw, context) {
    super(ENGINE);
    this._raw = raw;
    this._context = context;
    this._nativeEvents = true;
    raw.on('pageerror', (e) => this._emit('pageerror', e));
    raw.on('console', (m) => this._emit('console', { type: () => m.type(), text: () => m.text(), args: () => [], location: () => m.location?.() ?? {} }));
  }
  context() { return this._context; }
  async _intercept() {
    if (this._intercepting) return;
    this._intercepting = true;
    await this._raw.setRequestInterception(true);
    this._raw.on('request', async (req) => {
      const url = req.url();
      const route = /^(data|blob|about):/.test(url) ? null : this._context._routes.take(url);
      try {
        if (!route) { await req.continue(); return; }
        const handled = new Route(requestOf({ url, method: req.method(), headers: req.headers() }), {
          fulfill: ({ status, headers, body }) => req.respond({ status, headers, body }),
          abort: (code) => req.abort(code === 'internetdisconnected' || code === 'failed' ? code : 'failed'),
          continue: () => req.continue(),
        });
        await route.handler(handled, handled.request());
      } catch (e) {
        if (!/already handled|not intercepted|closed|Target|No such|Protocol error/i.test(String(e))) console.error(`firefox route for ${url}:`, e);
      }
    });
  }
  async _emulate(features) {
    try {
      await this._raw.emulateMediaFeatures(features);
    } catch (e) {
      throw new Unsupported(ENGINE, `emulate media features (${e.message})`);
    }
  }
  async emulateMedia(opts = {}) {
    const features = [];
    if (opts.colorScheme !== undefined) features.push({ name: 'prefers-color-scheme', value: opts.colorScheme ?? '' });
    if (opts.reducedMotion !== undefined) features.push({ name: 'prefers-reduced-motion', value: opts.reducedMotion ?? '' });
    if (features.length) await this._emulate(features);
  }
  async _evalRaw(expression) { return this._raw.evaluate(expression); }
  async _evalScript(source) { await this._raw.evaluate(source); return undefined; }
  _click(steps, opts) { return realClick(this, steps, opts); }
  /** How far this document's viewport is from the page's: not at all for the page itself. */
  async _offset() { return { x: 0, y: 0 }; }
  _mouseRaw() { return this._raw.mouse; }
  async _mouseClick(x, y, opts = {}) {
    await this._raw.mouse.click(x, y, { button: opts.button ?? 'left', count: opts.clickCount ?? 1, delay: opts.delay });
  }
  /** Puppeteer's frames, each wrapped once (the tests compare frames by identity). */
  frames() { return this._raw.frames().map((f) => this._frame(f)); }
  mainFrame() { return this._frame(this._raw.mainFrame()); }
  _frame(raw) {
    this._frames ??= new WeakMap();
    if (!this._frames.has(raw)) this._frames.set(raw, new FirefoxFrame(this, raw));
    return this._frames.get(raw);
  }
  _keyDown(key) { return this._raw.keyboard.down(key); }
  _keyUp(key) { return this._raw.keyboard.up(key); }
  _typeText(text) { return this._raw.keyboard.type(text); }
  async goto(url, opts = {}) {
    const before = this._raw.url();
    const sameDocument = before.split('#')[0] === url.split('#')[0] && url.includes('#');
    if (sameDocument) {
      // A hash change: no load event to wait for.
      await this._raw.evaluate((u) => { location.href = u; }, url);
      await this.waitForURL((u) => u.href === url, opts);
      return null;
    }
    return this._raw.goto(url, { waitUntil: 'load', timeout: opts.timeout ?? 30_000 });
  }
  reload(opts = {}) { return this._raw.reload({ waitUntil: 'load', timeout: opts.timeout ?? 30_000 }); }
  async url() { return this._raw.url(); }
  async title() { return this._raw.title(); }
  async content() { return this._raw.content(); }
  async setViewportSize({ width, height }) {
    await this._raw.setViewport({ width, height, deviceScaleFactor: this._context._opts.deviceScaleFactor ?? 1 });
    this._viewport = { width, height };
  }
  viewportSize() { return this._viewport; }
  async close() { this._closed = true; await this._raw.close(); }
  isClosed() { return Boolean(this._closed); }
}

/** A frame of a Firefox page (puppeteer's Frame). A real mouse click needs the frame's
 *  place in the page: the frame's window gives it (mozInnerScreenX/Y, its viewport's place
 *  on the screen, minus the top window's), since the frame element itself may be out of
 *  the page's reach (the embed's frame is in a closed shadow root). */
class FirefoxFrame extends BaseFrame {
  constructor(page, raw) {
    super(ENGINE, page);
    this._raw = raw;
  }
  url() { return this._raw.url(); }
  name() { return this._raw.name?.() ?? ''; }
  parentFrame() { const p = this._raw.parentFrame(); return p ? this._page._frame(p) : null; }
  async _evalRaw(expression) { return this._raw.evaluate(expression); }
  async _evalScript(source) { await this._raw.evaluate(source); return undefined; }
  _click(steps, opts) { return realClick(this, steps, opts); }
  _mouseRaw() { return this._page._raw.mouse; }
  async _offset() {
    const at = () => ({ x: window.mozInnerScreenX, y: window.mozInnerScreenY });
    const [mine, top] = await Promise.all([this._raw.evaluate(at), this._page._raw.mainFrame().evaluate(at)]);
    return { x: mine.x - top.x, y: mine.y - top.y };
  }
}
