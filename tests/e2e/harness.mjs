// Shared end-to-end harness: serves dist/ on 127.0.0.1 (at / or under a sub-path,
// like GitHub Pages) and drives Debian's Chromium through playwright-core.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { before, after } from 'node:test';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { chromium } = require(path.join(root, 'tools/node_modules/playwright-core'));

export const DIST = path.join(root, 'dist');

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

/** Serves `dir` under `base` ("/" or "/chatdeck/") on a free loopback port.
 *  `overrides` (path relative to `dir` -> body) replaces files, e.g. to deploy a new sw.js;
 *  a function body answers the request itself `(req, res, original)`, e.g. to fail it. */
export async function serve(dir = DIST, base = '/', overrides = new Map()) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith(base)) {
      res.writeHead(404).end('not found');
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(base.length)) || 'index.html';
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
      const body = await readFile(target);
      res.writeHead(200, { 'content-type': TYPES[path.extname(target)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${base}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Headless Chromium as root on this machine: no sandbox, no background network.
 *  Playwright gives every launch a fresh temporary profile of its own. */
export async function launch() {
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

/** A link of the bot navigation, by the bot's name. */
export function navLink(page, name) {
  return page.getByRole('navigation', { name: 'Bots' }).getByRole('link', { name });
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
  return { paths, has: () => false, get: (rel) => { paths.add(rel); return undefined; } };
}

/** The lists the built service worker caches (tools/post_build.py writes them):
 *  `shell` and `data` are precached, `onUse` cached when first used. */
export function serviceWorkerLists(dist = DIST) {
  const sw = readFileSync(path.join(dist, 'sw.js'), 'utf8');
  const list = (name) => JSON.parse(sw.match(new RegExp(`const ${name} = (\\[.*?\\]);`))[1]);
  return { shell: list('SHELL'), data: list('DATA'), onUse: list('ON_USE') };
}
