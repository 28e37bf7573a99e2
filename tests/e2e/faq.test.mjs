// The FAQ bot (Topic 10.4) in a real browser: answers in the seed's format,
// "Did you mean", the fallback, suggestions while typing, the user's own CSV
// (accepted, remembered, rejected without losing the one in use), and ?faq=URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useSite, openApp, send, texts, waitForMessages } from './harness.mjs';

const RETURNS = 'Answer: We accept returns within 30 days of purchase. Items must be in original condition with tags attached.';

const ctx = useSite();
const dir = mkdtempSync(path.join(tmpdir(), 'chatdeck-faq-'));

async function faqApp({ semantic = false } = {}) {
  const app = await openApp(ctx.browser, `${ctx.site.url}#/faq`);
  await app.page.getByText('Knowledge base: demo FAQ · 7 questions').waitFor();
  // Paraphrases with no word in common with the FAQ ("money back" for "return policy") are
  // the semantic tier's: wait until the model and the FAQ's vectors are ready.
  if (semantic) await app.page.locator('[role="log"][data-understanding="semantic"]').waitFor({ timeout: 60_000 });
  return app;
}

test('answers paraphrases in the seed format and says which question it matched', async () => {
  const { page, context, errors } = await faqApp({ semantic: true });
  assert.equal(await page.getByRole('textbox').getAttribute('placeholder'), 'Ask me anything about our services...');
  await send(page, 'how long do i have to return an item');
  const [answer] = await waitForMessages(page, 'assistant', 1);
  assert.equal(answer, `${RETURNS}\n\nThis answer is for: What is your return policy?`);
  assert.equal(await page.locator('[data-role="assistant"] strong').first().innerText(), 'Answer:');
  assert.equal(await page.locator('[data-role="assistant"] em').first().innerText(), 'This answer is for: What is your return policy?');
  await send(page, 'what is your return policy?');
  assert.equal((await waitForMessages(page, 'assistant', 2))[1], RETURNS, 'no note when the question was asked as is');
  assert.deepEqual(errors, []);
  await context.close();
});

test('falls back with the seed topics as one-click suggestions, and asks "did you mean" when two fit', async () => {
  const { page, context } = await faqApp({ semantic: true });
  await send(page, "what's the weather today");
  const [fallback] = await waitForMessages(page, 'assistant', 1);
  assert.match(fallback, /^I don't have a specific answer\. Try these topics:/);
  for (const topic of ['Order Tracking', 'Returns', 'Shipping', 'Payment', 'Account']) assert.match(fallback, new RegExp(topic));
  await page.getByRole('group', { name: 'Suggested follow-ups' }).getByRole('button', { name: 'Returns' }).click();
  const replies = await waitForMessages(page, 'assistant', 2);
  assert.match(replies[1], /^Answer: We accept returns within 30 days/);
  // "shipping?" fits both shipping answers about equally: the bot asks which one was meant.
  await send(page, 'shipping?');
  assert.match((await waitForMessages(page, 'assistant', 3))[2], /Did you mean/);
  await page.getByRole('button', { name: 'Do you offer international shipping?' }).click();
  const last = await waitForMessages(page, 'assistant', 4);
  assert.match(last[3], /^Answer: Yes we ship to most countries\./);
  assert.deepEqual((await texts(page, 'user')).slice(1), ['Returns', 'shipping?', 'Do you offer international shipping?']);
  await context.close();
});

test('suggests questions while typing, navigable by keyboard', async () => {
  const { page, context } = await faqApp();
  const box = page.getByRole('textbox');
  await box.pressSequentially('how do i can');
  const list = page.getByRole('listbox', { name: 'Matching questions' });
  await list.waitFor();
  assert.equal(await list.getByRole('option').first().innerText(), 'How do I cancel my order?');
  await box.press('ArrowDown');
  assert.equal(await list.getByRole('option').first().getAttribute('aria-selected'), 'true');
  await box.press('Enter');
  const [answer] = await waitForMessages(page, 'assistant', 1);
  assert.match(answer, /^Answer: Orders can be canceled within 2 hours/);
  assert.deepEqual(await texts(page, 'user'), ['How do I cancel my order?']);
  await box.pressSequentially('pay');
  await list.waitFor();
  await box.press('Escape');
  assert.equal(await list.count(), 0);
  await context.close();
});

test('loads the user\'s CSV, remembers it, and rejects a broken one without losing it', async () => {
  const { page, context } = await faqApp();
  const good = path.join(dir, 'pets.csv');
  writeFileSync(good, 'Category,question,ANSWER,Extra\nFood,"What do cats eat?","Fish, mostly ""good"" fish",x\nCare,How often should I walk my dog?,Twice a day.,y\n');
  await page.locator('input[type="file"]').setInputFiles(good);
  await page.getByText('Knowledge base: pets.csv · 2 questions').waitFor();
  await send(page, 'wat do cats eat');
  assert.equal((await waitForMessages(page, 'assistant', 1))[0], 'Answer: Fish, mostly "good" fish\n\nThis answer is for: What do cats eat?');
  await send(page, 'do you ship to canada');
  await waitForMessages(page, 'assistant', 2);
  const topics = page.locator('[data-role="assistant"]').nth(1).locator('li');
  assert.deepEqual(await topics.allInnerTexts(), ['Food', 'Care'], 'topics from the Category column, as a list');

  const broken = path.join(dir, 'broken.csv');
  writeFileSync(broken, 'Question,Answer\nFine?,Yes\n"Unclosed,oops\n');
  await page.locator('input[type="file"]').setInputFiles(broken);
  await page.getByText(/"broken\.csv" cannot be used: a quoted field opened on line 3 is never closed\. The knowledge base in use \(pets\.csv\) stays\./).waitFor();
  const noAnswer = path.join(dir, 'no-answer.csv');
  writeFileSync(noAnswer, 'Question,Answer\nA?,b\nC?,\n');
  await page.locator('input[type="file"]').setInputFiles(noAnswer);
  await page.getByText(/line 3 has a question but no answer/).waitFor();
  assert.ok(await page.getByText('Knowledge base: pets.csv · 2 questions').isVisible());

  await page.reload();
  await page.getByText('Knowledge base: pets.csv · 2 questions').waitFor();
  await page.getByRole('button', { name: 'Use the demo FAQ' }).click();
  await page.getByText('Knowledge base: demo FAQ · 7 questions').waitFor();
  await context.close();
});

test('accepts a dropped file and refuses an oversized one at once', async () => {
  const { page, context } = await faqApp();
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['Question,Answer\nIs it dropped?,It is.\n'], 'dropped.csv', { type: 'text/csv' }));
    document.querySelector('.with-bar').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.getByText('Knowledge base: dropped.csv · 1 question').waitFor();
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(50 * 1024 * 1024)], 'huge.csv'));
    document.querySelector('.with-bar').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.getByText(/"huge\.csv" cannot be used: the file is 50\.0 MB; the limit is 20 MB/).waitFor();
  assert.ok(await page.getByText('Knowledge base: dropped.csv · 1 question').isVisible());
  await context.close();
});

test('?faq=URL points the bot at another CSV; a failed one is reported', async () => {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${ctx.site.url}?faq=orders.csv#/faq`);
  await page.getByText(/The knowledge base orders\.csv is unavailable: it is not a usable FAQ file: the first line needs a "Question" column/).waitFor();
  await send(page, 'refund');
  assert.match((await waitForMessages(page, 'assistant', 1))[0], /can't answer questions right now/);
  await context.close();
});
