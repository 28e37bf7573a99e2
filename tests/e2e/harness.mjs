// Shared end-to-end harness: serves dist/ on 127.0.0.1 (at / or under a sub-path,
// like GitHub Pages) and drives a browser with Playwright's API. ENGINE picks it:
// chromium (default: Debian's Chromium through playwright-core), firefox (Firefox ESR
// through puppeteer-core over WebDriver BiDi) or webkit (WebKitGTK's MiniBrowser through
// WebKitWebDriver, under xvfb-run); the last two go through the adapter in engines/.
// tools/e2e.mjs runs the suite once per engine.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { before, after } from 'node:test';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** chromium | firefox | webkit */
export const ENGINE = process.env.ENGINE ?? 'chromium';
if (!['chromium', 'firefox', 'webkit'].includes(ENGINE)) throw new Error(`ENGINE=${ENGINE}: expected chromium, firefox or webkit`);

/** What an engine cannot do under automation, by feature, with the reason a test that
 *  needs it is skipped for (see `needs`). */
export const UNSUPPORTED = {
  chromium: {},
  firefox: {
    clock: 'controlling page time (page.clock) has no WebDriver BiDi equivalent',
    cdp: 'the Chrome DevTools Protocol is Chromium only',
    clipboard: 'clipboard permissions cannot be granted over WebDriver BiDi; Firefox asks the user before readText',
    colorScheme: 'media features cannot be emulated on an open page over WebDriver BiDi (only by preferences at launch)',
  },
  webkit: {
    foreignRoute: "WebKitWebDriver cannot intercept requests; the adapter routes only the test sites' own requests (in the test server), not another site's",
    clock: 'controlling page time (page.clock) needs a DevTools protocol WebKitWebDriver lacks',
    cdp: 'the Chrome DevTools Protocol is Chromium only',
    clipboard: 'WebKitWebDriver cannot grant clipboard permissions',
    colorScheme: 'the color scheme cannot be changed on an open MiniBrowser page (only --dark-mode at launch)',
    reducedMotion: 'MiniBrowser has no way to emulate prefers-reduced-motion',
    narrowViewport: "MiniBrowser's window cannot be made narrower than its toolbar (about 450 px)",
    frameFocusOnLoad: "WebKit's policy, not an adapter limit: a cross-origin frame the visitor has not yet interacted with may not move the focus to its own elements (WebKit refuses element.focus() there unless a user gesture is being processed; see WebKit pull request 46579 and standards-positions issue 406), so on the first open the message box is not focused; opening it again, after the visitor has used it, does focus it",
  },
};

/** For one check inside a test that otherwise runs everywhere: true (and the reason told
 *  as a diagnostic of `t`) when this engine lacks `feature`, so the caller leaves it out. */
export function lacks(t, feature) {
  const reason = UNSUPPORTED[ENGINE][feature];
  if (!reason) return false;
  t.diagnostic(`${ENGINE}: not checked here: ${reason}`);
  console.log(`# ${ENGINE}: ${t.name}: not checked: ${reason}`);
  return true;
}

/** Skips the test `t` (with the reason printed) when this engine lacks one of `features`;
 *  returns true then, so a test starts with `if (needs(t, 'route')) return;`. */
export function needs(t, ...features) {
  const missing = features.filter((f) => UNSUPPORTED[ENGINE][f]);
  if (!missing.length) return false;
  t.skip(`${ENGINE}: ${missing.map((f) => UNSUPPORTED[ENGINE][f]).join('; ')}`);
  return true;
}

// CHATDECK_DIST: test another build than dist/ (e.g. one built with `release_build --dist DIR`).
export const DIST = path.resolve(process.env.CHATDECK_DIST ?? path.join(root, 'dist'));

/** Content types by extension, as a static host sends them. */
export const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
};

/** WebKitWebDriver has no preload scripts: under ENGINE=webkit every HTML page served gets
 *  a same-origin script (allowed by the CSP's 'self') as its first script, and the
 *  adapter (engines/webkit.mjs) answers it with the init scripts of the context in use. */
const INJECT_INIT = ENGINE === 'webkit';
const INIT_FILE = '__pw_init.js';
function injectInit(html) {
  const tag = `<script src="${INIT_FILE}"></script>`;
  const text = String(html);
  // After <head> or <html> when the page has them (a minified page may have neither).
  for (const open of [/<head(\s[^>]*)?>/i, /<html(\s[^>]*)?>/i, /<!doctype[^>]*>/i]) {
    const m = text.match(open);
    if (m) return Buffer.from(text.slice(0, m.index + m[0].length) + tag + text.slice(m.index + m[0].length));
  }
  return Buffer.from(tag + text);
}

