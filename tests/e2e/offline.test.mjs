// Offline use and updates: the service worker precaches the app shell and the data,
// every bot works after a reload with the network off (at / and under a sub-path), a
// first visit downloads nothing more than that, a new build is offered to the user and
// replaces the old one cleanly; the app is installable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { DIST, ENGINE, serve, launch, send, waitForMessages, requestLog, serviceWorkerLists, needs, untilControlled, untilKept, openControlled } from './harness.mjs';

let browser, site, subSite;
const overrides = new Map();
before(async () => {
  browser = await launch();
  site = await serve(DIST, '/', overrides);
  subSite = await serve(DIST, '/chatdeck/');
});
after(async () => {
  await browser?.close();
  await site?.close();
  await subSite?.close();
});

for (const [where, url] of [['at /', () => site.url], ['under /chatdeck/', () => subSite.url]]) {
  test(`after one visit ${where} that opened each bot, every bot works with the network off`, async (t) => {
  if (needs(t, 'offline')) return;
    const { context, page } = await openControlled(browser, `${url()}#/faq`);
    await page.getByText('Knowledge base: demo FAQ · 7 questions').waitFor();
    // Each bot fetches its data when opened; the service worker keeps it once used (on a
    // first visit, once it controls the page: the page asks again then).
    for (const [bot, file] of [['faq', 'faq_data.csv'], ['support', 'orders.csv'], ['storyteller', 'stories.json']]) {
      await page.goto(`${url()}#/${bot}`);
      await untilKept(page, file);
    }
    await page.goto(`${url()}#/faq`);
    await context.setOffline(true);
    await page.reload();
    await page.getByText('Knowledge base: demo FAQ · 7 questions').waitFor();
    await send(page, 'what is your return policy');
    assert.match((await waitForMessages(page, 'assistant', 1))[0], /^Answer: We accept returns within 30 days/);

    await page.goto(`${url()}#/support`);
    // Opening the bot loads its orders (from the kept copy, said so): then it can look up.
    await page.getByText(/^Offline: showing the orders as of .+\.$/).waitFor();
    await send(page, 'where is my order ZX81CD?');
    assert.match((await waitForMessages(page, 'assistant', 1))[0], /^✅ Order ZX81CD found\. Status: Delivered\./);

    await page.goto(`${url()}#/storyteller`);
    await page.getByText(/^Offline: showing the story library as of .+\.$/).waitFor();
    await page.getByRole('radio', { name: 'Instant' }).click();
    await send(page, 'one more');
    await waitForMessages(page, 'assistant', 2);
    assert.equal(await page.getByText(/story library is unavailable/).count(), 0, 'stories.json came from the cache');

    await page.goto(`${url()}#/customer-service`);
    await send(page, 'canel');
    assert.equal((await waitForMessages(page, 'assistant', 1))[0], 'I can help you cancel your order. Please provide your order number.');
    await context.close();
  });
}

// The specification lets a page see its worker in control before its registration is
// answered (the controller is set at once, the answer waits for a task): then no
// `controllerchange` is left for the app to hear. The three engines answered first in
// every probe (a page kept busy 500 ms included); made certain here: the data file is
// served before sw.js, and the registration is answered once the worker is in control.
test('the data a first visit loaded before the worker took control is kept, however late the registration is answered', async () => {
  let served;
  const faqServed = new Promise((ok) => { served = ok; });
  const gates = new Map([
    ['faq_data.csv', async (req, res, original) => {
      const body = await original();
      res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
      res.end(body);
      served();
    }],
    ['sw.js', async (req, res, original) => {
      await faqServed;
      const body = await original();
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(body);
    }],
  ]);
  const gated = await serve(DIST, '/', gates);
  try {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      const register = ServiceWorkerContainer.prototype.register;
      ServiceWorkerContainer.prototype.register = function (...args) {
        return register.apply(this, args).then((registration) => new Promise((answer) => {
          if (this.controller) answer(registration);
          else this.addEventListener('controllerchange', () => answer(registration), { once: true });
        }));
      };
    });
    const page = await context.newPage();
    await page.goto(`${gated.url}#/faq`);
    await page.getByText('Knowledge base: demo FAQ · 7 questions').waitFor();
    await untilControlled(page);
    await untilKept(page, 'faq_data.csv');
    await context.close();
  } finally {
    await gated.close();
  }
});

