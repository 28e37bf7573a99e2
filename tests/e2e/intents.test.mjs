// The Customer Service and Support bots understand customers' own words where the seed's
// rules find nothing (issue 12, item 5): a message the rules place never loads the model;
// the first one they cannot place starts it (that one is answered lexically), and once the
// log says data-understanding="semantic", paraphrases get the seed's own replies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, openApp, send, waitForMessages, requestLog } from './harness.mjs';

const log = requestLog();
const ctx = useSite({ overrides: log });
const modelRequested = () => [...log.paths].some((p) => p.startsWith('model/minilm.gguf'));

const POSTPONE = "I'll help you postpone your delivery. When would you like it delivered?";
const RESCHEDULE = "Let me help you reschedule. What's your preferred new date?";
const FALLBACK = "I didn't understand that. Type 'help' for available commands.";
const SHIPPING = '🚚 Standard: 3–5 days | Express: 1–2 days';

function semantic(page) {
  return page.locator('[role="log"][data-understanding="semantic"]').waitFor({ timeout: 90_000 });
}

test('Customer Service: the seed\'s commands first; its own words once the model is loaded', async () => {
  const { page, context, errors } = await openApp(ctx.browser, `${ctx.site.url}#/customer-service`);
  await send(page, 'cancle order');
  assert.equal((await waitForMessages(page, 'assistant', 1))[0], 'I can help you cancel your order. Please provide your order number.');
  await page.waitForTimeout(300);
  assert.equal(modelRequested(), false, 'a message the rules place loads no model');

  // Not placed by the rules: the lexical tier answers now, and the model starts loading.
  await send(page, 'my cat is sleeping on the sofa');
  assert.equal((await waitForMessages(page, 'assistant', 2))[1], FALLBACK);
  await semantic(page);
  assert.ok(modelRequested());

  await send(page, "I'd like a different day for it");
  assert.equal((await waitForMessages(page, 'assistant', 3))[2], RESCHEDULE);
  await send(page, 'could you push my delivery back a few days');
  assert.equal((await waitForMessages(page, 'assistant', 4))[3], POSTPONE);
  // The seed's own commands are untouched.
  await send(page, 'help');
  assert.equal((await waitForMessages(page, 'assistant', 5))[4], 'Available commands: cancel, postpone, reschedule, status, refund, help');
  assert.deepEqual(errors, []);
  await context.close();
});

test('Support: intents without the seed\'s keywords start the dialog the seed would', async () => {
  const { page, context, errors } = await openApp(ctx.browser, `${ctx.site.url}#/support`);
  await send(page, 'do you post to other countries?');
  await waitForMessages(page, 'assistant', 1);
  await semantic(page);
  await send(page, 'is there a faster option to get it?');
  assert.equal((await waitForMessages(page, 'assistant', 2))[1], SHIPPING);
  await send(page, 'nothing has shown up at my door yet');
  assert.equal((await waitForMessages(page, 'assistant', 3))[2], 'Please provide your Order ID to check status.');
  await send(page, 'ABC12345');
  assert.match((await waitForMessages(page, 'assistant', 4))[3], /^✅ Order ABC12345 found\./);
  assert.deepEqual(errors, []);
  await context.close();
});
