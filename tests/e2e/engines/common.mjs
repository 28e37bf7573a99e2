// The engine-neutral half of the adapter that lets the playwright-style tests drive
// Firefox (puppeteer-core over WebDriver BiDi) and WebKit (WebKitWebDriver, W3C WebDriver):
// locators are resolved inside the page by one injected function (RESOLVE: CSS, ARIA role
// and accessible name, text, nth, filter), and every action waits for its element by polling,
// as Playwright's auto-wait does. A backend page supplies a handful of primitives (see
// BasePage); anything an engine cannot do under automation throws Unsupported, and the test
// that needs it is skipped by name through the harness's `needs(t, ...)`.
import { Readable } from 'node:stream';
import { writeFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export class Unsupported extends Error {
  constructor(engine, what) {
    super(`${engine} cannot ${what} under automation; guard the test with needs(t, ...) (tests/e2e/harness.mjs)`);
    this.name = 'Unsupported';
  }
}

export const DEFAULT_TIMEOUT = 30_000;
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** A string or RegExp as JSON for the page. */
const matcher = (m) => (m instanceof RegExp ? { re: m.source, flags: m.flags } : { s: String(m) });

/** In the page: the elements `steps` select, in document order. */
export const RESOLVE = String(function resolve(steps) {
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const test = (text, m, exact) => {
    if (m.re !== undefined) return new RegExp(m.re, m.flags).test(text);
    return exact ? text === norm(m.s) : text.toLowerCase().includes(norm(m.s).toLowerCase());
  };
  const ariaHidden = (el) => {
    for (let e = el; e; e = e.parentElement) {
      if (e.getAttribute('aria-hidden') === 'true' || e.hidden) return true;
      if (getComputedStyle(e).display === 'none') return true;
    }
    return getComputedStyle(el).visibility === 'hidden';
  };
  const implicitRole = (el) => {
    const t = el.localName;
    const named = () => el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby');
    switch (t) {
      case 'a': case 'area': return el.hasAttribute('href') ? 'link' : null;
      case 'button': return 'button';
      case 'input': {
        const ty = (el.getAttribute('type') || 'text').toLowerCase();
        if (['button', 'submit', 'reset', 'image'].includes(ty)) return 'button';
        if (ty === 'checkbox') return 'checkbox';
        if (ty === 'radio') return 'radio';
        if (ty === 'range') return 'slider';
        if (ty === 'number') return 'spinbutton';
        if (ty === 'file' || ty === 'hidden') return null;
        if (ty === 'search') return el.list ? 'combobox' : 'searchbox';
        return el.list ? 'combobox' : 'textbox';
      }
      case 'textarea': return 'textbox';
      case 'select': return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
      case 'option': return 'option';
      case 'nav': return 'navigation';
      case 'main': return 'main';
      case 'aside': return 'complementary';
      case 'header': return el.closest('article,aside,main,nav,section') ? null : 'banner';
      case 'footer': return el.closest('article,aside,main,nav,section') ? null : 'contentinfo';
      case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6': return 'heading';
      case 'ul': case 'ol': case 'menu': return 'list';
      case 'li': return 'listitem';
      case 'dialog': return 'dialog';
      case 'img': return el.getAttribute('alt') === '' ? 'presentation' : 'img';
      case 'form': return named() ? 'form' : null;
      case 'section': return named() ? 'region' : null;
      case 'article': return 'article';
      case 'table': return 'table';
      case 'progress': return 'progressbar';
      case 'output': return 'status';
      case 'fieldset': case 'details': return 'group';
      case 'hr': return 'separator';
      case 'p': return 'paragraph';
      default: return null;
    }
  };
  const roleOf = (el) => {
    const explicit = (el.getAttribute('role') || '').trim().split(/\s+/)[0];
    return explicit || implicitRole(el);
  };
  const FROM_CONTENT = new Set(['button', 'link', 'heading', 'option', 'radio', 'checkbox', 'tab', 'menuitem',
    'menuitemradio', 'menuitemcheckbox', 'cell', 'columnheader', 'rowheader', 'tooltip', 'treeitem', 'switch', 'row']);
  const textOf = (node) => {
    let out = '';
    for (const c of node.childNodes) {
      if (c.nodeType === 3) out += c.data;
      else if (c.nodeType === 1) {
        if (c.getAttribute('aria-hidden') === 'true' || getComputedStyle(c).display === 'none') continue;
        if (['script', 'style', 'template'].includes(c.localName)) continue;
        const label = c.getAttribute('aria-label');
        if (label && label.trim()) out += ` ${label} `;
        else if (c.localName === 'img') out += ` ${c.getAttribute('alt') || ''} `;
        else {
          const inline = getComputedStyle(c).display.startsWith('inline');
          out += inline ? textOf(c) : ` ${textOf(c)} `;
        }
      }
    }
    return out;
  };
  const nameOf = (el) => {
    const by = el.getAttribute('aria-labelledby');
    if (by) {
      const text = by.split(/\s+/).map((id) => { const e = document.getElementById(id); return e ? textOf(e) : ''; }).join(' ');
      if (norm(text)) return norm(text);
    }
    const label = el.getAttribute('aria-label');
    if (label && label.trim()) return norm(label);
    if (el.labels && el.labels.length) return norm([...el.labels].map(textOf).join(' '));
    if (el.localName === 'img') return norm(el.getAttribute('alt'));
    if (el.localName === 'input' && ['button', 'submit', 'reset'].includes(el.type)) return norm(el.value);
    if (FROM_CONTENT.has(roleOf(el))) {
      const text = norm(textOf(el));
      if (text) return text;
    }
    return norm(el.getAttribute('title') || el.getAttribute('placeholder') || '');
  };
  const ownText = (el) => norm(el.textContent);
  const below = (roots) => {
    const seen = new Set();
    for (const r of roots) for (const e of r.querySelectorAll('*')) seen.add(e);
    return [...seen];
  };
  const ordered = (els) => [...new Set(els)].sort((a, b) => (a === b ? 0 : a.compareDocumentPosition(b) & 2 ? 1 : -1));
  let set = [document];
  for (const step of steps) {
    if (step.css) {
      set = ordered(set.flatMap((r) => [...r.querySelectorAll(step.css)]));
      if (step.hasText) set = set.filter((e) => test(ownText(e), step.hasText, false));
    } else if (step.role) {
      set = below(set).filter((e) => {
        if (roleOf(e) !== step.role || ariaHidden(e)) return false;
        if (step.level !== undefined) {
          const level = Number(e.getAttribute('aria-level') || (/^h[1-6]$/.test(e.localName) ? e.localName[1] : 0));
          if (level !== step.level) return false;
        }
        if (step.checked !== undefined) {
          const checked = e.getAttribute('aria-checked') === 'true' || e.checked === true;
          if (checked !== step.checked) return false;
        }
        if (step.selected !== undefined && (e.getAttribute('aria-selected') === 'true') !== step.selected) return false;
        if (step.pressed !== undefined && (e.getAttribute('aria-pressed') === 'true') !== step.pressed) return false;
        if (step.disabled !== undefined && (e.disabled === true || e.getAttribute('aria-disabled') === 'true') !== step.disabled) return false;
        return step.name === undefined || test(nameOf(e), step.name, step.exact);
      });
    } else if (step.label) {
      // Playwright's getByLabel: form controls by <label>, aria-labelledby or aria-label
      // (hidden ones included: a file input is often hidden behind its label).
      set = below(set).filter((e) => {
        const texts = [];
        const by = e.getAttribute('aria-labelledby');
        if (by) texts.push(by.split(/\s+/).map((id) => { const x = document.getElementById(id); return x ? x.textContent : ''; }).join(' '));
        if (e.hasAttribute('aria-label')) texts.push(e.getAttribute('aria-label'));
        if (e.labels) for (const l of e.labels) texts.push(l.textContent);
        return texts.some((t) => test(norm(t), step.label, step.exact));
      });
    } else if (step.text) {
      const skip = new Set(['script', 'style', 'head', 'title', 'noscript', 'template', 'html']);
      const hits = below(set).filter((e) => !skip.has(e.localName) && test(ownText(e), step.text, step.exact));
      const hitSet = new Set(hits);
      // The innermost elements whose text matches, as Playwright's text engine picks.
      set = hits.filter((e) => ![...e.children].some((c) => hitSet.has(c)));
    } else if (step.nth !== undefined) {
      const el = step.nth < 0 ? set[set.length + step.nth] : set[step.nth];
      set = el ? [el] : [];
    } else if (step.filter) {
      if (step.filter.hasText) set = set.filter((e) => test(ownText(e), step.filter.hasText, false));
      if (step.filter.hasNotText) set = set.filter((e) => !test(ownText(e), step.filter.hasNotText, false));
      if (step.filter.visible !== undefined) {
        set = set.filter((e) => {
          const r = e.getBoundingClientRect();
          return (r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden') === step.filter.visible;
        });
      }
    }
  }
  return set.filter((e) => e !== document);
});

/** In the page: one operation on the elements `steps` select; `{retry: true}` while the
 *  element it needs is not there (or not visible) yet. */
export const OPERATE = String(function operate(steps, op, arg, needVisible) {
  const els = RESOLVE_FN(steps);
  const visible = (e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
  };
  if (op === 'count') return { value: els.length };
  if (op === 'all') return { value: OP_FN(els, arg) };
  if (op === 'visible') return { value: Boolean(els[0] && visible(els[0])) };
  if (op === 'state') {
    const ok = { attached: els.length > 0, detached: els.length === 0, visible: Boolean(els[0] && visible(els[0])), hidden: !els[0] || !visible(els[0]) }[arg];
    return ok ? { value: true } : { retry: true };
  }
  const el = els[0];
  if (!el || (needVisible && !visible(el))) return { retry: true };
  switch (op) {
    case 'fn': return { value: OP_FN(el, arg) };
    case 'attr': return { value: el.getAttribute(arg) };
    case 'innerText': return { value: el.innerText };
    case 'textContent': return { value: el.textContent };
    case 'inputValue': return { value: el.value };
    case 'box': { const r = el.getBoundingClientRect(); return { value: { x: r.x, y: r.y, width: r.width, height: r.height } }; }
    case 'focus': el.focus(); return { value: true };
    case 'scroll': el.scrollIntoView({ block: 'center', inline: 'center' }); return { value: true };
    case 'click': el.scrollIntoView({ block: 'center', inline: 'center' }); el.focus?.(); el.click(); return { value: true };
    case 'fill': {
      el.focus();
      if ('value' in el && el.localName !== 'div') {
        el.value = arg;
      } else {
        el.textContent = arg;
      }
      el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: arg }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
      return { value: true };
    }
    case 'dispatch': {
      const [type, init] = arg;
      el.dispatchEvent(new Event(type, { bubbles: true, cancelable: true, ...init }));
      return { value: true };
    }
    case 'files': {
      const dt = new DataTransfer();
      for (const f of arg) {
        const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name, { type: f.mimeType }));
      }
      el.files = dt.files;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
      return { value: true };
    }
    default: throw new Error(`unknown op ${op}`);
  }
});

