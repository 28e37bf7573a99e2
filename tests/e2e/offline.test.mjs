// Offline use and updates: the service worker precaches the app shell and the data,
// every bot works after a reload with the network off (at / and under a sub-path), a
// first visit downloads nothing more than that, a new build is offered to the user and
// replaces the old one cleanly; the app is installable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { DIST, serve, launch, send, waitForMessages, requestLog, serviceWorkerLists } from './harness.mjs';

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

/** Opens `url` and waits until the service worker controls the page. */
async function openControlled(url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('h1').waitFor();
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    while (!navigator.serviceWorker.controller) await new Promise((r) => setTimeout(r, 50));
  });
  return { context, page };
}

for (const [where, url] of [['at /', () => site.url], ['under /chatdeck/', () => subSite.url]]) {
  test(`after one visit ${where}, every bot works with the network off`, async () => {
    const { context, page } = await openControlled(`${url()}#/faq`);
    await page.getByText('Knowledge base: demo FAQ · 7 questions').waitFor();
    await context.setOffline(true);
    await page.reload();
    await page.getByText('Knowledge base: demo FAQ · 7 questions').waitFor();
    await send(page, 'what is your return policy');
    assert.match((await waitForMessages(page, 'assistant', 1))[0], /^Answer: We accept returns within 30 days/);

    await page.goto(`${url()}#/support`);
    await send(page, 'where is my order ZX81CD?');
    assert.match((await waitForMessages(page, 'assistant', 1))[0], /^✅ Order ZX81CD found\. Status: Delivered\./);

    await page.goto(`${url()}#/storyteller`);
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

test('the first visit downloads the shell, the default data and sw.js, nothing else: what the budget counts', async () => {
  const log = requestLog();
  const fresh = await serve(DIST, '/', log);
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${fresh.url}#/faq`);
    await page.getByText('Knowledge base: demo FAQ · 7 questions').waitFor();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      while (!navigator.serviceWorker.controller) await new Promise((r) => setTimeout(r, 50));
    });
    const { shell, data, onUse } = serviceWorkerLists();
    const counted = ['index.html', 'sw.js', ...shell.filter((f) => f !== './'), ...data];
    // Opening the FAQ bot is a use of the semantic tier: its worker and model are fetched on
    // use (never precached, so not part of the first visit), and nothing else is.
    const semantic = (p) => p.startsWith('model/') || p.startsWith('understand_worker');
    assert.deepEqual([...log.paths].filter((p) => !semantic(p)).sort(), [...new Set(counted)].sort());
    for (const p of log.paths) if (semantic(p)) assert.ok(!counted.includes(p), `${p} is not precached`);
    for (const f of ['icon-192.png', 'icon-512.png', 'manifest.webmanifest']) assert.ok(onUse.includes(f), `${f} is cached on use`);
    const gzipped = counted.reduce((sum, f) => sum + gzipSync(readFileSync(path.join(DIST, f)), { level: 9 }).length, 0);
    console.log(`first visit: ${gzipped.toLocaleString('en')} B gzip -9 (${counted.length} files)`);
    await context.close();
  } finally {
    await fresh.close();
  }
});

test('a new build is offered, and taking it replaces the old caches', async () => {
  const { context, page } = await openControlled(site.url);
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

test('Chromium finds nothing that prevents installing the app', async () => {
  const { context, page } = await openControlled(`${subSite.url}#/support`);
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
