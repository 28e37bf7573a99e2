// Nothing lost, nothing stale, nothing trusted blindly: conversations shared by two
// tabs (a clear wins), saving when a message completes, data files fresh from the
// network with the kept copy offline, a size limit on fetched data, consent before
// using data from another site, and FAQ loads that cannot overtake each other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DIST, serve, useSite, send, texts, waitForMessages, ordersIn, needs, openControlled } from './harness.mjs';

/** File -> how the server answers it instead (see harness `serve`); emptied by each test. */
const faults = new Map();
const ctx = useSite({ overrides: faults });
const dir = mkdtempSync(path.join(tmpdir(), 'chatdeck-integrity-'));

const idle = (page) => page.waitForFunction(() => !document.querySelector('[data-role][aria-busy="true"]'));
const messageCount = (page, n) =>
  page.waitForFunction((count) => document.querySelectorAll('[role="log"] [data-role]').length === count, n);

async function open(context, url) {
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('h1').waitFor();
  return page;
}

async function clearConversation(page) {
  await page.getByRole('button', { name: 'Clear conversation' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Clear' }).click();
}

test('a conversation cleared in one tab stays cleared when the other tab writes next', async () => {
  const context = await ctx.browser.newContext();
  const a = await open(context, `${ctx.site.url}#/support`);
  await send(a, 'I want a refund');
  await waitForMessages(a, 'assistant', 1);
  await send(a, 'it arrived broken');
  await waitForMessages(a, 'assistant', 2);
  const b = await open(context, `${ctx.site.url}#/support`);
  await waitForMessages(b, 'assistant', 2);

  await clearConversation(b);
  await messageCount(a, 0); // the other tab shows the clear
  await send(a, 'how long is shipping');
  await waitForMessages(a, 'assistant', 1);
  await b.waitForFunction(() => document.body.innerText.includes('how long is shipping'));
  for (const page of [a, b]) {
    assert.deepEqual(await texts(page, 'user'), ['how long is shipping'], 'the cleared messages stay gone');
    assert.equal(await page.locator('[data-role="assistant"]').count(), 1);
  }
  await b.reload();
  try {
    await waitForMessages(b, 'assistant', 1);
  } catch (e) {
    // What the reloaded page shows and what storage holds, to tell a lost write from a
    // page that did not load it.
    const seen = await b.evaluate(() => ({
      body: document.body.innerText.slice(0, 600),
      stored: Object.fromEntries(Object.keys(localStorage).filter((k) => k.includes('support')).map((k) => [k, localStorage.getItem(k).slice(0, 300)])),
    }));
    throw new Error(`${e.message}\nafter the reload: ${JSON.stringify(seen)}`);
  }
  assert.deepEqual(await texts(b, 'user'), ['how long is shipping']);
  await context.close();
});

test('a story still streaming in one tab while the other clears keeps only what came after', async (t) => {
  if (needs(t, 'clock')) return;
  const context = await ctx.browser.newContext();
  const a = await context.newPage();
  await a.clock.install(); // A's time is held below, so the story is still streaming when B clears
  await a.goto(`${ctx.site.url}#/storyteller`);
  await a.getByRole('radio', { name: 'Instant' }).click();
  await send(a, 'fantasy');
  await waitForMessages(a, 'assistant', 2);
  await idle(a);
  await a.getByRole('radio', { name: '2×' }).click();
  await send(a, 'space adventure');
  await waitForMessages(a, 'assistant', 4);
  await a.clock.pauseAt((await a.evaluate(() => Date.now())) + 200);
  const b = await open(context, `${ctx.site.url}#/storyteller`);
  await waitForMessages(b, 'assistant', 2); // the finished story; the streaming one is not saved yet
  assert.equal(await a.locator('[data-role][aria-busy="true"]').count(), 1, 'A is still streaming');
  await clearConversation(b);
  await a.clock.resume();
  await idle(a);
  await b.waitForFunction(() => document.body.innerText.includes('space adventure'));
  for (const page of [a, b]) {
    assert.deepEqual(await texts(page, 'user'), ['space adventure'], 'the cleared story does not come back');
    assert.match((await texts(page, 'assistant')).at(-1), /^Captain Maya adjusted her helmet/);
  }
  await context.close();
});

test('a streamed story is saved once, when it completes, and what arrived survives leaving mid-story', async () => {
  const context = await ctx.browser.newContext();
  await context.addInitScript(() => {
    // Count the writes of the storyteller's saved conversation (its head key).
    const setItem = Storage.prototype.setItem;
    window.__saves = 0;
    Storage.prototype.setItem = function (key, value) {
      if (/^chatdeck\.v\d+\.storyteller$/.test(key)) window.__saves += 1;
      return setItem.call(this, key, value);
    };
  });
  const page = await open(context, `${ctx.site.url}#/storyteller`);
  await page.getByRole('radio', { name: '2×' }).click();
  await send(page, 'space adventure');
  await waitForMessages(page, 'assistant', 2);
  await idle(page);
  assert.equal(await page.evaluate(() => window.__saves), 1, 'one save for the whole streamed story');

  // At 1× the story's next line comes 3 s after its first: the page goes away between.
  await page.getByRole('radio', { name: '1×' }).click();
  await send(page, 'mystery');
  await page.waitForFunction(() => document.body.innerText.includes('Detective Chen'));
  await page.reload(); // the page goes away mid-story: what arrived is saved then
  await waitForMessages(page, 'assistant', 4);
  const last = page.locator('[role="log"] [data-role="assistant"]').last();
  assert.equal(await last.getAttribute('data-status'), 'stopped');
  assert.match(await last.innerText(), /^Detective Chen/);
  await context.close();
});

test('data files come from the network first, and from the kept copy, said so, when it fails', async (t) => {
  const overrides = new Map();
  const site = await serve(DIST, '/', overrides);
  try {
    const { context, page } = await openControlled(ctx.browser, `${site.url}#/support`);
    // The shop edits orders.csv on its host, without a new build.
    overrides.set('orders.csv', 'id,status,expected_delivery,items\nABC12345,Out for delivery,2026-11-28,Laptop\n');
    await page.reload();
    await page.locator('h1').waitFor();
    await ordersIn(page);
    await send(page, 'status of ABC12345');
    assert.match((await waitForMessages(page, 'assistant', 1))[0], /Status: Out for delivery\./);
    // The host cannot be reached: the copy kept from the last visit answers.
    overrides.set('orders.csv', (req, res) => res.socket.destroy());
    await page.reload();
    await page.getByText(/^Offline: showing the orders as of .+\.$/).waitFor();
    await send(page, 'status of ABC12345');
    assert.match((await waitForMessages(page, 'assistant', 2))[1], /Status: Out for delivery\./);
    assert.equal(await page.getByText(/Order lookups are unavailable/).count(), 0);
    await context.close();
  } finally {
    await site.close();
  }
});

// A page that never cancels would hang on the quiet connection: the timeout turns that into a failure.
test('fetched data stops at the size limit of picked files, with a clear message', { timeout: 120_000 }, async () => {
  const context = await ctx.browser.newContext({ serviceWorkers: 'block' });
  let connectionClosed;
  const cancelled = new Promise((ok) => { connectionClosed = ok; });
  // An orders file longer than the 20 MB limit whose server then goes quiet without ever
  // ending it. The limit message can only appear if the page stops at the limit while
  // reading; a page that read to the end would wait forever. The amount sent is fixed, so
  // no engine's read-ahead or the machine's load changes what the test sees.
  faults.set('orders.csv', (req, res) => {
    res.writeHead(200, { 'content-type': 'text/csv' });
    const rows = Buffer.from('ABC12345,Shipped,2026-11-27,Laptop\n'.repeat(2000));
    res.write('id,status,expected_delivery,items\n');
    let sent = 0;
    const pump = () => {
      while (sent < 24 * 1024 * 1024) {
        sent += rows.length;
        if (!res.write(rows)) return;
      }
    };
    res.on('drain', pump);
    // The server never ends the body: a close comes from the page giving up on it.
    res.on('close', () => connectionClosed());
    pump();
  });
  // A story library that declares 90 MB: refused before its body is read.
  faults.set('stories.json', (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(90 * 1024 * 1024) });
    res.write('[');
  });
  try {
    const page = await open(context, `${ctx.site.url}#/support`);
    await page.getByText('Order lookups are unavailable: the order data could not be loaded: the file is larger than the limit of 20 MB. The Support bot can still help with refunds and shipping.').waitFor();
    // The page cancels the download rather than leaving the connection open.
    await cancelled;
    await send(page, 'how long is shipping');
    assert.equal((await waitForMessages(page, 'assistant', 1))[0], '🚚 Standard: 3–5 days | Express: 1–2 days');
    // The story library is fetched when the Storyteller is opened.
    await page.goto(`${ctx.site.url}#/storyteller`);
    await page.getByText('The story library is unavailable (it could not be loaded: the file is 90.0 MB; the limit is 20 MB). The Storyteller tells its classic stories meanwhile.').waitFor();
  } finally {
    faults.clear();
    await context.close();
  }
});