/** Runs in every page before the app (puppeteer: a preload script; WebKit: served by the
 *  harness as the first script of index.html): queues page errors, console errors and
 *  CSP violations for the adapter, and keeps downloads of Blob URLs (the app's exports)
 *  instead of saving them. */
export const INIT = String(function pwInit() {
  if (window.__pwDrain) return;
  const queue = [];
  window.__pwDrain = () => queue.splice(0);
  const say = (type, text) => queue.push({ type, text });
  const origError = console.error.bind(console);
  console.error = (...a) => { say('console-error', a.map((x) => (x instanceof Error ? String(x) : typeof x === 'string' ? x : JSON.stringify(x))).join(' ')); origError(...a); };
  addEventListener('error', (e) => say('pageerror', String(e.error ?? e.message)));
  addEventListener('unhandledrejection', (e) => say('pageerror', String(e.reason)));
  document.addEventListener('securitypolicyviolation', (e) =>
    say('csp', `Refused to load or run: the Content Security Policy directive ${e.effectiveDirective} blocked ${e.blockedURI}`));
  const blobs = new Map();
  const create = URL.createObjectURL;
  URL.createObjectURL = function (b) { const u = create.call(URL, b); blobs.set(u, b); return u; };
  window.__pwDownloads = [];
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function () {
    if (this.hasAttribute('download') && blobs.has(this.href)) {
      const entry = { name: this.download, b64: null };
      window.__pwDownloads.push(entry);
      // The bytes as they are (a byte-order mark included), base64 for the trip out.
      blobs.get(this.href).arrayBuffer().then((buffer) => {
        const bytes = new Uint8Array(buffer);
        let binary = '';
        for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        entry.b64 = btoa(binary);
      });
      return;
    }
    return click.call(this);
  };
});

