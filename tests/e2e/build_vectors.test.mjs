// The phrasings the app ships (the demo FAQ's questions, the Customer Service and Support
// intents) are embedded at build time (src/bin/build_vectors.rs) with the model the build
// ships: the worker takes those vectors instead of embedding them in the browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, openApp, send, waitForMessages, requestLog } from './harness.mjs';

const log = requestLog();
const ctx = useSite({ overrides: log });
const built = () => [...log.paths].filter((p) => /^model\/vectors\/[0-9a-f]{16}\/[0-9a-f]{16}-\d+\.f32$/.test(p));

test('the demo FAQ and the bots\' intents use the vectors made at build time', async () => {
  const { page, context, errors } = await openApp(ctx.browser, `${ctx.site.url}#/faq`);
  await page.evaluate(() => {
    window.__preparing = false;
    new MutationObserver(() => {
      if (/Preparing smarter answers/.test(document.body.textContent)) window.__preparing = true;
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.locator('[role="log"][data-understanding="semantic"]').waitFor({ timeout: 90_000 });
  // As many vectors as the demo FAQ has rows (its bar counts them: "7 questions, 49 phrasings").
  const bar = await page.locator('.kb-name').innerText();
  const rows = Number(bar.match(/(\d+) phrasings/)?.[1]);
  assert.ok(rows > 7, `the bar counts the demo's phrasings: ${bar}`);
  assert.ok(built().some((p) => p.endsWith(`-${rows}.f32`)), `the demo FAQ's ${rows} phrasings: ${built()}`);
  assert.equal(await page.evaluate(() => window.__preparing), false, 'nothing was embedded in the browser');
  await send(page, 'which cards can I use at checkout');
  assert.match((await waitForMessages(page, 'assistant', 1))[0], /^Answer: We accept all major credit cards/);

  await page.goto(`${ctx.site.url}#/customer-service`);
  await page.locator('[role="log"][data-understanding="semantic"]').waitFor({ timeout: 90_000 });
  assert.equal(built().length, 2, `the intents' phrasings too: ${built()}`);
  await send(page, "I'd like a different day for it");
  assert.equal((await waitForMessages(page, 'assistant', 1))[0], "Let me help you reschedule. What's your preferred new date?");
  assert.deepEqual(errors, []);
  await context.close();
});
