// WebKit: WebKitGTK's MiniBrowser driven by WebKitWebDriver over W3C WebDriver (plain HTTP,
// no client library). MiniBrowser has no headless mode: run under `xvfb-run -a`.
// A Playwright BrowserContext is one WebDriver session (a MiniBrowser with an ephemeral
// profile, about 0.5 s to start); its pages are the session's windows. Classic WebDriver
// has no preload scripts: the harness's server puts a same-origin <script> first in every
// HTML page it serves and answers it with the init scripts of the context in use.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { BasePage, BaseFrame, INIT, BLOCK_SW, RESOLVE, Routes, Route, requestOf, Unsupported } from './common.mjs';

const ENGINE = 'webkit';
const DEFAULT_VIEWPORT = { width: 1280, height: 720 };
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
const MINIBROWSER = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const DRIVER = process.env.WEBKIT_WEBDRIVER ?? '/usr/bin/WebKitWebDriver';

/** The context whose init scripts the harness serves (the one that acted last). */
let active = null;
globalThis.__chatdeckInitScript = () => {
  const scripts = active ? active._init : [`(${INIT})()`];
  return scripts.join(';\n');
};

/** WebKitWebDriver cannot intercept requests: the harness's server asks here first, and
 *  the routes of the context in use answer requests to the test sites (this covers the
 *  page's requests and its service worker's; requests to other sites cannot be routed). */
globalThis.__chatdeckServerRoute = async (url, req, res) => {
  const route = active?._routes.take(url);
  if (!route) return false;
  let handled = false;
  const r = new Route(requestOf({ url, method: req.method, headers: req.headers }), {
    fulfill: ({ status, headers, body }) => {
      handled = true;
      res.writeHead(status, { 'content-length': String(body.length), ...headers });
      res.end(body);
    },
    abort: () => { handled = true; res.socket.destroy(); },
    continue: () => { handled = false; },
  });
  await route.handler(r, r.request());
  return handled;
};

/** Init script: page.frames() asks the page for its frame elements, and an iframe in a
 *  closed shadow root (the embed's) is out of a script's reach: shadow roots are kept as
 *  they are attached, by their host, for __pwFrames (all iframes, shadow trees included,
 *  in tree order). WebDriver switches to a frame by its element only: its frames by
 *  number (window.length) leave out the frames of shadow trees. */
const FRAMES = String(function pwFrames() {
  if (window.__pwFrames) return;
  const closed = new WeakMap();
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    closed.set(this, root);
    return root;
  };
  window.__pwFrames = () => {
    const out = [];
    const walk = (root) => {
      for (const e of root.querySelectorAll('*')) {
        if (e.localName === 'iframe' || e.localName === 'frame') out.push(e);
        const shadow = e.shadowRoot ?? closed.get(e);
        if (shadow) walk(shadow);
      }
    };
    walk(document);
    return out;
  };
});

const KEYS = {
  Enter: '\uE007', Shift: '\uE008', Control: '\uE009', Alt: '\uE00A', Meta: '\uE03D', Tab: '\uE004',
  Escape: '\uE00C', Backspace: '\uE003', Delete: '\uE017', ArrowUp: '\uE013', ArrowDown: '\uE015',
  ArrowLeft: '\uE012', ArrowRight: '\uE014', Home: '\uE011', End: '\uE010', PageUp: '\uE00E', PageDown: '\uE00F',
  Space: ' ', ' ': ' ',
};
const keyValue = (key) => KEYS[key] ?? key;
const typeActions = (text) => [...text].flatMap((ch) => {
  const value = ch === '\n' ? KEYS.Enter : ch;
  return [{ type: 'keyDown', value }, { type: 'keyUp', value }];
});

async function freePort() {
  const server = createServer();
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

class WebDriverError extends Error {
  constructor(value) { super(`${value.error}: ${value.message}`); this.code = value.error; }
}

export async function launch() {
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    throw new Error('ENGINE=webkit needs a display: run under `xvfb-run -a` (tools/e2e.mjs does)');
  }
  return new WebKitBrowser();
}

/** Every driver still running is stopped when this process exits. */
const drivers = new Set();
process.on('exit', () => { for (const d of drivers) d.kill(); });