/** Init script for `serviceWorkers: 'block'`: the app sees no service worker support. */
export const BLOCK_SW = String(function blockServiceWorkers() {
  try { Object.defineProperty(Navigator.prototype, 'serviceWorker', { get: () => undefined, configurable: true }); } catch {}
});

/** `**` glob (Playwright's URL patterns) as a RegExp. */
export function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') { re += '.*'; i++; } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '.';
    else re += c.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function urlMatches(url, pattern) {
  if (pattern instanceof RegExp) return pattern.test(url);
  if (typeof pattern === 'function') return pattern(new URL(url));
  return globToRegExp(pattern).test(url);
}

/** A playwright-style Locator over a BasePage. */
export class Locator {
  constructor(page, steps) { this._page = page; this._steps = steps; }
  _with(step) { return new Locator(this._page, [...this._steps, step]); }
  locator(css, opts = {}) { return this._with({ css, hasText: opts.hasText !== undefined ? matcher(opts.hasText) : undefined }); }
  getByRole(role, opts = {}) {
    return this._with({
      role, name: opts.name !== undefined ? matcher(opts.name) : undefined, exact: Boolean(opts.exact), level: opts.level,
      checked: opts.checked, selected: opts.selected, pressed: opts.pressed, disabled: opts.disabled,
    });
  }
  getByText(text, opts = {}) { return this._with({ text: matcher(text), exact: Boolean(opts.exact) }); }
  getByLabel(text, opts = {}) { return this._with({ label: matcher(text), exact: Boolean(opts.exact) }); }
  first() { return this._with({ nth: 0 }); }
  last() { return this._with({ nth: -1 }); }
  nth(i) { return this._with({ nth: i }); }
  filter(opts = {}) {
    return this._with({ filter: {
      hasText: opts.hasText !== undefined ? matcher(opts.hasText) : undefined,
      hasNotText: opts.hasNotText !== undefined ? matcher(opts.hasNotText) : undefined,
      visible: opts.visible,
    } });
  }
  _op(op, arg, opts = {}) { return this._page._operate(this._steps, op, arg, opts); }
  count() { return this._op('count'); }
  async all() { const n = await this.count(); return Array.from({ length: n }, (_, i) => this.nth(i)); }
  allInnerTexts() { return this._op('all', null, { fn: '(els) => els.map((e) => e.innerText)' }); }
  allTextContents() { return this._op('all', null, { fn: '(els) => els.map((e) => e.textContent)' }); }
  isVisible() { return this._op('visible'); }
  async isHidden() { return !(await this.isVisible()); }
  waitFor(opts = {}) { return this._op('state', opts.state ?? 'visible', { wait: true, timeout: opts.timeout }); }
  getAttribute(name, opts = {}) { return this._op('attr', name, { wait: true, timeout: opts.timeout }); }
  innerText(opts = {}) { return this._op('innerText', null, { wait: true, timeout: opts.timeout }); }
  textContent(opts = {}) { return this._op('textContent', null, { wait: true, timeout: opts.timeout }); }
  inputValue(opts = {}) { return this._op('inputValue', null, { wait: true, timeout: opts.timeout }); }
  boundingBox(opts = {}) { return this._op('box', null, { wait: true, timeout: opts.timeout }); }
  focus(opts = {}) { return this._op('focus', null, { wait: true, timeout: opts.timeout }); }
  scrollIntoViewIfNeeded(opts = {}) { return this._op('scroll', null, { wait: true, visible: true, timeout: opts.timeout }); }
  evaluate(fn, arg, opts = {}) { return this._op('fn', arg, { fn: String(fn), wait: true, timeout: opts.timeout }); }
  evaluateAll(fn, arg) { return this._op('all', arg, { fn: String(fn) }); }
  dispatchEvent(type, init = {}, opts = {}) { return this._op('dispatch', [type, init], { wait: true, timeout: opts.timeout }); }
  fill(value, opts = {}) { return this._op('fill', String(value), { wait: true, visible: true, timeout: opts.timeout }); }
  clear(opts = {}) { return this.fill('', opts); }
  async click(opts = {}) {
    await this._op('state', 'visible', { wait: true, timeout: opts.timeout });
    return this._page._click(this._steps, opts);
  }
  async press(key, opts = {}) {
    await this.focus(opts);
    await this._page.keyboard.press(key);
  }
  async pressSequentially(text, opts = {}) {
    await this.focus(opts);
    await this._page.keyboard.type(text, opts);
  }
  type(text, opts) { return this.pressSequentially(text, opts); }
  async setInputFiles(files, opts = {}) {
    const list = (Array.isArray(files) ? files : [files]).map((f) => (typeof f === 'string'
      ? { name: path.basename(f), mimeType: '', b64: readFileSync(f).toString('base64') }
      : { name: f.name, mimeType: f.mimeType ?? '', b64: Buffer.from(f.buffer).toString('base64') }));
    return this._op('files', list, { wait: true, timeout: opts.timeout });
  }
}

