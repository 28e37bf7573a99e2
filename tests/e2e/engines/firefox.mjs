// Firefox ESR, headless, driven by puppeteer-core over WebDriver BiDi (no geckodriver).
// A Playwright BrowserContext is a BiDi user context: its own storage, caches and
// service workers.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BasePage, INIT, BLOCK_SW, RESOLVE, Routes, Route, requestOf, Unsupported } from './common.mjs';

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
  async _click(steps, opts) {
    const handle = await this._raw.evaluateHandle(`(${RESOLVE})(${JSON.stringify(steps)})[0]`);
    const el = handle.asElement();
    try {
      if (!el) throw new Error('no element');
      // As Playwright does: a real click only once the element has stopped moving (two
      // frames with the same box), so that a layout still settling under load does not
      // send the click somewhere else.
      await el.evaluate(async (node) => {
        node.scrollIntoView({ block: 'center', inline: 'center' });
        let last = '';
        for (let i = 0; i < 60; i += 1) {
          await new Promise((r) => requestAnimationFrame(r));
          const b = node.getBoundingClientRect();
          const now = `${b.x},${b.y},${b.width},${b.height}`;
          if (now === last) return;
          last = now;
        }
      });
      await el.click({ count: opts.clickCount ?? 1 });
    } catch {
      await this._operate(steps, 'click', null, { wait: true, visible: true, timeout: opts.timeout });
    } finally {
      await handle.dispose().catch(() => {});
    }
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
