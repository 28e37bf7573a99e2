// A long conversation in a real browser: the log renders the latest messages and
// the earlier ones on request (scrolling up or the button), keeps the reader's place
// while it adds them, follows new messages again once the reader is back at the
// latest, and the export still holds every message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useSite, openApp, texts, needs, exported } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const AXE = readFileSync(path.join(root, 'tools/node_modules/axe-core/axe.min.js'), 'utf8');
const ctx = useSite();

const ASKED = ['refund', 'track', 'help', 'canel', 'postpone it', 'xyzzy'];
const QUESTIONS = 260; // 520 messages: more than the log renders at once

/** Sends `count` messages through the input, each once the previous reply is shown. */
async function converse(page, count) {
  await page.evaluate(async ([asked, count]) => {
    const box = document.querySelector('textarea');
    const last = () => document.querySelector('[role="log"] .log-inner').lastElementChild;
    for (let i = 0; i < count; i++) {
      const before = last();
      box.value = `${asked[i % asked.length]} #${i}`;
      box.dispatchEvent(new InputEvent('input', { bubbles: true }));
      box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
      while (last() === before || !last().querySelector('[data-role="assistant"]')) {
        await new Promise((ok) => requestAnimationFrame(ok));
      }
    }
  }, [ASKED, count]);
}

/** The conversation as a real click on Export JSON saves it. */
const exportedMessages = async (page) => JSON.parse(await exported(page, 'Export JSON')).messages;

/** Where the Export JSON button is, from the log's top left corner (a notice shown
 *  above the chat would move both), and whether a click at its centre reaches it. */
const exportButton = (page) => page.getByRole('button', { name: 'Export JSON' }).evaluate((button) => {
  const box = button.getBoundingClientRect();
  const log = document.querySelector('[role="log"]').getBoundingClientRect();
  const reached = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) === button;
  return { x: Math.round(box.x - log.x), y: Math.round(box.y - log.y), reached };
});

/** The rendered messages, in order, as [role, text]. */
const rendered = (page) => page.locator('[role="log"] [data-role]').evaluateAll(
  (els) => els.map((e) => [e.dataset.role, e.innerText.trim()]),
);

const atBottom = () => {
  const el = document.querySelector('[role="log"]');
  return el.scrollHeight - el.scrollTop - el.clientHeight < 48;
};

test('a long conversation renders its latest messages, the earlier ones on request, and exports them all', async () => {
  const { page, context, errors } = await openApp(ctx.browser, ctx.site.url);
  await converse(page, QUESTIONS);
  const asked = Array.from({ length: QUESTIONS }, (_, i) => `${ASKED[i % ASKED.length]} #${i}`);

  // Only the latest are rendered, and the log is at the latest.
  const latest = await rendered(page);
  assert.ok(latest.length >= 200 && latest.length < 400, `${latest.length} messages rendered`);
  const latestAsked = latest.filter(([role]) => role === 'user').map(([, text]) => text);
  assert.deepEqual(latestAsked, asked.slice(-latestAsked.length));
  assert.deepEqual(latest.at(-1)[0], 'assistant');
  await page.waitForFunction(atBottom);
  assert.equal(await page.getByRole('log').count(), 1);
  let shown = latest;

  // Scrolling to the top renders earlier messages above, and what the reader was
  // looking at stays where it was.
  const log = page.getByRole('log');
  const offset = () => {
    const [log, mark] = [document.querySelector('[role="log"]'), document.querySelector('[data-mark]')];
    return mark.getBoundingClientRect().top - log.getBoundingClientRect().top;
  };
  // Where the first rendered message will be once the log is scrolled to the top.
  const expected = await page.evaluate(() => {
    const [log, first] = [document.querySelector('[role="log"]'), document.querySelector('[role="log"] [data-role]')];
    first.dataset.mark = 'first';
    return first.getBoundingClientRect().top - log.getBoundingClientRect().top + log.scrollTop;
  });
  // The conversation's actions are in reach, and stay where they are while earlier
  // messages are rendered (they once sat at the top of the log and moved away).
  const actions = await exportButton(page);
  assert.ok(actions.reached, 'Export JSON can be clicked at the latest message');
  await log.evaluate((el) => { el.scrollTop = 0; });
  await page.waitForFunction((n) => document.querySelectorAll('[role="log"] [data-role]').length > n, shown.length);
  await page.waitForFunction(() => document.querySelector('[role="log"]').scrollTop > 0);
  assert.deepEqual(await exportButton(page), actions, 'Export JSON stays in place as earlier messages load');
  shown = await rendered(page);
  assert.deepEqual(shown.slice(-latest.length), latest, 'earlier messages are added above');
  assert.ok(shown.length > latest.length);
  const moved = Math.abs(await page.evaluate(offset) - expected);
  assert.ok(moved < 2, `the message the reader saw stays in place (moved ${moved} px)`);
  assert.equal(await log.evaluate((el) => el.dataset.following), 'false');

  // The button shows the rest, down to the first message.
  // The button shows the rest. It is clicked where it is: scrolling up to it renders
  // earlier messages by itself (and may take the button away before the click).
  assert.equal(await page.getByRole('button', { name: /^Show \d+ earlier messages?$/ }).count(), 1);
  const clickEarlier = () => page.evaluate(() => {
    const button = [...document.querySelectorAll('[role="log"] button')].find((b) => /^Show \d+ earlier messages?$/.test(b.textContent));
    button?.click();
    return Boolean(button);
  });
  while (await clickEarlier()) await page.evaluate(() => new Promise((ok) => requestAnimationFrame(ok)));
  const all = await rendered(page);
  assert.deepEqual(all.filter(([role]) => role === 'user').map(([, text]) => text), asked, 'every message, in order');
  assert.deepEqual((await exportedMessages(page)).map((m) => [m.role, m.text]), all, 'the export holds every message');

  // Back to the latest: the log follows again and lets the earliest go.
  await page.getByRole('textbox').fill('help');
  await page.getByRole('textbox').press('Enter');
  await page.waitForFunction(atBottom);
  await page.waitForFunction((n) => document.querySelectorAll('[role="log"] [data-role]').length < n, all.length);
  assert.equal(await log.evaluate((el) => el.dataset.following), 'true');
  assert.deepEqual((await texts(page, 'user')).at(-1), 'help');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a long conversation reloads at its latest message, earlier ones one scroll away', async (t) => {
  if (needs(t, 'colorScheme')) return;
  const { page, context } = await openApp(ctx.browser, ctx.site.url);
  await converse(page, QUESTIONS);
  const all = (await exportedMessages(page)).map((m) => [m.role, m.text]);
  await page.reload();
  await page.locator('[role="log"] [data-role]').last().waitFor();
  const shown = await rendered(page);
  assert.ok(shown.length >= 200 && shown.length < 400, `${shown.length} messages rendered`);
  assert.deepEqual(shown, all.slice(-shown.length));
  await page.waitForFunction(atBottom);
  await page.getByRole('button', { name: /^Show \d+ earlier messages?$/ }).waitFor();
  await page.evaluate(AXE);
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    }));
    assert.deepEqual(violations.map((v) => `${v.id}: ${v.help}`), [], `axe, ${colorScheme} theme`);
  }
  assert.deepEqual((await exportedMessages(page)).map((m) => [m.role, m.text]), all, 'nothing lost in the reload');
  await context.close();
});