/** 'Shift+Enter' -> { modifiers: ['Shift'], key: 'Enter' }. */
export function parseKey(combo) {
  if (combo.length === 1 || !combo.includes('+') || combo === '+') return { modifiers: [], key: combo };
  const parts = combo.split('+');
  const key = parts.pop() || '+';
  return { modifiers: parts.map((m) => (m === 'ControlOrMeta' ? 'Control' : m)), key };
}

/** A download kept by INIT: what the tests read of Playwright's Download. */
class Download {
  constructor(name, bytes) { this._name = name; this._text = bytes; }
  suggestedFilename() { return this._name; }
  async createReadStream() { return Readable.from([this._text]); }
  async path() {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'chatdeck-download-')), this._name || 'download');
    writeFileSync(file, this._text);
    return file;
  }
  async saveAs(to) { writeFileSync(to, this._text); }
  async failure() { return null; }
}

/** The page half every backend shares. A backend implements:
 *  _evalRaw(expression) -> JSON string (the expression is awaited in the page),
 *  _evalScript(source) (a classic script, e.g. axe.min.js), _click(steps, opts),
 *  _keyDown(key), _keyUp(key), _typeText(text), goto(url), reload(), url(), close(),
 *  setViewportSize(size), viewportSize(). */
export class BasePage {
  constructor(engine) {
    this._engine = engine;
    this._listeners = { pageerror: [], console: [] };
    this._downloadsSeen = 0;
    const page = this;
    this.keyboard = {
      async press(combo) {
        const { modifiers, key } = parseKey(combo);
        for (const m of modifiers) await page._keyDown(m);
        await page._keyDown(key);
        await page._keyUp(key);
        for (const m of modifiers.reverse()) await page._keyUp(m);
      },
      down: (key) => page._keyDown(key),
      up: (key) => page._keyUp(key),
      type: (text) => page._typeText(text),
      insertText: (text) => page.evaluate((t) => document.execCommand('insertText', false, t), text),
    };
    // Only what the tests use: a click at a point of the viewport (the backend's _mouseClick).
    this.mouse = {
      click: (x, y, opts = {}) => page._mouseClick(x, y, opts),
    };
    const unsupportedClock = () => { throw new Unsupported(engine, 'control time (page.clock)'); };
    this.clock = { install: unsupportedClock, pauseAt: unsupportedClock, resume: unsupportedClock, fastForward: unsupportedClock, runFor: unsupportedClock, setFixedTime: unsupportedClock };
  }

