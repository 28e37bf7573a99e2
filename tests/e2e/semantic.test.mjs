// The semantic tier in the browser: the model is not part of the first visit; opening the
// FAQ bot downloads it with a progress bar, then the FAQ answers paraphrases the lexical
// tier refuses; it keeps working offline after one visit; a failed model download leaves the
// lexical tier answering, with a notice whose Retry works; a user's CSV is embedded with
// progress once and taken from the cache after a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DIST, ENGINE, useSite, send, waitForMessages, navLink, needs } from './harness.mjs';

// Chosen by running both tiers over public/faq_data.csv with tools/faq_eval.sh (with and
// without --lexical): the lexical tier refuses these, the semantic tier answers them right.
const PAYMENT_PARAPHRASE = 'which cards can I use at checkout';
const PAYMENT = /^Answer: We accept all major credit cards/;
const ABROAD_PARAPHRASE = 'do you deliver to other countries';
const ABROAD = /^Answer: Yes we ship to most countries/;

/** How the test server answers for the model file: 'serve', 'missing' (404) or 'cut'
 *  (the connection drops after the first bytes). */
let modelMode = 'serve';
/** Every request for the model file that reached the server. */
const modelRequests = [];
const overrides = new Map([
  ['model/minilm.gguf', async (req, res, original) => {
    modelRequests.push(req.url);
    if (modelMode === 'missing') {
      res.writeHead(404).end('not found');
      return;
    }
    const body = await original();
    if (modelMode === 'cut') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) });
      res.write(body.subarray(0, 64 * 1024), () => res.socket.destroy());
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) });
    res.end(body);
  }],
]);
const ctx = useSite({ overrides });

/** Runs in the page before the app: records every text the progress bar shows, so that a
 *  bar shown for a moment is seen without sampling. */
