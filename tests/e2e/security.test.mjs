// Hostile input through the real UI, in every bot: markup shows as text and never
// runs; very long and odd text gets a sensible reply and the page stays responsive;
// the Content-Security-Policy blocks any inline script that is not Trunk's loader
// (and eval: no 'unsafe-eval'; DevTools-driven evaluation cannot show that, so the
// policy text is checked).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useSite, send, waitForMessages, ordersIn, needs } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const decode = (line) => line.replace(/\\n/g, '\n').replace(/\\u([0-9a-fA-F]{4})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
const CORPUS = readFileSync(path.join(root, 'tests/data/hostile.txt'), 'utf8')
  .split('\n').filter((l) => l && !l.startsWith('#')).map(decode);
// What each bot answers to the corpus, from the engine itself (tests/hostile_replies.rs
// keeps the file true): per bot, each message as the bot receives it and its replies
// as plain text.
const EXPECTED = JSON.parse(readFileSync(path.join(root, 'tests/data/hostile_replies.json'), 'utf8'));
// The FAQ's semantic tier would answer some hostile questions otherwise once its model is
// in; the expected replies are the lexical tier's, which answers when the model fails: the
// model is missing on this site (a server answer, so every engine sees the same).
const ctx = useSite({ overrides: new Map([['model/minilm.gguf', (req, res) => res.writeHead(404).end('not found')]]) });

/** Without white space and list bullets: rendered Markdown lays text out in
 *  paragraphs, lines and list items; every other character must be there, in order. */
const letters = (text) => text.replace(/[\s•]/g, '');

/** The log in order: each user message's exact text, and the texts of the assistant
 *  messages that follow it. */
async function exchanges(page) {
  const log = await page.locator('[role="log"] [data-role]').evaluateAll((els) =>
    els.map((e) => ({ role: e.dataset.role, text: e.textContent })));
  const out = [];
  for (const { role, text } of log) {
    if (role === 'user') out.push({ input: text, replies: [] });
    else if (out.length) out.at(-1).replies.push(text);
    else out.push({ input: null, replies: [text] }); // a reply to nothing: must not happen
  }
  return out;
}

for (const bot of ['customer-service', 'support', 'storyteller', 'faq']) {
  test(`${bot}: every hostile input is shown as sent, answered as the engine answers, and never executed`, async () => {
    const expected = EXPECTED[bot];
    // The messages as the app receives them: trimmed (blank ones are not sent), and
    // a lone surrogate becomes U+FFFD on the way into Rust.
    const sent = CORPUS.map((i) => i.trim()).filter((i) => i).map((i) => i.toWellFormed());
    assert.deepEqual(expected.map((e) => e.input), sent, 'hostile_replies.json is made from this corpus');

    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    const violations = [];
    page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text()); });
    // The Support bot loads its orders when opened: an order ID in the corpus is looked
    // up, not told to wait.
    const orders = bot === 'support' && page.waitForResponse((r) => r.url().endsWith('/orders.csv'));
    await page.goto(`${ctx.site.url}#/${bot}`);
    await page.locator('h1').waitFor();
    await orders;
    if (bot === 'storyteller') await page.getByRole('radio', { name: 'Instant' }).click();
    if (bot === 'faq') await page.getByText('Knowledge base: demo FAQ · 7 questions').waitFor();
    let messages = 0;
    for (const input of CORPUS) {
      await send(page, input);
      if (!input.trim()) continue; // blank: ignored, as it should be
      messages += 1;
      await page.waitForFunction((n) => document.querySelectorAll('[role="log"] [data-role="user"]').length >= n, messages);
      await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
    }
    const shown = await exchanges(page);
    assert.equal(shown.length, expected.length, 'one user message per input sent');
    for (const [i, { input, replies }] of expected.entries()) {
      assert.equal(shown[i].input, input, `message ${i} is shown exactly as sent`);
      assert.deepEqual(shown[i].replies.map(letters), replies.map(letters), `the reply to ${JSON.stringify(input)}`);
    }
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('[role="log"] :is(img, script, svg:not(.copy svg), iframe, style, details, a[href^="javascript"])').count(), 0);
    assert.deepEqual(violations, [], 'the app itself never trips the CSP');
    await context.close();
  });
}