test('the first visit downloads the shell and sw.js, nothing else; a bot fetches its data when opened', async () => {
  const log = requestLog();
  // Cached for 10 minutes, as GitHub Pages sends every file.
  const fresh = await serve(DIST, '/', log, { 'cache-control': 'max-age=600' });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${fresh.url}#/customer-service`);
    await page.locator('h1').waitFor();
    await untilControlled(page);
    const { shell, data, onUse } = serviceWorkerLists();
    const counted = ['index.html', 'sw.js', ...shell.filter((f) => f !== './')];
    assert.deepEqual([...log.paths].sort(), [...new Set(counted)].sort(), 'the Customer Service bot needs no data file');
    // Each file once. The wasm, nearly all of the bytes, everywhere: the worker's install
    // takes the page's copy (WebKit fetched it three times: Trunk's preload was not handed
    // to the loader's fetch, and its worker does not share the page's HTTP cache). What
    // the browser reads itself (the page, its JS, CSS and icon) cannot be handed over:
    // WebKit's worker downloads those again.
    const again = ENGINE === 'webkit' ? new Set(counted.filter((f) => !f.endsWith('.wasm') && f !== 'sw.js')) : new Set();
    const twice = [...log.counts].filter(([f, n]) => n > (again.has(f) ? 2 : 1)).map(([f, n]) => `${f} ×${n}`);
    assert.deepEqual(twice, [], 'no file of the first visit is downloaded more often than that');
    assert.equal(log.counts.get(counted.find((f) => f.endsWith('.wasm'))), 1, 'the wasm is downloaded once');
    for (const f of ['icon-192.png', 'icon-512.png', 'manifest.webmanifest']) assert.ok(onUse.includes(f), `${f} is cached on use`);
    assert.deepEqual([...data].sort(), ['faq_data.csv', 'orders.csv', 'stories.json']);
    const gzipped = counted.reduce((sum, f) => sum + gzipSync(readFileSync(path.join(DIST, f)), { level: 9 }).length, 0);
    const dataSizes = data.map((f) => gzipSync(readFileSync(path.join(DIST, f)), { level: 9 }).length);
    console.log(`first visit: ${gzipped.toLocaleString('en')} B gzip -9 (${counted.length} files), plus the opened bot's data file (at most ${Math.max(...dataSizes).toLocaleString('en')} B)`);
    // The budget (BENCHMARKS.md counts the same files): a size, not a time, so the same
    // build always gives the same verdict. It holds for the release build (tools/test.sh).
    const firstVisit = gzipped + Math.max(...dataSizes);
    assert.ok(firstVisit <= 250_000, `the first visit is ${firstVisit.toLocaleString('en')} B gzip -9, over the 250,000 B budget`);

    // Opening a bot fetches its own data file, and only that (the FAQ also starts the
    // semantic tier's worker and model, fetched on use and never precached).
    const semantic = (p) => p.startsWith('model/') || p.startsWith('understand_worker');
    for (const [bot, file, ready] of [
      ['support', 'orders.csv', null],
      ['storyteller', 'stories.json', null],
      ['faq', 'faq_data.csv', 'Knowledge base: demo FAQ · 7 questions'],
    ]) {
      const before = new Set(log.paths);
      await page.goto(`${fresh.url}#/${bot}`);
      if (ready) await page.getByText(ready).waitFor();
      await page.waitForFunction((f) => performance.getEntriesByType('resource').some((e) => e.name.endsWith(f)), file);
      const added = [...log.paths].filter((p) => !before.has(p) && !semantic(p));
      assert.deepEqual(added, [file], `opening ${bot} fetches ${file} only`);
    }
    await context.close();
  } finally {
    await fresh.close();
  }
});

test('a new build is offered, and taking it replaces the old caches', async (t) => {
  if (needs(t, 'loadEvent')) return;
  const { context, page } = await openControlled(browser, site.url);
  const before = await page.evaluate(() => caches.keys());
  assert.equal(before.length, 1);
  // Deploy a new build: a service worker whose version differs.
  const sw = readFileSync(path.join(DIST, 'sw.js'), 'utf8');
  overrides.set('sw.js', sw.replace(/const VERSION = '([0-9a-f]+)'/, "const VERSION = '$1next'"));
  try {
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    await page.getByText('A new version of chatdeck is ready.').waitFor({ timeout: 15_000 });
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Reload to update' }).click()]);
    await page.locator('h1').waitFor();
    await page.waitForFunction(async () => (await caches.keys()).length === 1 && (await caches.keys())[0].endsWith('next'));
  } finally {
    overrides.delete('sw.js');
  }
  await context.close();
});

test('Chromium finds nothing that prevents installing the app', async (t) => {
  if (needs(t, 'cdp')) return;
  const { context, page } = await openControlled(browser, `${subSite.url}#/support`);
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  // Playwright's contexts are incognito profiles, where Chromium never installs apps.
  const fromTheApp = installabilityErrors.filter((e) => e.errorId !== 'in-incognito');
  assert.deepEqual(fromTheApp, []);
  await context.close();
});

test('the web app manifest makes it installable under any base path', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${subSite.url}#/faq`);
  const manifest = await page.evaluate(async () => {
    const href = document.querySelector('link[rel="manifest"]').href;
    const json = await (await fetch(href)).json();
    const icons = await Promise.all(json.icons.map(async (i) => (await fetch(new URL(i.src, href))).status));
    return { href, json, icons };
  });
  assert.ok(manifest.href.endsWith('/chatdeck/manifest.webmanifest'));
  assert.equal(manifest.json.start_url, './');
  assert.equal(manifest.json.scope, './');
  assert.deepEqual(manifest.icons, [200, 200, 200]);
  await context.close();
});
