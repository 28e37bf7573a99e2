// Before the app's code has arrived: index.html draws the chat's frame with a message box
// that takes typing at once (src/web/boot.rs). When the app starts it takes what was typed
// there, sends a message that was already sent (once the bot's data is in), and draws
// itself in its place. The wasm is held back by the test server to make "before" last.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { DIST, serve, launch, texts, waitForMessages } from './harness.mjs';

const WASM = readdirSync(DIST).find((f) => /^chatdeck-[0-9a-f]{16}_bg\.wasm$/.test(f));
const overrides = new Map();
let browser, site;
before(async () => {
  browser = await launch();
  site = await serve(DIST, '/', overrides);
});
after(async () => {
  await browser?.close();
  await site?.close();
});

/** Holds every download of `file` until the returned function is called. */
function hold(file, type) {
  let release;
  const released = new Promise((ok) => { release = ok; });
  overrides.set(file, async (req, res, original) => {
    await released;
    const body = await original();
    res.writeHead(200, { 'content-type': type }).end(body);
  });
  return () => { overrides.delete(file); release(); };
}
const holdTheApp = () => hold(WASM, 'application/wasm');

test('a question sent before the app has started is answered from the order data once it has', async () => {
  const release = holdTheApp();
  const releaseOrders = hold('orders.csv', 'text/csv; charset=utf-8');
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${site.url}#/support`);
    const box = page.getByRole('textbox', { name: 'Message the Support bot' });
    assert.equal(await box.getAttribute('placeholder'), 'Ask me about your order...');
    assert.equal(await page.getByRole('navigation', { name: 'Bots' }).getByRole('link', { name: 'Support' }).getAttribute('aria-current'), 'page');
    await box.fill('where is my order ZX81CD?');
    await box.press('Enter');
    await page.getByText('Starting… your message is sent in a moment.').waitFor();
    assert.equal(await page.locator('h1').count(), 0, 'the app has not started yet');
    release();
    // Started, with the orders still on their way: the question waits in the box.
    await page.locator('h1').waitFor();
    assert.equal(await page.getByRole('textbox').inputValue(), 'where is my order ZX81CD?');
    assert.equal(await page.locator('[data-role]').count(), 0, 'not sent before the orders are in');
    releaseOrders();
    const replies = await waitForMessages(page, 'assistant', 1);
    assert.match(replies[0], /^✅ Order ZX81CD found\. Status: Delivered\./, 'answered from orders.csv, not told to wait');
    assert.deepEqual(await texts(page, 'user'), ['where is my order ZX81CD?']);
    assert.equal(await page.getByRole('textbox').inputValue(), '', 'sent, so no longer a draft');
    assert.equal(await page.locator('#chatdeck-boot-shell').count(), 0, "the page's frame is gone");
  } finally {
    release();
    releaseOrders();
    await context.close();
  }
});

test('a draft typed before the app has started stays in the box, with the focus', async () => {
  const release = holdTheApp();
  const context = await browser.newContext();
  try {
    // The app's box must have the focus by the time the loader says the app has started
    // (no task in between): a key pressed then must not land on <body>, the page's box
    // being gone.
    await context.addInitScript(() => addEventListener('TrunkApplicationStarted', () => {
      const e = document.activeElement;
      window.focusAtStart = e?.isConnected && !e.closest('#chatdeck-boot-shell') ? e.getAttribute('aria-label') : e?.localName;
    }));
    const page = await context.newPage();
    await page.goto(`${site.url}#/faq`);
    const box = page.getByRole('textbox', { name: 'Message the FAQ bot' });
    assert.equal(await box.getAttribute('placeholder'), 'Ask me anything about our services...');
    await box.fill('how long does shipping');
    await box.focus();
    release();
    await page.locator('h1').waitFor();
    assert.equal(await page.getByRole('textbox').inputValue(), 'how long does shipping');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Message the FAQ bot');
    assert.equal(await page.evaluate(() => window.focusAtStart), 'Message the FAQ bot', 'the focus moved as the app started, not a frame later');
    assert.equal(await page.locator('[data-role]').count(), 0, 'a draft is not sent');
  } finally {
    release();
    await context.close();
  }
});