/** Serves `dir` under `base` ("/" or "/chatdeck/") on a free loopback port.
 *  `overrides` (path relative to `dir` -> body) replaces files, e.g. to deploy a new sw.js;
 *  a function body answers the request itself `(req, res, original)`, e.g. to fail it.
 *  `headers` are added to every file served from `dir` (e.g. GitHub Pages' caching). */
export async function serve(dir = DIST, base = '/', overrides = new Map(), headers = {}) {
  const server = createServer(async (req, res) => {
    // context.setOffline under ENGINE=firefox|webkit (engines/): the network is gone.
    if (globalThis.__chatdeckOffline) { req.socket.destroy(); return; }
    // ENGINE=webkit routes requests here (engines/webkit.mjs): no interception in WebDriver.
    if (globalThis.__chatdeckServerRoute && await globalThis.__chatdeckServerRoute(`http://${req.headers.host}${req.url}`, req, res)) return;
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith(base)) {
      res.writeHead(404).end('not found');
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(base.length)) || 'index.html';
    if (INJECT_INIT && rel === INIT_FILE) {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      res.end(globalThis.__chatdeckInitScript?.() ?? '');
      return;
    }
    const file = path.join(dir, rel);
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    if (typeof overrides.get(rel) === 'function') {
      overrides.get(rel)(req, res, () => readFile(file));
      return;
    }
    if (overrides.has(rel)) {
      res.writeHead(200, { 'content-type': TYPES[path.extname(rel)] ?? 'application/octet-stream' });
      res.end(overrides.get(rel));
      return;
    }
    try {
      const info = await stat(file);
      const target = info.isDirectory() ? path.join(file, 'index.html') : file;
      let body = await readFile(target);
      if (INJECT_INIT && target.endsWith('.html')) body = injectInit(body);
      res.writeHead(200, { 'content-type': TYPES[path.extname(target)] ?? 'application/octet-stream', ...headers });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${base}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** The browser of ENGINE. Headless Chromium as root on this machine: no sandbox, no
 *  background network. Playwright gives every launch a fresh temporary profile of its own. */
export async function launch() {
  if (ENGINE !== 'chromium') return (await import(`./engines/${ENGINE}.mjs`)).launch();
  const { chromium } = require(path.join(root, 'tools/node_modules/playwright-core'));
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** A fresh page with console errors and page errors collected. */
export async function openApp(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  await page.locator('h1').waitFor();
  return { context, page, errors };
}

/** Sends `text` through the real input with the keyboard. */
export async function send(page, text) {
  const box = page.getByRole('textbox');
  await box.fill(text);
  await box.press('Enter');
}

/** The file a click on the export button `label` ("Export JSON", "Export Markdown")
 *  downloads, as text. */
export async function exported(page, label) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: label }).click()]);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Texts of the messages of one role, as rendered. */
export async function texts(page, role) {
  return page.locator(`[role="log"] [data-role="${role}"]`).evaluateAll((els) => els.map((e) => e.innerText.trim()));
}

/** Waits until the log holds `count` messages of `role`, and returns their texts. */
export async function waitForMessages(page, role, count) {
  await page.waitForFunction(
    ([r, n]) => document.querySelectorAll(`[role="log"] [data-role="${r}"]`).length >= n,
    [role, count],
  );
  return texts(page, role);
}

/** Waits until the page has received orders.csv and the app has had a frame and a task to
 *  parse it: a lookup sent while the orders load is answered "still loading" (the app's
 *  deliberate answer), and the page's own message box takes typing before the app has even
 *  started. */
export async function ordersIn(page) {
  await page.waitForFunction(() => performance.getEntriesByType('resource')
    .some((e) => e.name.endsWith('/orders.csv') && e.responseEnd > 0));
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));
}

/** A link of the bot navigation, by the bot's name. */
export function navLink(page, name) {
  return page.getByRole('navigation', { name: 'Bots' }).getByRole('link', { name });
}

