#!/usr/bin/env node
// First load and reply latency of every bot in Chromium, Firefox and WebKit, in one run:
// `node tools/bench_engines.mjs [--runs 5] [chromium firefox webkit]` prints JSON.
// Per engine and route (#/customer-service, #/support, #/storyteller, #/faq), median of
// `runs` fresh contexts (no cache, no service worker yet) of
//   load_ms:  navigation start -> the message box is on the page and enabled
//             (performance.now() in the page, recorded by a MutationObserver);
//   reply_ms: Enter (a keydown on the box) -> the reply's element is in the log and a
//             frame has been painted after it (the next requestAnimationFrame + 0 ms task).
// Each engine runs in a child process with ENGINE set (WebKit under xvfb-run), one at a
// time, through the same harness and adapter as the end-to-end tests; dist/ must be built.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
const child = args.includes('--child');
const engines = args.filter((a, i) => !a.startsWith('--') && !(runsAt >= 0 && i === runsAt + 1));

const ROUTES = {
  'customer-service': 'status',
  support: 'how long is shipping',
  storyteller: 'fantasy',
  faq: 'what is your return policy',
};

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const round = (x) => Math.round(x * 10) / 10;

/** Runs in every page before the app: the time the message box is first there and enabled. */
function recordInputReady() {
  const check = () => {
    const box = document.querySelector('textarea');
    if (box && !box.disabled && window.__inputReady === undefined) window.__inputReady = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'] });
}

async function benchOne() {
  const { launch, serve, DIST, ENGINE } = await import(path.join(root, 'tests/e2e/harness.mjs'));
  const browser = await launch();
  const site = await serve(DIST, '/');
  const out = { engine: ENGINE, version: null, runs: RUNS, routes: {} };
  try {
    for (const [route, message] of Object.entries(ROUTES)) {
      const load = [];
      const reply = [];
      let understanding;
      for (let i = 0; i < RUNS; i++) {
        const context = await browser.newContext({ serviceWorkers: 'block' });
        await context.addInitScript(recordInputReady);
        const page = await context.newPage();
        await page.goto(`${site.url}#/${route}`);
        await page.waitForFunction(() => window.__inputReady !== undefined);
        load.push(await page.evaluate(() => window.__inputReady));
        if (route === 'storyteller') await page.getByRole('radio', { name: 'Instant' }).click();
        if (route === 'faq') await page.getByText('Knowledge base: demo FAQ').waitFor();
        if (route === 'support') await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/orders.csv') && e.responseEnd > 0));
        out.version ??= await page.evaluate(() => navigator.userAgent);
        understanding = await page.locator('[role="log"]').getAttribute('data-understanding');
        reply.push(await page.evaluate(async (text) => {
          const box = document.querySelector('textarea');
          const count = () => document.querySelectorAll('[role="log"] [data-role="assistant"]').length;
          const before = count();
          box.value = text;
          box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
          const start = performance.now();
          box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
          while (count() <= before) await new Promise((ok) => setTimeout(ok, 0));
          await new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));
          return performance.now() - start;
        }, message));
        await context.close();
      }
      out.routes[route] = {
        load_ms: round(median(load)), reply_ms: round(median(reply)),
        load_all: load.map(round), reply_all: reply.map(round),
        message, ...(understanding ? { understanding } : {}),
      };
    }
  } finally {
    await browser.close();
    await site.close();
  }
  return out;
}

if (child) {
  process.stdout.write(`${JSON.stringify(await benchOne())}\n`);
  process.exit(0);
}

const result = { date: new Date().toISOString(), runs: RUNS, machine: `${process.platform} ${process.arch}, node ${process.version}`, engines: {} };
for (const engine of engines.length ? engines : ['chromium', 'firefox', 'webkit']) {
  const self = [fileURLToPath(import.meta.url), '--child', '--runs', String(RUNS)];
  const [cmd, argv] = engine === 'webkit' ? ['xvfb-run', ['-a', '-s', '-screen 0 1600x1200x24', process.execPath, ...self]] : [process.execPath, self];
  const text = await new Promise((ok, fail) => {
    let stdout = '';
    const p = spawn(cmd, argv, { cwd: root, env: { ...process.env, ENGINE: engine }, stdio: ['ignore', 'pipe', 'inherit'] });
    p.stdout.on('data', (d) => { stdout += d; });
    p.on('exit', (code) => (code === 0 ? ok(stdout) : fail(new Error(`${engine}: exit ${code}`))));
  });
  const line = text.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
  const { engine: name, ...rest } = JSON.parse(line);
  result.engines[name] = rest;
}
console.log(JSON.stringify(result, null, 2));
