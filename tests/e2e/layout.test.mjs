// Small screens: at 360 px wide nothing scrolls sideways and every control is
// reachable; with a phone keyboard open (the viewport shrinks, as Chrome on Android
// does with `interactive-widget=resizes-content`) the input and the newest
// message stay visible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, send, waitForMessages, navLink, needs } from './harness.mjs';

const ctx = useSite();
const BOTS = ['customer-service', 'support', 'storyteller', 'faq'];

async function phone(height = 640) {
  const context = await ctx.browser.newContext({ viewport: { width: 360, height }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  return { context, page: await context.newPage() };
}

/** The part of `locator` outside the viewport, in px (0 when fully visible). */
async function outside(page, locator) {
  const box = await locator.boundingBox();
  const { width, height } = page.viewportSize();
  assert.ok(box, 'the element is rendered');
  return Math.max(0, -box.x, -box.y, box.x + box.width - width, box.y + box.height - height);
}

for (const bot of BOTS) {
  test(`${bot} at 360 px: no sideways scroll, input and navigation on screen`, async (t) => {
  if (needs(t, 'narrowViewport')) return;
    const { context, page } = await phone();
    await page.goto(`${ctx.site.url}#/${bot}`);
    await page.locator('h1').waitFor();
    // A long unbroken word must wrap, not widen the page.
    await send(page, `help ${'x'.repeat(300)}`);
    await waitForMessages(page, 'assistant', bot === 'storyteller' ? 2 : 1);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 360, `page is ${wide} px wide`);
    assert.equal(await outside(page, page.getByRole('textbox')), 0, 'input visible');
    for (const name of [/Customer Service/, /Support/, /Storyteller/, /FAQ/]) {
      assert.equal(await outside(page, navLink(page, name)), 0, `${name} reachable`);
    }
    // The conversation's actions, on screen and on one row (the log keeps the height).
    for (const name of ['Export Markdown', 'Export JSON', 'Clear conversation']) {
      assert.equal(await outside(page, page.getByRole('button', { name })), 0, `${name} reachable`);
    }
    // Their tops read in one layout: the bar moves down as the FAQ's bar above it
    // grows (the model's progress), so tops read one at a time may differ.
    const tops = await page.locator('.conversation-actions button').evaluateAll(
      (buttons) => buttons.map((b) => Math.round(b.getBoundingClientRect().top)),
    );
    assert.equal(tops.length, 3);
    assert.equal(new Set(tops).size, 1, `the actions are on one row (tops ${tops})`);
    await context.close();
  });
}

test('with the phone keyboard open, the input and the newest reply stay visible', async (t) => {
  if (needs(t, 'narrowViewport')) return;
  const { context, page } = await phone();
  await page.goto(`${ctx.site.url}#/support`);
  for (const text of ['where is my order', 'ABC12345', 'shipping', 'refund', 'it is broken']) await send(page, text);
  await waitForMessages(page, 'assistant', 5);
  await page.getByRole('textbox').focus();
  const newest = page.locator('[role="log"] [data-role="assistant"]').last();
  // The last element matching `selector` is in the window and, inside the log, in its visible part.
  const onScreen = (selector) => page.waitForFunction((selector) => {
    const els = document.querySelectorAll(selector);
    const r = els[els.length - 1].getBoundingClientRect();
    const log = els[els.length - 1].closest('[role="log"]')?.getBoundingClientRect() ?? { top: 0, bottom: innerHeight };
    return r.top >= Math.max(0, log.top) && r.bottom <= Math.min(innerHeight, log.bottom);
  }, selector);
  await page.setViewportSize({ width: 360, height: 330 }); // about half the screen is keyboard
  await onScreen('textarea');
  assert.equal(await outside(page, page.getByRole('textbox')), 0, 'input visible above the keyboard');
  await onScreen('[role="log"] [data-role="assistant"]');
  assert.equal(await outside(page, newest), 0, 'the newest reply stays visible as the keyboard opens');
  await send(page, 'how long is shipping');
  await waitForMessages(page, 'assistant', 6);
  await onScreen('[role="log"] [data-role="assistant"]');
  assert.equal(await outside(page, newest), 0, 'newest reply visible');
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'TEXTAREA', 'focus stays in the input');
  await context.close();
});