/** Opens a bot from the navigation and waits until its view is the one shown. The click
 * only changes the URL's hash: the app switches on the `hashchange` event, a task later,
 * so a message typed at once could still land in the previous bot's box (seen under load:
 * "help" never reached the Customer Service bot). The link is marked current in the same
 * update that swaps the view. */
export async function openBot(page, name) {
  await navLink(page, name).click();
  const pattern = typeof name === 'string' ? new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') : name;
  await page.waitForFunction(([source, flags]) => {
    const current = document.querySelector('nav[aria-label="Bots"] a[aria-current="page"]');
    return Boolean(current && new RegExp(source, flags).test(current.textContent));
  }, [pattern.source, pattern.flags]);
}

/** Registers hooks that launch Chromium and serve dist/ (at `/`, and under
 *  `/chatdeck/` when `subPath` is set) for the tests of one file; `overrides`
 *  as for `serve`, for the site at `/`. */
export function useSite({ subPath = false, overrides = new Map() } = {}) {
  const ctx = {};
  before(async () => {
    ctx.browser = await launch();
    ctx.site = await serve(DIST, '/', overrides);
    if (subPath) ctx.subSite = await serve(undefined, '/chatdeck/');
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.site?.close();
    await ctx.subSite?.close();
  });
  return ctx;
}

/** An `overrides` for `serve` that changes nothing but records the path (relative to
 *  the base) of every request, to see what a visit downloads. */
export function requestLog() {
  const paths = new Set();
  const counts = new Map();
  return {
    paths, counts, has: () => false,
    get: (rel) => { paths.add(rel); counts.set(rel, (counts.get(rel) ?? 0) + 1); return undefined; },
  };
}

/** The lists the built service worker caches (tools/post_build.py writes them):
 *  `shell` and `data` are precached, `onUse` cached when first used. */
export function serviceWorkerLists(dist = DIST) {
  const sw = readFileSync(path.join(dist, 'sw.js'), 'utf8');
  const list = (name) => JSON.parse(sw.match(new RegExp(`const ${name} = (\\[.*?\\]);`))[1]);
  return { shell: list('SHELL'), data: list('DATA'), onUse: list('ON_USE') };
}

/** What a page knows of its service worker and caches: the message of a wait for them
 *  that failed, so a report says which step never came. `file` (relative to the page):
 *  how often the page asked for it, and whether through the worker. */
async function offlineState(page, file) {
  return page.evaluate(async (f) => {
    const registration = await navigator.serviceWorker.getRegistration();
    const worker = (w) => w?.state ?? null;
    const caches_ = {};
    for (const key of await caches.keys()) {
      const requests = await (await caches.open(key)).keys();
      caches_[key] = requests.map((r) => r.url.slice(location.origin.length));
    }
    const asked = f ? performance.getEntriesByType('resource').filter((e) => e.name.endsWith(`/${f}`))
      .map((e) => ({ at: Math.round(e.startTime), throughWorker: e.workerStart > 0, done: e.responseEnd > 0 })) : undefined;
    return {
      controller: worker(navigator.serviceWorker.controller),
      registration: registration ? { installing: worker(registration.installing), waiting: worker(registration.waiting), active: worker(registration.active) } : null,
      caches: caches_,
      asked,
    };
  }, file ?? null);
}

/** Waits (20 s at most) until a service worker controls `page`; fails saying what the
 *  page knows of its worker when none does. */
export async function untilControlled(page) {
  const controlled = await page.evaluate(async () => {
    const until = Date.now() + 20_000;
    while (!navigator.serviceWorker.controller && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    return Boolean(navigator.serviceWorker.controller);
  });
  if (!controlled) throw new Error(`no service worker controls the page after 20 s: ${JSON.stringify(await offlineState(page))}`);
}

/** Waits (20 s at most) until the service worker has kept `file` (relative to the page)
 *  for offline use; fails saying what the page knows of its worker, its caches and its
 *  requests for `file` when it has not. */
export async function untilKept(page, file) {
  const kept = await page.evaluate(async (f) => {
    const url = new URL(f, location.href).href;
    const until = Date.now() + 20_000;
    while (Date.now() < until) {
      if (await caches.match(url)) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  }, file);
  if (!kept) throw new Error(`${file} is not kept for offline use after 20 s: ${JSON.stringify(await offlineState(page, file))}`);
}

/** Opens `url` in a fresh context and waits until a service worker controls the page. */
export async function openControlled(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('h1').waitFor();
  await untilControlled(page);
  return { context, page };
}