/** WebKitWebDriver serves one session at a time: one driver process per context. */
async function startDriver() {
  const port = await freePort();
  // No pipes shared with this process: a driver outliving it must not hold a caller's output open.
  const driver = spawn(DRIVER, [`--port=${port}`, '--host=127.0.0.1'], { stdio: 'ignore' });
  drivers.add(driver);
  driver.on('exit', () => drivers.delete(driver));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`${base}/status`);
      if (r.ok) break;
    } catch { /* not listening yet */ }
    if (i > 200) { driver.kill(); throw new Error('WebKitWebDriver did not start'); }
    await new Promise((ok) => setTimeout(ok, 25));
  }
  return { base, driver };
}

async function command(base, method, path, body, timeout) {
  const r = await fetch(base + path, {
    signal: timeout ? AbortSignal.timeout(timeout) : undefined,
    method, headers: { 'content-type': 'application/json; charset=utf-8' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await r.json();
  if (json.value && json.value.error) throw new WebDriverError(json.value);
  return json.value;
}

class WebKitBrowser {
  constructor() { this._contexts = new Set(); }
  async newContext(opts = {}) {
    globalThis.__chatdeckOffline = null; // a new context is online (a failed test may have left one offline)
    if (opts.reducedMotion && opts.reducedMotion !== 'no-preference') throw new Unsupported(ENGINE, 'emulate prefers-reduced-motion');
    const args = ['--automation'];
    if (opts.colorScheme === 'dark') args.push('--dark-mode');
    // A MiniBrowser that fails to start (it happens: "cannot open display") leaves the
    // session request hanging: give it 20 s, then start over with a new driver.
    let base, driver, session;
    for (let attempt = 1; ; attempt++) {
      ({ base, driver } = await startDriver());
      try {
        session = await command(base, 'POST', '/session', { capabilities: { alwaysMatch: {
          browserName: 'MiniBrowser',
          'webkitgtk:browserOptions': { binary: MINIBROWSER, args },
        } } }, 15_000);
        break;
      } catch (e) {
        driver.kill();
        if (attempt === 3) throw e;
      }
    }
    const context = new WebKitContext(this, base, driver, session.sessionId, opts);
    this._contexts.add(context);
    return context;
  }
  async newPage() { return (await this.newContext()).newPage(); }
  contexts() { return [...this._contexts]; }
  async close() {
    for (const c of [...this._contexts]) await c.close();
  }
}

class WebKitContext {
  constructor(browser, base, driver, id, opts) {
    this._browser = browser;
    this._base = base;
    this._driver = driver;
    this._id = id;
    this._opts = opts;
    this._init = [`(${INIT})()`, `(${FRAMES})()`];
    if (opts.serviceWorkers === 'block') this._init.push(`(${BLOCK_SW})()`);
    this._pages = [];
    this._routes = new Routes();
    this._current = null; // the window WebDriver commands go to
    this._firstWindowFree = true;
    active = this;
  }
  /** WebDriver commands run one at a time: a script evaluated while a navigation is under
   *  way (say, a waitForResponse poll during goto) hangs WebKitWebDriver otherwise. */
  _serial(task) {
    const run = (this._queue ?? Promise.resolve()).then(task, task);
    this._queue = run.catch(() => {});
    return run;
  }
  _cmd(method, path, body) { return this._serial(() => this._raw(method, path, body)); }
  _raw(method, path, body) { return command(this._base, method, `/session/${this._id}${path}`, body); }
  async newPage() {
    let handle;
    if (this._firstWindowFree) {
      this._firstWindowFree = false;
      handle = await this._cmd('GET', '/window');
    } else {
      handle = (await this._cmd('POST', '/window/new', { type: 'tab' })).handle;
    }
    const page = new WebKitPage(this, handle);
    this._pages.push(page);
    await page._focus();
    const vp = this._opts.viewport ?? DEFAULT_VIEWPORT;
    await page.setViewportSize(vp);
    return page;
  }
  pages() { return this._pages.filter((p) => !p._closed); }
  async addInitScript(fn, arg) {
    const src = typeof fn === 'function' ? `(${fn})(${arg === undefined ? '' : JSON.stringify(arg)})` : (fn.content ?? fn);
    this._init.push(`try { ${src} } catch (e) { console.error(e); }`);
  }
  async route(pattern, handler, opts) {
    if (typeof pattern === 'string' && /^https?:\/\//.test(pattern) && !/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(pattern)) {
      // Not honoured: a test that needs it is guarded by needs(t, 'foreignRoute').
      console.warn(`webkit: context.route(${pattern}) cannot be honoured: only the test sites' requests can be routed`);
    }
    this._routes.add(pattern, handler, opts);
    active = this;
  }
  async unroute(pattern, handler) { this._routes.remove(pattern, handler); }
  /** Offline is emulated by the test server (tests/e2e/harness.mjs): while set, it drops
   *  every connection, as a network that is gone would (the pages' and service workers'). */
  async setOffline(offline) { globalThis.__chatdeckOffline = offline ? this : null; }
  async grantPermissions() { throw new Unsupported(ENGINE, 'grant permissions (clipboard)'); }
  async newCDPSession() { throw new Unsupported(ENGINE, 'open a Chrome DevTools Protocol session'); }
  async close() {
    if (this._closed) return;
    this._closed = true;
    this._browser._contexts.delete(this);
    if (active === this) active = null;
    if (globalThis.__chatdeckOffline === this) globalThis.__chatdeckOffline = null;
    try { await this._cmd('DELETE', ''); } catch { /* already gone */ }
    this._driver.kill();
  }
}

/** WebDriver's click on the element `steps` select in `self` (a page or a frame: its _cmd
 *  runs in its document). */
async function clickElement(self, steps, opts) {
  try {
    const el = await self._cmd('POST', '/execute/sync', {
      script: `const el = (${RESOLVE})(arguments[0])[0]; if (el) el.scrollIntoView({ block: 'center', inline: 'center' }); return el ?? null;`,
      args: [steps],
    });
    if (!el) throw new Error('no element');
    await self._cmd('POST', `/element/${el[ELEMENT]}/click`, {});
  } catch {
    // Not there yet, replaced as it was found (the app replacing the boot screen's
    // links: "stale element reference"), covered, or not interactable by WebDriver's
    // rules: wait for it and click it as a script would.
    await self._operate(steps, 'click', null, { wait: true, visible: true, timeout: opts.timeout });
  }
}

class WebKitPage extends BasePage {
  constructor(context, handle) {
    super(ENGINE);
    this._context = context;
    this._handle = handle;
    this._nativeEvents = false;
  }
  context() { return this._context; }
  /** Makes this page's window the one commands go to (inside the context's queue). */
  async _switch() {
    active = this._context;
    if (this._context._current !== this._handle) {
      await this._context._raw('POST', '/window', { handle: this._handle });
      this._context._current = this._handle;
    }
  }
  _focus() { return this._context._serial(() => this._switch()); }
  _cmd(method, path, body) {
    return this._context._serial(async () => {
      await this._switch();
      return this._context._raw(method, path, body);
    });
  }
  /** A click at a point of the viewport, with the Actions API's mouse. */
  async _mouseClick(x, y, opts = {}) {
    const button = { left: 0, middle: 1, right: 2 }[opts.button ?? 'left'];
    const actions = [{ type: 'pointerMove', x: Math.round(x), y: Math.round(y), origin: 'viewport' }];
    for (let i = 0; i < (opts.clickCount ?? 1); i++) actions.push({ type: 'pointerDown', button }, { type: 'pointerUp', button });
    await this._cmd('POST', '/actions', { actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions }] });
  }
  /** Playwright's frames() is synchronous, WebDriver is not: this returns the frames known
   *  from the last look and starts another look (the tests poll frames() until the frame
   *  they wait for is there). Only the top document's frames (shadow trees included), not
   *  the frames of frames. */
  frames() {
    this._lookForFrames();
    return [this.mainFrame(), ...(this._childFrames ?? [])];
  }
  mainFrame() {
    this._main ??= new WebKitFrame(this, null);
    return this._main;
  }
  _lookForFrames() {
    if (this._looking || this._closed) return;
    const raw = (method, path, body) => this._context._raw(method, path, body);
    this._looking = this._context._serial(async () => {
      await this._switch();
      const [top, refs] = await raw('POST', '/execute/sync', { script: 'return [location.href, window.__pwFrames ? window.__pwFrames() : []];', args: [] });
      this.mainFrame()._url = top;
      const found = [];
      for (const ref of refs) {
        // The same frame element, the same Frame (the tests compare frames by identity).
        const frame = (this._childFrames ?? []).find((f) => f._ref[ELEMENT] === ref[ELEMENT]) ?? new WebKitFrame(this, ref);
        try {
          await raw('POST', '/frame', { id: ref });
          frame._url = await raw('POST', '/execute/sync', { script: 'return location.href;', args: [] });
          found.push(frame);
        } catch { /* gone, or not loaded far enough to run a script: the next look */ } finally {
          await raw('POST', '/frame/parent', {}).catch(() => {});
        }
      }
      this._childFrames = found;
    }).catch(() => {}).finally(() => { this._looking = null; });
  }
  async _keys(actions) {
    await this._cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
  }
  _keyDown(key) { return this._keys([{ type: 'keyDown', value: keyValue(key) }]); }
  _keyUp(key) { return this._keys([{ type: 'keyUp', value: keyValue(key) }]); }
  async _typeText(text) {
    await this._keys(typeActions(text));
  }
  async goto(url) {
    await this._cmd('POST', '/url', { url });
    return null;
  }
  async reload() { await this._cmd('POST', '/refresh', {}); return null; }
  async url() { return this._cmd('GET', '/url'); }
  async title() { return this._cmd('GET', '/title'); }
  async setViewportSize({ width, height }) {
    // Window size = viewport + MiniBrowser's toolbar; measured, then corrected once.
    let rect = { width, height: height + 80 };
    for (let i = 0; i < 3; i++) {
      await this._cmd('POST', '/window/rect', rect);
      const [w, h] = await this._eval('[innerWidth, innerHeight]');
      if (w === width && h === height) break;
      if (w > width && rect.width <= width + 200 && i > 0) {
        // MiniBrowser's window has a minimum width (its toolbar): the page gets that.
        // Tests that need a narrower one are guarded by needs(t, 'narrowViewport').
        console.warn(`webkit: a ${width} px wide viewport is not possible; the page is ${w} px wide`);
        this._viewport = { width: w, height: h };
        return;
      }
      rect = { width: rect.width + (width - w), height: rect.height + (height - h) };
    }
    this._viewport = { width, height };
  }
  viewportSize() { return this._viewport; }
  async close() {
    if (this._closed) return;
    this._closed = true;
    if (this._context.pages().length === 0) return this._context.close();
    await this._cmd('DELETE', '/window');
    this._context._current = null;
  }
  isClosed() { return Boolean(this._closed); }
}

/** A frame of a WebKit page: each command switches to the frame (by its element: see
 *  FRAMES), runs, and switches back to the top document, inside the context's queue, so
 *  the page's own commands never run in the frame. The main frame (no element) is the
 *  page's top document. */
class WebKitFrame extends BaseFrame {
  constructor(page, ref) {
    super(ENGINE, page);
    this._ref = ref;
    this._url = 'about:blank';
  }
  /** As of the page's last look for frames (WebKitPage.frames). */
  url() { return this._url; }
  parentFrame() { return this._ref ? this._page.mainFrame() : null; }
  _cmd(method, path, body) {
    const context = this._page._context;
    return context._serial(async () => {
      await this._page._switch();
      if (!this._ref) return context._raw(method, path, body);
      await context._raw('POST', '/frame', { id: this._ref });
      try {
        return await context._raw(method, path, body);
      } finally {
        await context._raw('POST', '/frame/parent', {}).catch(() => {});
      }
    });
  }
  // Keys through the frame: switching to a frame and back (as every command for a frame
  // does) leaves WebKit's focused frame the top one, and keys sent from there stop at the
  // frame element instead of reaching the element focused inside the frame.
  _keys(actions) { return this._cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] }); }
  _keyDown(key) { return this._keys([{ type: 'keyDown', value: keyValue(key) }]); }
  _keyUp(key) { return this._keys([{ type: 'keyUp', value: keyValue(key) }]); }
  _typeText(text) { return this._keys(typeActions(text)); }
}

/** What a page and a frame do alike once their `_cmd` sends a command to the right
 *  document (a frame's switches into it first). */
const SHARED_COMMANDS = {
  async _evalRaw(expression) {
    return this._cmd('POST', '/execute/sync', { script: `return ${expression};`, args: [] });
  },
  async _evalScript(source) {
    await this._cmd('POST', '/execute/sync', { script: source, args: [] });
    return undefined;
  },
  _click(steps, opts) { return clickElement(this, steps, opts); },
};
Object.assign(WebKitPage.prototype, SHARED_COMMANDS);
Object.assign(WebKitFrame.prototype, SHARED_COMMANDS);