test('a 1 MB paste is refused with a message and kept in the box', async () => {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${ctx.site.url}#/faq`);
  await page.getByText('Knowledge base: demo FAQ · 7 questions').waitFor();
  const huge = 'how do i track my order '.repeat(43_700); // about 1 MB
  const box = page.getByRole('textbox');
  const worst = await page.evaluate(async (text) => {
    // Longest main-thread task while the paste is processed and sent.
    let longest = 0;
    new PerformanceObserver((list) => { for (const e of list.getEntries()) longest = Math.max(longest, e.duration); })
      .observe({ type: 'longtask', buffered: false });
    const area = document.querySelector('textarea');
    area.value = text;
    area.dispatchEvent(new Event('input', { bubbles: true }));
    area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await new Promise((r) => setTimeout(r, 500));
    return longest;
  }, huge);
  await page.getByText(/the limit is 4000/).waitFor();
  assert.equal((await box.inputValue()).length, huge.length);
  assert.equal(await page.locator('[data-role]').count(), 0);
  // A measurement, not a bar: timings belong to the benchmarks (a loaded machine is slow).
  console.log(`worst main-thread task with a 1 MB paste: ${worst.toFixed(0)} ms`);
  await context.close();
});

test('the Content-Security-Policy blocks injected inline script', async () => {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  await page.goto(ctx.site.url);
  await page.locator('h1').waitFor();
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/);
  const ran = await page.evaluate(async () => {
    const reported = new Promise((resolve) =>
      document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true }));
    const s = document.createElement('script');
    s.textContent = 'window.__inline = 1';
    document.body.append(s);
    return { inline: window.__inline, directive: await reported };
  });
  assert.deepEqual(ran, { inline: undefined, directive: 'script-src-elem' });
  await context.close();
});

// The same tricks inside the data files a shop or a stranger's URL may supply.
const TRICK = '<img src=x onerror="window.__pwned=20"> **bold** [x](javascript:window.__pwned=21) <svg onload="window.__pwned=22">';
const HOSTILE_DATA = {
  'orders.csv': `id,status,expected_delivery,items\nEVIL1234,"${TRICK.replaceAll('"', '""')}",<script>window.__pwned=23</script>,"${TRICK.replaceAll('"', '""')}"\n`,
  'stories.json': JSON.stringify({
    version: 1,
    themes: [{ name: 'pirates', keywords: ['pirate'], stories: [{ title: `<b>${TRICK}</b>`, segments: [TRICK, `<script>window.__pwned=24</script>`] }] }],
    default_stories: [{ title: 'x', segments: [TRICK] }],
  }),
  'faq_data.csv': `Question,Answer\n"How do I <img src=x onerror=""window.__pwned=25""> pay?","${TRICK.replaceAll('"', '""')}"\n`,
};

test('markup inside order, story and FAQ data is shown as text and never runs', async (t) => {
  if (needs(t, 'route')) return;
  const context = await ctx.browser.newContext({ serviceWorkers: 'block' });
  for (const [file, body] of Object.entries(HOSTILE_DATA)) {
    await context.route(`**/${file}`, (route) => route.fulfill({ status: 200, contentType: 'text/plain', body }));
  }
  const page = await context.newPage();
  await page.goto(`${ctx.site.url}#/support`);
  await ordersIn(page);
  await send(page, 'where is my order EVIL1234');
  assert.match((await waitForMessages(page, 'assistant', 1))[0], /<img src=x onerror="window.__pwned=20">/);

  await page.getByRole('navigation', { name: 'Bots' }).getByRole('link', { name: /Storyteller/ }).click();
  await page.getByRole('radio', { name: 'Instant' }).click();
  await send(page, 'a pirate story');
  const story = (await waitForMessages(page, 'assistant', 2))[1];
  assert.match(story, /<script>window.__pwned=24<\/script>/);
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));

  await page.getByRole('navigation', { name: 'Bots' }).getByRole('link', { name: /FAQ/ }).click();
  await page.getByText('Knowledge base: demo FAQ · 1 question').waitFor();
  await page.getByRole('textbox').fill('how do i pay');
  await page.getByRole('option').first().waitFor(); // the suggestion shows the question as text
  await page.getByRole('textbox').press('Enter');
  assert.match((await waitForMessages(page, 'assistant', 1))[0], /javascript:window.__pwned=21/);

  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('main').count(), 1);
  assert.equal(await page.locator('main :is(img, script, svg:not(.copy svg):not(button svg), iframe, b, a[href^="javascript"])').count(), 0);
  await context.close();
});