  async _mouseClick() { throw new Unsupported(this._engine, 'use page.mouse (coordinates)'); }

  on(event, fn) { (this._listeners[event] ??= []).push(fn); return this; }
  off(event, fn) { this._listeners[event] = (this._listeners[event] ?? []).filter((f) => f !== fn); return this; }
  _emit(event, value) { for (const fn of this._listeners[event] ?? []) fn(value); }
  /** Events queued by INIT (WebKit) arrive with each evaluation's result. */
  _deliverQueued(events) {
    for (const { type, text } of events ?? []) {
      this._seen = [...(this._seen ?? []).slice(-9), `${type}: ${text}`.slice(0, 300)];
      // Engines with native console and error events get only what they lack: CSP reports.
      if (this._nativeEvents && type !== 'csp') continue;
      if (type === 'pageerror') this._emit('pageerror', new Error(text));
      else this._emit('console', { type: () => 'error', text: () => text, args: () => [], location: () => ({}) });
    }
  }

  /** Evaluates `expression` (awaited) in the page and returns its value as Playwright does
   *  (undefined stays undefined). Page exceptions are thrown here. */
  async _eval(expression) {
    const wrapped = `(async () => { let v, err; try { v = await (${expression}); } catch (e) { err = (e && e.stack) ? String(e) + '\\n' + e.stack : String(e); }`
      + ` const ev = window.__pwDrain ? window.__pwDrain() : [];`
      + ` const keep = (k, x) => (x === undefined ? '\u0000undefined' : x);`
      + ` try { return JSON.stringify({ v, u: v === undefined, err, ev }, keep); } catch (e) { return JSON.stringify({ u: true, err, ev }); } })()`;
    const raw = await this._evalRaw(wrapped);
    const out = restoreUndefined(JSON.parse(raw));
    this._deliverQueued(out.ev);
    if (out.err) throw new Error(`in the page: ${out.err}`);
    return out.u ? undefined : out.v;
  }

