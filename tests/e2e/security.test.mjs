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
import { useSite, send, texts, waitForMessages } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const decode = (line) => line.replace(/\\n/g, '\n').replace(/\\u([0-9a-fA-F]{4})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
const CORPUS = readFileSync(path.join(root, 'tests/data/hostile.txt'), 'utf8')
  .split('\n').filter((l) => l && !l.startsWith('#')).map(decode);
const ctx = useSite();

for (const bot of ['customer-service', 'support', 'storyteller', 'faq']) {
  test(`${bot}: every hostile input is shown as text, answered, and never executed`, async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    const violations = [];
    page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text()); });
    await page.goto(`${ctx.site.url}#/${bot}`);
    await page.locator('h1').waitFor();
    if (bot === 'storyteller') await page.getByRole('radio', { name: 'Instant' }).click();
    let replies = 0;
    for (const input of CORPUS) {
      await send(page, input);
      if (!input.trim()) continue; // blank: ignored, as it should be
      replies += 1;
      await page.waitForFunction((n) => document.querySelectorAll('[role="log"] [data-role="user"]').length >= n, replies);
      await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
    }
    const users = await texts(page, 'user');
    const sent = CORPUS.filter((i) => i.trim()).map((i) => i.trim());
    // The browser shows what was sent (innerText normalises a few characters: NUL, CR).
    assert.equal(users.length, sent.length);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('[role="log"] :is(img, script, svg:not(.copy svg), iframe, style, details, a[href^="javascript"])').count(), 0);
    const assistantCount = (await texts(page, 'assistant')).length;
    assert.ok(assistantCount >= sent.length, 'every message got a reply');
    assert.deepEqual(violations, [], 'the app itself never trips the CSP');
    await context.close();
  });
}

test('a 1 MB paste is refused with a message, kept in the box, and the main thread stays free', async () => {
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
  console.log(`worst main-thread task with a 1 MB paste: ${worst.toFixed(0)} ms`);
  assert.ok(worst < 1_000, `the page stayed responsive (${worst} ms)`);
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

test('markup inside order, story and FAQ data is shown as text and never runs', async () => {
  const context = await ctx.browser.newContext({ serviceWorkers: 'block' });
  for (const [file, body] of Object.entries(HOSTILE_DATA)) {
    await context.route(`**/${file}`, (route) => route.fulfill({ status: 200, contentType: 'text/plain', body }));
  }
  const page = await context.newPage();
  await page.goto(`${ctx.site.url}#/support`);
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
