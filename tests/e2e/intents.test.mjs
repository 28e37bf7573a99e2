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

/** Makes the model worker stop as a trapped one does, when the page next asks it for a
 *  question's vector while `window.__stopNext` is set: the worker is terminated and an
 *  `error` event (what WebKit fires when the worker's wasm traps) reaches the page. Counts
 *  the workers started in `window.__workers`. */
function stoppableWorkers() {
  const Native = window.Worker;
  window.__workers = 0;
  window.__stopNext = false;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      window.__workers += 1;
    }
    postMessage(message, ...rest) {
      if (window.__stopNext && message?.type === 'embed' && !message.keep) {
        window.__stopNext = false;
        // The event first: WebKit dispatches none on a terminated worker.
        this.dispatchEvent(new ErrorEvent('error', { message: 'RuntimeError: Out of bounds memory access' }));
        this.terminate();
        return;
      }
      super.postMessage(message, ...rest);
    }
  };
}

test('a model worker that stops by itself is replaced and the question still understood; after two, Retry is offered', async () => {
  const context = await ctx.browser.newContext();
  await context.addInitScript(stoppableWorkers);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${ctx.site.url}#/customer-service`);
  await send(page, 'my cat is sleeping on the sofa');
  await waitForMessages(page, 'assistant', 1);
  await semantic(page);
  const stopNext = () => page.evaluate(() => { window.__stopNext = true; });

  await stopNext();
  await send(page, "I'd like a different day for it");
  assert.equal((await waitForMessages(page, 'assistant', 2))[1], RESCHEDULE);
  await stopNext();
  await send(page, 'could you push my delivery back a few days');
  assert.equal((await waitForMessages(page, 'assistant', 3))[2], POSTPONE);
  assert.equal(await page.evaluate(() => window.__workers), 3, 'a new worker each time');
  assert.equal(await page.locator('.notice', { hasText: 'Smarter answers are unavailable' }).count(), 0);

  // A third stop in one visit is told, the question is answered by matching words, and
  // Retry brings the model back.
  await stopNext();
  await send(page, "I'd like a different day for it");
  // (What matching words makes of it: the model's answer is RESCHEDULE.)
  assert.equal((await waitForMessages(page, 'assistant', 4))[3], "I'm not sure which you need. Did you mean:\n\nrefund\nreschedule");
  const notice = page.locator('.notice', { hasText: 'Smarter answers are unavailable: the model stopped (RuntimeError: Out of bounds memory access)' });
  await notice.waitFor();
  await notice.getByRole('button', { name: 'Retry' }).click();
  await semantic(page);
  await send(page, 'could you push my delivery back a few days');
  assert.equal((await waitForMessages(page, 'assistant', 5))[4], POSTPONE);
  assert.deepEqual(errors, []);
  await context.close();
});