const STRANGER_ORDERS = 'id,status,expected_delivery,items\nZZ999999,Refunded in full,2026-01-01,Anything\n';

/** A context where https://example.com serves `body` to any page (CORS allowed). */
async function withForeignSite(body) {
  const context = await ctx.browser.newContext({ serviceWorkers: 'block' });
  await context.route('https://example.com/**', (route) => route.fulfill({
    status: 200, body, headers: { 'content-type': 'text/csv', 'access-control-allow-origin': '*' },
  }));
  return context;
}

test('order data from another site is used only after the reader agrees, and the answer is remembered', async (t) => {
  if (needs(t, 'foreignRoute')) return;
  const context = await withForeignSite(STRANGER_ORDERS);
  const url = `${ctx.site.url}?orders=https://example.com/shop/orders.csv#/support`;
  const page = await open(context, url);
  const question = page.getByText('Order data from example.com — use it?');
  await question.waitFor();
  await send(page, 'status of ZZ999999');
  assert.match((await waitForMessages(page, 'assistant', 1))[0], /^The order system is still loading/);
  await page.getByRole('button', { name: "Don't use it" }).click();
  await page.getByText(/Order lookups are unavailable: the order data from example\.com was not used\./).waitFor();
  await send(page, 'ZZ999999');
  assert.doesNotMatch((await waitForMessages(page, 'assistant', 2))[1], /Refunded in full/);

  await page.reload();
  await question.waitFor();
  await page.getByRole('button', { name: 'Use it', exact: true }).click();
  await ordersIn(page);
  await send(page, 'status of ZZ999999');
  assert.match((await waitForMessages(page, 'assistant', 3))[2], /^✅ Order ZZ999999 found\. Status: Refunded in full\./);

  await page.reload();
  await page.locator('h1').waitFor();
  await ordersIn(page);
  await send(page, 'status of ZZ999999');
  assert.match((await waitForMessages(page, 'assistant', 4))[3], /^✅ Order ZZ999999 found\./, 'no question the second time');
  assert.equal(await question.count(), 0);

  // The app's own origin needs no confirmation.
  const own = await open(context, `${ctx.site.url}?orders=orders.csv#/support`);
  await ordersIn(own);
  await send(own, 'status of ABC12345');
  assert.match((await waitForMessages(own, 'assistant', 5))[4], /^✅ Order ABC12345 found\./);
  assert.equal(await own.getByText(/use it\?/).count(), 0);
  await context.close();
});