  /** What the page was doing, for a wait that timed out: a page that never started (seen
   *  twice in CI in WebKit, not reproduced) then says whether its document, its scripts and
   *  its wasm arrived, and what it reported. Never throws. */
  async _stateForFailure() {
    const look = `(${String(() => ({
      url: location.href, readyState: document.readyState, started: Boolean(window.wasmBindings),
      serviceWorker: navigator.serviceWorker ? Boolean(navigator.serviceWorker.controller) : 'none',
      body: (document.body ? document.body.innerHTML : '(no body)').slice(0, 400),
      resources: performance.getEntriesByType('resource').map((r) => `${r.name.split('/').pop()} ${Math.round(r.startTime)}+${Math.round(r.duration)}ms ${r.transferSize ?? ''}B`),
    }))})()`;
    let state;
    try {
      state = await Promise.race([this._eval(look), sleep(5000).then(() => 'no answer from the page in 5 s')]);
    } catch (e) {
      state = `the page could not be read: ${e.message}`;
    }
    return `\n  page state: ${JSON.stringify(state)}\n  page reported: ${JSON.stringify(this._seen ?? [])}`;
  }

  evaluate(fn, arg) {
    if (typeof fn === 'string') return this._evalScript(fn);
    return this._eval(`(${String(fn)})(${arg === undefined ? 'undefined' : JSON.stringify(arg)})`);
  }

  async evaluateHandle() { throw new Unsupported(this._engine, 'return object handles (evaluateHandle)'); }

  async _operate(steps, op, arg, { fn, wait = false, visible = false, timeout } = {}) {
    const expression = `(${OPERATE.replace('RESOLVE_FN', `(${RESOLVE})`).replace(/OP_FN/g, `(${fn ?? 'null'})`)})`
      + `(${JSON.stringify(steps)}, ${JSON.stringify(op)}, ${arg === undefined ? 'undefined' : JSON.stringify(arg)}, ${visible})`;
    const deadline = Date.now() + (timeout ?? DEFAULT_TIMEOUT);
    for (let delay = 20; ; delay = Math.min(delay * 2, 200)) {
      const out = await this._eval(expression);
      if (!out.retry) return out.value;
      if (!wait) return undefined;
      if (Date.now() > deadline) throw new Error(`${this._engine}: timed out after ${timeout ?? DEFAULT_TIMEOUT} ms waiting for ${describe(steps)} (${op}${op === 'state' ? ` ${arg}` : ''})${await this._stateForFailure()}`);
      await sleep(delay);
    }
  }

