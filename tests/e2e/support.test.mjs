// The support dialog (Topic 10.2) in a real browser: a full dialog, a reload in the
// middle of one, changing one's mind, and a failed orders fetch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, openApp, send, texts, waitForMessages, ordersIn, needs, exported } from './harness.mjs';

const ASK_ID = 'Please provide your Order ID to check status.';
const ASK_REASON = 'Why would you like to return your item?';
const SHIPPING = '🚚 Standard: 3–5 days | Express: 1–2 days';

const ctx = useSite();

test('checks an order, notes a refund and answers shipping, with the seed placeholder', async () => {
  const { page, context, errors } = await openApp(ctx.browser, `${ctx.site.url}#/support`);
  const box = page.getByRole('textbox', { name: 'Message the Support bot' });
  assert.equal(await box.getAttribute('placeholder'), 'Ask me about your order...');
  const script = ['track my order', 'abc12345', 'I want a refund', 'it arrived scratched', 'how long is shiping?'];
  for (const [i, line] of script.entries()) {
    await send(page, line);
    await waitForMessages(page, 'assistant', i + 1);
  }
  assert.deepEqual(await texts(page, 'assistant'), [
    ASK_ID,
    '✅ Order ABC12345 found. Status: Shipped. Expected delivery: 2026-11-27. Items: Laptop 14" (Silver); USB-C charger 65W.',
    ASK_REASON,
    'Refund noted: it arrived scratched. Our team will email you in 24h.',
    SHIPPING,
  ]);
  assert.deepEqual(errors, []);
  await context.close();
});

test('keeps waiting for the order ID across a reload, and lets the user change their mind', async () => {
  const { page, context } = await openApp(ctx.browser, `${ctx.site.url}#/support`);
  await send(page, 'where is my package?');
  await waitForMessages(page, 'assistant', 1);
  await page.reload();
  await waitForMessages(page, 'assistant', 1);
  // The orders load again after the reload (Firefox and WebKit are slower to get there).
  await ordersIn(page);
  await send(page, 'ZX81CD');
  const replies = await waitForMessages(page, 'assistant', 2);
  assert.match(replies[1], /^✅ Order ZX81CD found\. Status: Delivered\./);
  await send(page, 'status please');
  await waitForMessages(page, 'assistant', 3);
  await send(page, 'actually, how long does delivery take?');
  assert.equal((await waitForMessages(page, 'assistant', 4))[3], SHIPPING);
  await send(page, 'track');
  await waitForMessages(page, 'assistant', 5);
  await send(page, 'never mind');
  assert.match((await waitForMessages(page, 'assistant', 6))[5], /^No problem, let's start over\./);
  await context.close();
});

test('a failed orders fetch is told plainly and everything else keeps working', async (t) => {
  if (needs(t, 'route')) return;
  const context = await ctx.browser.newContext();
  await context.route('**/orders.csv', (route) => route.fulfill({ status: 404, body: 'nope' }));
  const page = await context.newPage();
  await page.goto(`${ctx.site.url}#/support`);
  await page.getByText(/Order lookups are unavailable: the order data could not be loaded: HTTP 404/).waitFor();
  await send(page, 'status of ABC12345');
  const [lookup] = await waitForMessages(page, 'assistant', 1);
  assert.match(lookup, /can't reach the order system right now/);
  await send(page, 'refund because it is broken');
  assert.equal((await waitForMessages(page, 'assistant', 2))[1], 'Refund noted: it is broken. Our team will email you in 24h.');
  // The network is back: Retry loads the orders and lookups work. The notice goes
  // at the click, the orders come later: the test waits for the news that they came.
  await context.unroute('**/orders.csv');
  await page.getByRole('button', { name: 'Retry' }).click();
  await page.getByText('The order data is loaded: order lookups work again.').waitFor();
  assert.equal(await page.getByText('Order lookups are unavailable').count(), 0);
  await send(page, 'status of ABC12345');
  assert.match((await waitForMessages(page, 'assistant', 3))[2], /^✅ Order ABC12345 found\./);
  await context.close();
});

test('while Retry is on its way, a lookup says the orders are loading, not that they cannot be reached', async (t) => {
  if (needs(t, 'route')) return;
  const context = await ctx.browser.newContext({ serviceWorkers: 'block' });
  let release;
  const answered = new Promise((ok) => { release = ok; });
  let attempts = 0;
  await context.route('**/orders.csv', async (route) => {
    attempts += 1;
    if (attempts === 1) return route.fulfill({ status: 503, body: 'busy' });
    await answered; // the retry is held until the lookup below has been answered
    return route.continue();
  });
  const page = await context.newPage();
  await page.goto(`${ctx.site.url}#/support`);
  await page.getByText(/Order lookups are unavailable: the order data could not be loaded: HTTP 503/).waitFor();
  await page.getByRole('button', { name: 'Retry' }).click();
  await send(page, 'status of ABC12345');
  const [pending] = await waitForMessages(page, 'assistant', 1);
  assert.match(pending, /^The order system is still loading, so I can't look up ABC12345 yet\./);
  release();
  await page.getByText('The order data is loaded: order lookups work again.').waitFor();
  // The bot kept waiting for the ID: sending it again looks it up.
  await send(page, 'ABC12345');
  assert.match((await waitForMessages(page, 'assistant', 2))[1], /^✅ Order ABC12345 found\./);
  await context.close();
});

test('exports the conversation as Markdown and JSON, and clears it only after confirmation', async () => {
  const { page, context } = await openApp(ctx.browser, `${ctx.site.url}#/support`);
  await send(page, 'track my order');
  await waitForMessages(page, 'assistant', 1);
  for (const [label, check] of [
    ['Export Markdown', (t) => assert.match(t, /^# chatdeck — Support\n\n\*\*You:\*\*\n\n> track my order\n\n\*\*Support:\*\*\n\nPlease provide your Order ID/)],
    ['Export JSON', (t) => assert.deepEqual(JSON.parse(t).messages.map((m) => m.role), ['user', 'assistant'])],
  ]) {
    check(await exported(page, label));
  }
  await page.getByRole('button', { name: 'Clear conversation' }).click();
  await page.getByRole('button', { name: 'Keep it' }).click();
  assert.equal(await page.locator('[data-role]').count(), 2, 'kept');
  await page.getByRole('button', { name: 'Clear conversation' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Clear' }).click();
  assert.equal(await page.locator('[data-role]').count(), 0);
  await page.reload();
  await page.locator('h1').waitFor();
  assert.equal(await page.locator('[data-role]').count(), 0, 'cleared for good');
  // Before clearing, the bot waited for an order ID; "12" would have been an invalid one.
  await send(page, '12');
  assert.match((await waitForMessages(page, 'assistant', 1))[0], /^I can help with order status, refunds, or shipping info/, 'the dialog state was cleared too');
  await context.close();
});