test('a knowledge base from another site asks first too', async (t) => {
  if (needs(t, 'foreignRoute')) return;
  const context = await withForeignSite('Question,Answer\nWho are you?,A stranger.\n');
  const page = await open(context, `${ctx.site.url}?faq=https://example.com/faq.csv#/faq`);
  await page.getByText('FAQ data from example.com — use it?').waitFor();
  assert.equal(await page.getByText(/Knowledge base: https:\/\/example\.com/).count(), 0, 'not used before the answer');
  await page.getByRole('button', { name: 'Use it', exact: true }).click();
  await page.getByText('Knowledge base: https://example.com/faq.csv · 1 question').waitFor();
  await context.close();
});

test('a late demo FAQ never replaces the CSV the user just loaded', async (t) => {
  if (needs(t, 'route')) return;
  const context = await ctx.browser.newContext({ serviceWorkers: 'block' });
  let release;
  const held = new Promise((ok) => { release = ok; });
  await context.route('**/faq_data.csv', async (route) => {
    await held;
    await route.continue();
  });
  const page = await open(context, `${ctx.site.url}#/faq`);
  await page.getByText('Loading the knowledge base…').waitFor();
  const pets = path.join(dir, 'pets.csv');
  writeFileSync(pets, 'Question,Answer\nWhat do cats eat?,Fish.\nHow often should I walk my dog?,Twice a day.\n');
  await page.locator('input[type="file"]').setInputFiles(pets);
  await page.getByText('Knowledge base: pets.csv · 2 questions').waitFor();

  const demo = page.waitForResponse('**/faq_data.csv');
  release();
  await (await demo).finished();
  // The page has the demo's body; let its handler run to the end before looking.
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));
  assert.ok(await page.getByText('Knowledge base: pets.csv · 2 questions').isVisible());
  await send(page, 'What do cats eat?');
  assert.equal((await waitForMessages(page, 'assistant', 1))[0], 'Answer: Fish.');
  await context.close();
});

test('a remembered knowledge base is read after the page is on screen, not while it starts', async () => {
  const context = await ctx.browser.newContext();
  await context.addInitScript(() => {
    localStorage.setItem('chatdeck.faq.custom', JSON.stringify({ name: 'saved.csv', csv: 'Question,Answer\nSaved?,Yes.\n' }));
    // The first text the knowledge-base bar shows.
    new MutationObserver(() => {
      const bar = document.querySelector('.kb-name');
      if (bar && window.__firstBar === undefined) window.__firstBar = bar.textContent;
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  const page = await open(context, `${ctx.site.url}#/faq`);
  await page.getByText('Knowledge base: saved.csv · 1 question').waitFor();
  assert.equal(await page.evaluate(() => window.__firstBar), 'Loading the knowledge base…');
  await context.close();
});