  locator(css, opts) { return new Locator(this, []).locator(css, opts); }
  getByRole(role, opts) { return new Locator(this, []).getByRole(role, opts); }
  getByText(text, opts) { return new Locator(this, []).getByText(text, opts); }
  getByLabel(text, opts) { return new Locator(this, []).getByLabel(text, opts); }

  async waitForFunction(fn, arg, opts = {}) {
    const timeout = opts.timeout ?? DEFAULT_TIMEOUT;
    const polling = typeof opts.polling === 'number' ? opts.polling : 30;
    const deadline = Date.now() + timeout;
    const expression = typeof fn === 'string' ? fn : `(${String(fn)})(${arg === undefined ? 'undefined' : JSON.stringify(arg)})`;
    for (;;) {
      let value;
      try {
        value = await this._eval(expression);
      } catch (e) {
        // A navigation in between: the next poll runs in the new document.
        if (!/navigat|context|discarded|destroyed|detached|unload/i.test(String(e))) throw e;
      }
      if (value) return { jsonValue: async () => value };
      if (Date.now() > deadline) throw new Error(`${this._engine}: waitForFunction timed out after ${timeout} ms: ${String(fn).slice(0, 200)}${await this._stateForFailure()}`);
      await sleep(polling);
    }
  }

  waitForTimeout(ms) { return sleep(ms); }

  async waitForURL(pattern, opts = {}) {
    const deadline = Date.now() + (opts.timeout ?? DEFAULT_TIMEOUT);
    for (;;) {
      const url = await this.url();
      if (pattern instanceof RegExp ? pattern.test(url) : typeof pattern === 'function' ? pattern(new URL(url)) : urlMatches(url, pattern)) return;
      if (Date.now() > deadline) throw new Error(`${this._engine}: waitForURL timed out at ${url}`);
      await sleep(30);
    }
  }

  async waitForLoadState() {
    await this.waitForFunction(() => document.readyState === 'complete');
  }

  /** Responses, approximated by the Resource Timing entries of the current document. */
  async waitForResponse(pattern, opts = {}) {
    const deadline = Date.now() + (opts.timeout ?? DEFAULT_TIMEOUT);
    for (;;) {
      let entries = [];
      try {
        entries = await this._eval(`performance.getEntriesByType('resource').filter((e) => e.responseEnd > 0).map((e) => ({ url: e.name, status: e.responseStatus ?? 200 }))`);
      } catch { /* navigating */ }
      for (const e of entries ?? []) {
        const response = { url: () => e.url, status: () => e.status, ok: () => e.status < 400, finished: async () => null };
        const hit = typeof pattern === 'function' ? await pattern(response) : urlMatches(e.url, pattern);
        if (hit) return response;
      }
      if (Date.now() > deadline) throw new Error(`${this._engine}: waitForResponse timed out`);
      await sleep(50);
    }
  }

  async waitForEvent(event, opts = {}) {
    if (event === 'load') return this._waitForNextLoad(opts);
    if (event !== 'download') throw new Unsupported(this._engine, `wait for the page event '${event}'`);
    const deadline = Date.now() + (typeof opts === 'number' ? opts : opts.timeout ?? DEFAULT_TIMEOUT);
    for (;;) {
      const d = await this._eval(`(window.__pwDownloads || [])[${this._downloadsSeen}] ?? null`);
      if (d && d.b64 !== null) {
        this._downloadsSeen += 1;
        return new Download(d.name, Buffer.from(d.b64, 'base64'));
      }
      if (Date.now() > deadline) throw new Error(`${this._engine}: no download`);
      await sleep(30);
    }
  }

  /** The next document's load: the current document is marked, and the wait ends once a
   *  document without the mark has loaded. */
  async _waitForNextLoad(opts = {}) {
    const mark = `m${Date.now()}${Math.random()}`;
    await this._eval(`window.__pwLoadMark = ${JSON.stringify(mark)}`);
    const deadline = Date.now() + (typeof opts === 'number' ? opts : opts.timeout ?? DEFAULT_TIMEOUT);
    for (;;) {
      try {
        if (await this._eval(`window.__pwLoadMark !== ${JSON.stringify(mark)} && document.readyState === 'complete'`)) return this;
      } catch { /* between documents */ }
      if (Date.now() > deadline) throw new Error(`${this._engine}: no load event`);
      await sleep(50);
    }
  }

