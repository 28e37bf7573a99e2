// First load and reply latency in headless Chromium, for chatdeck and for the
// seed's Streamlit apps in the same run. Prints JSON.
//
//   node tools/bench_page.mjs [RUNS]
//
// chatdeck is dist/ served with gzip and a 10-minute cache lifetime, as GitHub Pages
// serves it; each seed app (written by tools/seed_apps.py to target/bench/streamlit)
// runs under `streamlit run` from target/bench-venv. For each app and bot:
// - bytes: everything the network transferred (encoded bodies, WebSocket frames)
//   from navigation until the input accepts text and the network is quiet for 1 s;
// - ready: ms from navigation start until the chat input is on screen and enabled;
// - reply: ms from the Enter keydown to the frame that paints the expected reply
//   (stories: their first segment); medians over RUNS (default 5) fresh profiles.
import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, TYPES } from '../tests/e2e/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.argv[2] ?? 5);

// Each bot: the message sent, and a piece of the reply that shows it has painted.
const BOTS = {
  'customer-service': { send: 'canel', expect: 'cancel your order', seed: 'customer_service.py' },
  support: { send: 'how long does shipping take', expect: 'Express: 1–2 days', seed: 'support.py' },
  storyteller: { send: 'space adventure', expect: 'Captain', seed: 'storyteller.py' },
  faq: { send: 'what is your return policy', expect: 'within 30 days', seed: 'faq.py' },
};

const INPUT = 'textarea:not([disabled]):not([readonly])';

const COMPRESSED = new Set(['.html', '.js', '.wasm', '.css', '.csv', '.json', '.svg', '.webmanifest']);

/** dist/ as a static host serves it: gzip when asked, cacheable for 10 minutes. */
async function serveDist() {
  const dist = path.join(root, 'dist');
  // Compressed once per file, as a static host's CDN keeps it: compressing the wasm on
  // every request (about 40 ms at -9) is not what a visitor waits for.
  const gzipped = new Map();
  const server = createServer(async (req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).slice(1) || 'index.html';
    const file = path.join(dist, rel);
    if (!file.startsWith(dist)) return res.writeHead(403).end();
    try {
      let body = await readFile(file);
      const ext = path.extname(file);
      const headers = { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'cache-control': 'max-age=600' };
      if (COMPRESSED.has(ext) && /gzip/.test(req.headers['accept-encoding'] ?? '')) {
        if (!gzipped.has(file)) gzipped.set(file, gzipSync(body, { level: 9 }));
        body = gzipped.get(file);
        headers['content-encoding'] = 'gzip';
      }
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

/** One seed program under `streamlit run`, ready when its health check answers. */
async function serveSeed(program, port) {
  const dir = path.join(root, 'target/bench/streamlit');
  const child = spawn(path.join(root, 'target/bench-venv/bin/streamlit'), [
    'run', program, '--server.port', String(port), '--server.address', '127.0.0.1', '--server.headless', 'true',
    '--browser.gatherUsageStats', 'false', '--server.fileWatcherType', 'none',
  ], { cwd: dir, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}_stcore/health`)).ok) return { url, close: () => child.kill() };
    } catch { /* not up yet */ }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  child.kill();
  throw new Error(`streamlit did not start ${program}`);
}

/** Records, in the page, when the input becomes usable and when expected text paints. */
function instrument(input) {
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const poll = () => {
    const el = document.querySelector(input);
    if (el && visible(el)) window.__ready = performance.now();
    else requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
  // Enter in the input starts the clock; a node with the expected text stops it at
  // the next frame, which is the one that paints it.
  // Frames are counted from the keydown: a reply inserted before the first frame
  // after it is painted by that frame, i.e. "within one frame".
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || !window.__expect) return;
    window.__sent = performance.now();
    window.__frames = 0;
    const tick = () => { if (!window.__painted) { window.__frames += 1; requestAnimationFrame(tick); } };
    requestAnimationFrame(tick);
  }, true);
  new MutationObserver((records) => {
    if (!window.__expect || window.__painted || !window.__sent) return;
    for (const r of records) {
      const node = r.type === 'characterData' ? r.target.parentNode : r.target;
      if (node && node.textContent.includes(window.__expect)) {
        window.__inserted = performance.now();
        window.__frame = window.__frames + 1; // the frame about to run paints it
        requestAnimationFrame(() => { window.__painted = performance.now(); });
        window.__expect = null;
        return;
      }
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
}

async function once(browser, bot, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = 0;
  let lastActivity = Date.now();
  const urls = new Map();
  const perUrl = {};
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    const name = new URL(urls.get(e.requestId) ?? 'http://x/?').pathname.split('/').pop() || 'index.html';
    perUrl[name] = (perUrl[name] ?? 0) + e.encodedDataLength;
    lastActivity = Date.now();
  });
  cdp.on('Network.webSocketFrameReceived', (e) => { bytes += e.response.payloadData.length; lastActivity = Date.now(); });
  cdp.on('Network.webSocketFrameSent', () => { lastActivity = Date.now(); });
  await page.addInitScript(instrument, INPUT);
  await page.goto(url);
  await page.waitForFunction(() => window.__ready !== undefined, null, { timeout: 60_000 });
  const ready = await page.evaluate(() => window.__ready);
  while (Date.now() - lastActivity < 1000) await page.waitForTimeout(100);
  const loadBytes = bytes;
  const loadPerUrl = { ...perUrl };

  const { send, expect } = BOTS[bot];
  await page.evaluate((text) => { window.__expect = text; window.__sent = 0; window.__painted = 0; }, expect);
  const box = page.locator(INPUT);
  await box.fill(send);
  await box.press('Enter');
  await page.waitForFunction(() => window.__painted > 0, null, { timeout: 30_000 });
  const reply = await page.evaluate(() => ({
    insert: window.__inserted - window.__sent, paint: window.__painted - window.__sent, frame: window.__frame,
  }));
  await context.close();
  return { bytes: loadBytes, perUrl: loadPerUrl, ready, ...reply };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };

const browser = await launch();
const chatdeck = await serveDist();
const out = {};
try {
  let port = 8601;
  for (const [bot, { seed }] of Object.entries(BOTS)) {
    const peer = await serveSeed(seed, port++);
    out[bot] = {};
    try {
      for (const [app, url] of [['chatdeck', `${chatdeck.url}#/${bot}`], ['streamlit', peer.url]]) {
        const runs = [];
        for (let i = 0; i < RUNS; i++) runs.push(await once(browser, bot, url));
        out[bot][app] = {
          bytes: median(runs.map((r) => r.bytes)),
          ready_ms: median(runs.map((r) => r.ready)),
          reply_insert_ms: median(runs.map((r) => r.insert)),
          reply_paint_ms: median(runs.map((r) => r.paint)),
          reply_frame: median(runs.map((r) => r.frame)),
          runs: RUNS,
        };
        if (app === 'chatdeck' && bot === 'customer-service') out.chatdeck_files = runs[0].perUrl;
        process.stderr.write(`${bot} ${app}: ${JSON.stringify(out[bot][app])}\n`);
      }
    } finally {
      peer.close();
    }
  }
} finally {
  await browser.close();
  chatdeck.close();
}
out.streamlit_version = (await import('node:child_process')).execFileSync(
  path.join(root, 'target/bench-venv/bin/python'), ['-c', 'import streamlit; print(streamlit.__version__)'],
).toString().trim();
console.log(JSON.stringify(out));
