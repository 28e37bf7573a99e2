// Time to a ready input, chatdeck against the physical floor: a plain HTML page with one
// <textarea>, served by the same server in the same run. Prints JSON.
//
//   node tools/bench_ready.mjs [RUNS] [DIST]      (defaults: 7, dist/)
//
// Both are served from 127.0.0.1 with gzip, as GitHub Pages serves them. Each run is a
// fresh Chromium context (cold cache, no service worker), the blank page and every bot
// route interleaved, so that the machine's load falls on all of them alike. ready: ms
// from navigation start until the message box is on screen and enabled (a
// MutationObserver in the page records the moment); first paint: the page's first
// pixels (the paint timing entry); app started: the app has drawn its own view (its h1),
// so the box is the app's, not index.html's (src/web/boot.rs). Medians over RUNS;
// ratio = bot / blank.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, TYPES } from '../tests/e2e/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.argv[2] ?? 7);
const DIST = path.resolve(process.argv[3] ?? path.join(root, 'dist'));
const ROUTES = ['customer-service', 'support', 'storyteller', 'faq'];
const BLANK = '<!doctype html><html lang="en"><meta charset="utf-8">'
  + '<meta name="viewport" content="width=device-width, initial-scale=1"><title>blank</title>'
  + '<textarea aria-label="Message"></textarea>';
const COMPRESSED = new Set(['.html', '.js', '.wasm', '.css', '.csv', '.json', '.svg']);

// A static host compresses a file once and keeps it (GitHub Pages' CDN does), so the
// server here does too: compressing the wasm on every request (about 40 ms at -9) would
// be counted against chatdeck and not against the blank page.
const gzipped = new Map();
const gzipOnce = (key, body) => {
  if (!gzipped.has(key)) gzipped.set(key, gzipSync(body, { level: 9 }));
  return gzipped.get(key);
};

const server = createServer(async (req, res) => {
  const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname.slice(1)) || 'index.html';
  let body;
  let ext = path.extname(rel);
  if (rel === 'blank.html') {
    body = Buffer.from(BLANK);
  } else {
    const file = path.join(DIST, rel);
    if (!file.startsWith(DIST)) return res.writeHead(403).end();
    try { body = await readFile(file); } catch { return res.writeHead(404).end(); }
  }
  const headers = { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'cache-control': 'max-age=600' };
  if (COMPRESSED.has(ext) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
    body = gzipOnce(rel, body);
    headers['content-encoding'] = 'gzip';
  }
  res.writeHead(200, headers).end(body);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}/`;

function recordReady() {
  const check = () => {
    const box = document.querySelector('textarea');
    if (box && !box.disabled && box.getClientRects().length && window.__ready === undefined) window.__ready = performance.now();
    if (window.__started === undefined && document.querySelector('h1')) window.__started = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
  document.addEventListener('DOMContentLoaded', check);
}

async function ready(browser, url) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  await context.addInitScript(recordReady);
  const page = await context.newPage();
  await page.goto(url);
  const blank = url.endsWith('blank.html');
  await page.waitForFunction((b) => window.__ready !== undefined && (b || window.__started !== undefined)
    && performance.getEntriesByName('first-paint').length > 0, blank);
  const times = await page.evaluate((b) => ({
    ready: window.__ready,
    painted: performance.getEntriesByName('first-paint')[0].startTime,
    started: b ? window.__ready : window.__started,
  }), blank);
  await context.close();
  return times;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const browser = await launch();
try {
  const times = { blank: [], ...Object.fromEntries(ROUTES.map((r) => [r, []])) };
  await ready(browser, `${base}blank.html`); // warm the browser itself, not counted
  for (let run = 0; run < RUNS; run += 1) {
    times.blank.push(await ready(browser, `${base}blank.html`));
    for (const route of ROUTES) times[route].push(await ready(browser, `${base}#/${route}`));
  }
  const med = (key, what) => median(times[key].map((t) => t[what]));
  const blank = med('blank', 'ready');
  const blankPaint = med('blank', 'painted');
  const out = { runs: RUNS, blank_ms: Math.round(blank), blank_first_paint_ms: Math.round(blankPaint), bots: {} };
  for (const route of ROUTES) {
    const ms = med(route, 'ready');
    const painted = med(route, 'painted');
    out.bots[route] = {
      ready_ms: Math.round(ms), ratio: Number((ms / blank).toFixed(2)),
      first_paint_ms: Math.round(painted), first_paint_ratio: Number((painted / blankPaint).toFixed(2)),
      app_started_ms: Math.round(med(route, 'started')),
    };
  }
  console.log(JSON.stringify(out));
} finally {
  await browser.close();
  server.close();
}