function recordProgress() {
  window.__progressSeen = [];
  new MutationObserver(() => {
    for (const el of document.querySelectorAll('.understanding-progress')) {
      const text = el.textContent.trim();
      if (window.__progressSeen.at(-1) !== text) window.__progressSeen.push(text);
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

async function newPage() {
  const context = await ctx.browser.newContext();
  await context.addInitScript(recordProgress);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors };
}

/** Waits until the log says which tier answers next. The model loads in a worker: generous. */
/** Waits until the chat log says which tier answers. On a timeout the error says what
 *  the page showed meanwhile (the progress bar's texts, the notices), so that a failure on
 *  another machine says whether the model was slow, failed, or never asked. */
async function tier(page, which) {
  try {
    await page.locator(`[role="log"][data-understanding="${which}"]`).waitFor({ timeout: 90_000 });
  } catch (e) {
    const shown = await page
      .evaluate(() => ({
        progress: window.__progressSeen,
        notices: [...document.querySelectorAll('[role="status"], [role="alert"]')].map((n) => n.textContent.trim()).filter(Boolean),
      }))
      .catch((why) => `(the page could not be read: ${why})`);
    throw new Error(`${e.message}; the page showed: ${JSON.stringify(shown)}`);
  }
}

async function waitControlled(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    while (!navigator.serviceWorker.controller) await new Promise((r) => setTimeout(r, 50));
  });
}

test('the model is not part of the first visit; opening the FAQ loads it with progress, then paraphrases are understood', async () => {
  const { context, page, errors } = await newPage();
  const before = modelRequests.length;
  await page.goto(ctx.site.url);
  await page.locator('h1').waitFor();
  // The first visit is complete once the service worker has installed (it precaches then).
  await waitControlled(page);
  assert.equal(modelRequests.length, before, 'no model download before the FAQ is opened');
  assert.equal(await page.locator('[role="log"]').getAttribute('data-understanding'), 'lexical');

  await navLink(page, 'FAQ').click();
  await tier(page, 'semantic');
  assert.equal(modelRequests.length, before + 1, 'the model was downloaded once');
  const seen = await page.evaluate(() => window.__progressSeen);
  assert.ok(seen.some((t) => /^Loading smarter answers… \d+ %$/.test(t)), `progress shown: ${JSON.stringify(seen)}`);
  assert.ok(seen.includes('Loading smarter answers… 100 %'), `progress reaches 100 %: ${JSON.stringify(seen)}`);
  assert.equal(await page.locator('.understanding-progress').count(), 0, 'the bar is gone once ready');

  await send(page, PAYMENT_PARAPHRASE);
  assert.match((await waitForMessages(page, 'assistant', 1))[0], PAYMENT);
  assert.deepEqual(errors, []);
  await context.close();
});

test('after one visit, the semantic tier works offline (model and vectors from the cache)', async (t) => {
  if (needs(t, 'offline')) return;
  const { context, page } = await newPage();
  await page.goto(`${ctx.site.url}#/faq`);
  await waitControlled(page);
  await tier(page, 'semantic');
  // The worker's files pass through the service worker once it controls the page.
  await page.waitForFunction(async () => {
    for (const name of await caches.keys()) {
      const urls = (await (await caches.open(name)).keys()).map((r) => r.url);
      if (urls.some((u) => u.endsWith('/understand_worker_bg.wasm'))) return true;
    }
    return false;
  }, null, { polling: 100 });

  await context.setOffline(true);
  const requests = modelRequests.length;
  await page.reload();
  await page.locator('h1').waitFor();
  await tier(page, 'semantic');
  assert.equal(modelRequests.length, requests, 'the model came from the cache');
  await send(page, ABROAD_PARAPHRASE);
  assert.match((await waitForMessages(page, 'assistant', 1))[0], ABROAD);
  assert.equal(await page.getByText(/Smarter answers are unavailable/).count(), 0);
  await context.close();
});

for (const [failure, mode] of [['a missing model (HTTP 404)', 'missing'], ['a download cut off mid-way', 'cut']]) {
  test(`${failure}: the lexical tier answers, a notice offers Retry, and Retry works`, async () => {
    const { context, page, errors } = await newPage();
    modelMode = mode;
    try {
      await page.goto(`${ctx.site.url}#/faq`);
      const notice = page.locator('.notice', { hasText: 'Smarter answers are unavailable' });
      await notice.waitFor({ timeout: 90_000 });
      assert.equal(await page.locator('[role="log"]').getAttribute('data-understanding'), 'lexical');
      await send(page, PAYMENT_PARAPHRASE);
      const [lexical] = await waitForMessages(page, 'assistant', 1);
      assert.doesNotMatch(lexical, PAYMENT, 'the lexical tier does not understand this paraphrase');

      modelMode = 'serve';
      await notice.getByRole('button', { name: 'Retry' }).click();
      await tier(page, 'semantic');
      await page.getByText('Smarter answers are loaded').waitFor();
      await send(page, PAYMENT_PARAPHRASE);
      assert.match((await waitForMessages(page, 'assistant', 2))[1], PAYMENT);
      assert.deepEqual(errors, []);
    } finally {
      modelMode = 'serve';
    }
    await context.close();
  });
}

test("a user's CSV is embedded with progress once, and taken from the cache after a reload", async () => {
  const { context, page } = await newPage();
  await page.goto(`${ctx.site.url}#/faq`);
  await tier(page, 'semantic');
  // A few more rows than one batch of the worker (32), so that the progress moves; no
  // more: a CI run once waited over 90 s in WebKit for 97 rows (3 s here; not reproduced).
  const demo = await readFile(path.join(DIST, 'faq_data.csv'), 'utf8');
  const extra = Array.from({ length: 33 }, (_, i) => `How do I reach branch number ${i + 1}?,Branch ${i + 1} is open from 9 to 5.`);
  const csv = `${demo.trimEnd()}\n${extra.join('\n')}\n`;
  await page.locator('.kb-load input[type="file"]').setInputFiles({ name: 'shop.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByText('Knowledge base: shop.csv · 40 questions').waitFor();
  const started = Date.now();
  await tier(page, 'semantic');
  console.log(`# ${ENGINE}: 40 rows embedded in ${Date.now() - started} ms`);
  const seen = await page.evaluate(() => window.__progressSeen);
  assert.ok(seen.some((t) => /^Preparing smarter answers for these questions… \d+ %$/.test(t)), `progress shown: ${JSON.stringify(seen)}`);
  await send(page, PAYMENT_PARAPHRASE);
  assert.match((await waitForMessages(page, 'assistant', 1))[0], PAYMENT);

  await page.reload();
  await page.getByText('Knowledge base: shop.csv · 40 questions').waitFor();
  await tier(page, 'semantic');
  const again = await page.evaluate(() => window.__progressSeen);
  assert.ok(!again.some((t) => t.startsWith('Preparing')), `no embedding after the reload: ${JSON.stringify(again)}`);
  await context.close();
});