  async addScriptTag() { throw new Unsupported(this._engine, 'add script tags'); }
  async route() { throw new Unsupported(this._engine, 'intercept requests (route)'); }
  async unroute() {}
  async emulateMedia() { throw new Unsupported(this._engine, 'emulate media features (emulateMedia)'); }
  async bringToFront() {}
}

/** A frame of a page (Playwright's Frame): locators, evaluate and the waits run in the
 *  frame's document, through the backend's _evalRaw, _evalScript and _click for that
 *  frame; url() is synchronous, as Playwright's. Keys (a locator's press) are the page's
 *  unless the backend must send them through the frame (WebKit), and what the frame
 *  reports (errors, console errors, CSP) reaches the page's listeners, as in Playwright. */
export class BaseFrame extends BasePage {
  constructor(engine, page) {
    super(engine);
    this._page = page;
    this._nativeEvents = page._nativeEvents;
  }
  page() { return this._page; }
  _emit(event, value) { this._page._emit(event, value); }
  _keyDown(key) { return this._page._keyDown(key); }
  _keyUp(key) { return this._page._keyUp(key); }
  _typeText(text) { return this._page._typeText(text); }
}

/** Values are sent as JSON with undefined marked, so `{ a: undefined }` and
 *  `[undefined]` come back as Playwright returns them. */
function restoreUndefined(value) {
  if (value === '\u0000undefined') return undefined;
  if (Array.isArray(value)) return value.map(restoreUndefined);
  if (value && typeof value === 'object') {
    for (const k of Object.keys(value)) value[k] = restoreUndefined(value[k]);
  }
  return value;
}

function describe(steps) {
  return steps.map((s) => (s.css ? `locator(${JSON.stringify(s.css)})`
    : s.role ? `getByRole(${s.role}${s.name ? `, ${JSON.stringify(s.name.s ?? `/${s.name.re}/`)}` : ''})`
      : s.text ? `getByText(${JSON.stringify(s.text.s ?? `/${s.text.re}/`)})`
        : s.nth !== undefined ? `nth(${s.nth})` : 'filter()')).join('.');
}

/** Playwright-style request routing shared by the contexts: `route(pattern, handler)`,
 *  the newest matching route first, `times` honoured. */
export class Routes {
  constructor() { this._list = []; }
  add(pattern, handler, opts = {}) { this._list.unshift({ pattern, handler, times: opts.times ?? Infinity }); }
  remove(pattern, handler) {
    const same = (a, b) => a === b || (a instanceof RegExp && b instanceof RegExp && String(a) === String(b));
    this._list = this._list.filter((r) => !(same(r.pattern, pattern) && (!handler || r.handler === handler)));
  }
  get size() { return this._list.length; }
  /** The route for `url`, or null; counts a use. */
  take(url) {
    const r = this._list.find((x) => x.times > 0 && urlMatches(url, x.pattern));
    if (!r) return null;
    r.times -= 1;
    return r;
  }
}

/** What a route handler gets: `impl` does fulfill / abort / continue for the engine. */
export class Route {
  constructor(request, impl) { this._request = request; this._impl = impl; this._handled = false; }
  request() { return this._request; }
  async fulfill(opts = {}) {
    this._handled = true;
    let body = opts.body ?? '';
    const headers = { ...(opts.headers ?? {}) };
    if (opts.json !== undefined) { body = JSON.stringify(opts.json); headers['content-type'] ??= 'application/json'; }
    if (opts.contentType) headers['content-type'] = opts.contentType;
    if (opts.path) body = readFileSync(opts.path);
    return this._impl.fulfill({ status: opts.status ?? 200, headers, body: typeof body === 'string' ? Buffer.from(body) : Buffer.from(body) });
  }
  async abort(code = 'failed') { this._handled = true; return this._impl.abort(code); }
  async continue(overrides) { this._handled = true; return this._impl.continue(overrides); }
  async fallback() { return this.continue(); }
}

/** A Playwright Request made of what the engine tells. */
export function requestOf({ url, method = 'GET', headers = {} }) {
  return { url: () => url, method: () => method, headers: () => headers, postData: () => null, resourceType: () => 'other' };
}
