// "Which questions does my FAQ fail?" (#/report): a file of customer questions becomes
// a table of what the FAQ bot does with each, with a summary, sorting and filtering, a
// CSV download that matches the table, 10,000 questions with a progress bar, another
// FAQ file, "Copy as FAQ row", and this browser's own FAQ misses as the questions.
// The page is a bundle of its own, downloaded only when it is opened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useSite, openApp, send, waitForMessages, needs, openBot } from './harness.mjs';

/** Every path the test site served, and the report bundle's files made to fail when
 *  `failBundle` is set (404, as a host without them would answer). */
const served = new Set();
let failBundle = false;
const BUNDLE = ['report_loader.js', 'report_page.js', 'report_page_bg.wasm'];
const ctx = useSite({
  overrides: {
    has: () => false,
    get: (rel) => {
      served.add(rel);
      if (failBundle && BUNDLE.includes(rel)) return (req, res) => res.writeHead(404).end('not found');
      return undefined;
    },
  },
});
const dir = mkdtempSync(path.join(tmpdir(), 'chatdeck-report-'));

/** RFC 4180 records (quoted fields with commas, doubled quotes and line breaks). */
function parseCsv(text) {
  const records = [];
  let record = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { record.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { record.push(field); records.push(record); record = []; field = ''; i++; }
    else field += c;
  }
  if (field || record.length) { record.push(field); records.push(record); }
  return records;
}

/** The table as shown: header and cells, without the Action column. */
async function shownTable(page) {
  return page.locator('.report table').evaluate((table) => {
    const cells = (tr) => [...tr.children].slice(0, -1).map((c) => c.innerText.replace(/[▲▼]/g, '').trim());
    return [...table.querySelectorAll('tr')].map(cells);
  });
}

async function downloadCsv(page) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  assert.ok(text.startsWith('\uFEFF'), 'a byte-order mark for spreadsheets');
  return parseCsv(text.slice(1));
}

async function reportPage() {
  const app = await openApp(ctx.browser, `${ctx.site.url}#/faq`);
  await app.page.getByText('Knowledge base: demo FAQ · 7 questions').waitFor();
  await app.page.getByRole('link', { name: 'Which questions does my FAQ fail?' }).click();
  await app.page.getByRole('heading', { name: 'Which questions does my FAQ fail?' }).waitFor();
  await app.page.getByText('FAQ: the one the FAQ bot uses · 7 questions').waitFor();
  return app;
}

test('a help-desk CSV of questions becomes a table, a summary, and a CSV download that matches the table', async () => {
  const { page, context, errors } = await reportPage();
  const file = path.join(dir, 'tickets.csv');
  writeFileSync(file, [
    'id,Subject,Body',
    '1,Returns,what is your return policy?',
    '2,Shipping,shipping?',
    '3,Gift cards,"Do you sell gift cards, and can a gift card be refunded?"',
    '4,Gift,gift card balance please',
    '5,Weird,=HYPERLINK("http://evil")',
    '6,Cancel,how do i cancel my order?',
    '',
  ].join('\n'));
  await page.getByLabel('Load a file of customer questions').setInputFiles(file);
  await page.getByText('Questions: 6 from tickets.csv').waitFor();
  await page.locator('.report table').waitFor();
  const table = await shownTable(page);
  assert.deepEqual(table[0], ['#', 'Question', 'Decision', 'Matched FAQ question', 'Confidence']);
  assert.equal(table.length, 7);
  const byNumber = Object.fromEntries(table.slice(1).map((r) => [r[0], r]));
  assert.equal(byNumber[1][2], 'answered');
  assert.equal(byNumber[1][3], 'What is your return policy?');
  assert.match(byNumber[1][4], /^\d+%$/);
  assert.equal(byNumber[2][2], 'did you mean');
  assert.match(byNumber[2][3], / \| /, 'the questions offered');
  assert.equal(byNumber[3][2], 'not answered');
  assert.equal(byNumber[5][1], '=HYPERLINK("http://evil")', 'shown as written');
  const summary = await page.getByRole('region', { name: 'Summary' }).innerText();
  assert.match(summary, /6 questions:/);
  assert.match(summary, /2 \(33%\) answered · 1 \(17%\) did you mean · 3 \(50%\) not answered/);
  assert.match(summary, /Most frequent words in unanswered questions: gift \(2\), card \(2\)|Most frequent words in unanswered questions: card \(2\), gift \(2\)/);
  assert.match(summary, /Most frequent phrases: gift card \(2\)/);

  const csv = await downloadCsv(page);
  assert.deepEqual(csv[0], table[0]);
  assert.deepEqual(csv.slice(1).map((r) => r.map((c) => c.replace(/^'(?=[=+\-@])/, ''))), table.slice(1), 'the CSV is the table');
  assert.equal(csv[5][1], `'=HYPERLINK("http://evil")`, 'a formula is made text');

  // Sorted by confidence, most sure first; filtered to what the FAQ cannot answer, and by text.
  await page.getByRole('button', { name: 'Confidence' }).click();
  assert.equal(await page.locator('th[aria-sort="descending"]').innerText(), 'Confidence▼');
  let sorted = await shownTable(page);
  assert.equal(sorted[1][2], 'answered');
  assert.equal(sorted.at(-1)[2] === 'answered', false);
  await page.getByRole('radio', { name: 'not answered' }).click();
  await page.getByRole('searchbox', { name: 'Filter questions' }).fill('gift');
  await page.getByText('2 of 6 rows').waitFor();
  sorted = await shownTable(page);
  assert.deepEqual(sorted.slice(1).map((r) => r[0]), ['3', '4']);
  const filtered = await downloadCsv(page);
  assert.deepEqual(filtered.slice(1), sorted.slice(1), 'the download is what is shown');
  assert.deepEqual(errors, []);
  await context.close();
});

test('10,000 questions: a progress bar, a page that keeps responding, and Cancel', async () => {
  const { page, context } = await reportPage();
  const asked = ['where is my parcel', 'do you sell socks', 'can i pay with paypal', 'shipping?', 'refund a gift card'];
  const file = path.join(dir, 'many.txt');
  writeFileSync(file, Array.from({ length: 10_000 }, (_, i) => `${asked[i % asked.length]} ${i}`).join('\n'));
  await page.getByLabel('Load a file of customer questions').setInputFiles(file);
  const bar = page.getByRole('progressbar', { name: 'Questions checked' });
  await bar.waitFor();
  // While it runs, the page keeps painting: the bar is seen at several values (a run in
  // one long task would show none between the first and the end). Timing-free: a slow
  // machine only shows more of them.
  const seen = await page.evaluate(() => new Promise((ok) => {
    const values = new Set();
    const look = () => {
      const bar = document.querySelector('[role="progressbar"], progress');
      if (!bar) return ok([...values]);
      values.add(bar.getAttribute('aria-valuenow') ?? bar.getAttribute('value'));
      requestAnimationFrame(look);
    };
    look();
  }));
  console.log(`progress values painted while checking 10,000 questions: ${seen.length}`);
  assert.ok(seen.length >= 2, `the page painted the progress as it went: ${JSON.stringify(seen)}`);
  await page.getByText('10000 rows').waitFor({ timeout: 120_000 });
  assert.equal(await bar.count(), 0, 'the bar is gone when done');
  assert.equal(await page.locator('.report tbody tr').count(), 200, 'the table lays out a page of rows');
  await page.getByRole('button', { name: 'Show 200 more rows' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.report tbody tr').length === 400);

  // A new run can be cancelled half-way: one long enough (100,000 questions, the limit)
  // that the click lands while it runs however slow or fast the machine is.
  const longer = path.join(dir, 'longer.txt');
  writeFileSync(longer, Array.from({ length: 100_000 }, (_, i) => `${asked[i % asked.length]} ${i}`).join('\n'));
  await page.getByLabel('Load a file of customer questions').setInputFiles(longer);
  await bar.waitFor();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByText(/^Cancelled after \d+ of 100000 questions\.$/).waitFor();
  await context.close();
});

test('another FAQ file changes the answers; "Copy as FAQ row" copies a line to add to it', async (t) => {
  const { page, context } = await reportPage();
  const questions = path.join(dir, 'questions.txt');
  writeFileSync(questions, 'Do you sell "gift" cards?\nwhat is your return policy?\n');
  await page.getByLabel('Load a file of customer questions').setInputFiles(questions);
  await page.getByText('2 rows').waitFor();
  assert.deepEqual((await shownTable(page)).slice(1).map((r) => r[2]), ['not answered', 'answered']);
  if (!needs(t, 'clipboard')) {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(ctx.site.url).origin });
    await page.getByRole('button', { name: 'Copy as FAQ row' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), '"Do you sell ""gift"" cards?",""');
  }
  const faq = path.join(dir, 'gifts.csv');
  writeFileSync(faq, 'Question,Answer\nDo you sell gift cards?,"Yes, from 10 to 200 euros."\n');
  await page.getByText('Use another FAQ CSV…').locator('input').setInputFiles(faq);
  await page.getByText('FAQ: gifts.csv · 1 question').waitFor();
  await page.waitForFunction(() => document.querySelector('.report tbody tr td:nth-child(3)')?.innerText === 'answered');
  assert.deepEqual((await shownTable(page)).slice(1).map((r) => r[2]), ['answered', 'not answered']);
  await page.getByRole('button', { name: "Use the FAQ bot's FAQ" }).click();
  await page.waitForFunction(() => document.querySelector('.report tbody tr td:nth-child(3)')?.innerText === 'not answered');
  const broken = path.join(dir, 'broken.csv');
  writeFileSync(broken, 'id,when\n1,today\n');
  await page.getByLabel('Load a file of customer questions').setInputFiles(broken);
  await page.getByText('"broken.csv" cannot be used: none of its columns (id, when) is named Question, Message, Text, Body or Subject.').waitFor();
  await context.close();
});

test("this browser's FAQ conversation is a question source: its misses and the answers rated not helpful", async () => {
  const { page, context } = await openApp(ctx.browser, `${ctx.site.url}#/faq`);
  await page.getByText('Knowledge base: demo FAQ · 7 questions').waitFor();
  await send(page, 'what is your return policy?');
  await waitForMessages(page, 'assistant', 1);
  await send(page, "what's the weather today");
  await waitForMessages(page, 'assistant', 2);
  await send(page, 'how do i cancel my order?');
  await waitForMessages(page, 'assistant', 3);
  await page.locator('.msg-group').nth(5).getByRole('button', { name: 'Not helpful', exact: true }).click();
  await page.getByRole('link', { name: 'Which questions does my FAQ fail?' }).click();
  await page.getByRole('button', { name: "Use questions from this browser's FAQ conversation" }).click();
  await page.getByText("Questions: 2 from this browser's FAQ conversation").waitFor();
  await page.getByText('2 rows').waitFor();
  assert.deepEqual((await shownTable(page)).slice(1).map((r) => r[1]), ["what's the weather today", 'how do i cancel my order?']);
  // The bot navigation is unchanged, and no bot is the current page here.
  assert.equal(await page.getByRole('navigation', { name: 'Bots' }).getByRole('link').count(), 4);
  assert.equal(await page.locator('nav [aria-current="page"]').count(), 0);
  await context.close();
});

test('opened directly, the report loads the FAQ bot\'s knowledge base; axe finds nothing on it in either theme', async () => {
  const AXE = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../tools/node_modules/axe-core/axe.min.js'), 'utf8');
  const file = path.join(dir, 'few.txt');
  writeFileSync(file, 'what is your return policy?\nshipping?\ndo you sell gift cards\ngift card refund\n');
  for (const colorScheme of ['light', 'dark']) {
    const context = await ctx.browser.newContext({ colorScheme });
    const page = await context.newPage();
    await page.goto(`${ctx.site.url}#/report`);
    await page.getByText('FAQ: the one the FAQ bot uses · 7 questions').waitFor();
    await page.getByLabel('Load a file of customer questions').setInputFiles(file);
    await page.getByText('4 rows').waitFor();
    await page.evaluate(AXE);
    const result = await page.evaluate(() =>
      window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }));
    assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`), [], colorScheme);
    await context.close();
  }
});

test('the report is a bundle of its own: a chat never downloads it, the report does; a failed download says so and Retry works; leaving and coming back shows it again', async () => {
  served.clear();
  const { page, context } = await openApp(ctx.browser, `${ctx.site.url}#/faq`);
  await page.getByText('Knowledge base: demo FAQ · 7 questions').waitFor();
  await send(page, 'what is your return policy?');
  await waitForMessages(page, 'assistant', 1);
  assert.deepEqual(BUNDLE.filter((f) => served.has(f)), [], 'a chat downloads none of the report');

  failBundle = true;
  try {
    await page.getByRole('link', { name: 'Which questions does my FAQ fail?' }).click();
    await page.getByText('The report could not be opened: it could not be downloaded (the network may be down).').waitFor();
  } finally {
    failBundle = false;
  }
  await page.getByRole('button', { name: 'Retry' }).click();
  await page.getByRole('heading', { name: 'Which questions does my FAQ fail?' }).waitFor();
  await page.getByText('FAQ: the one the FAQ bot uses · 7 questions').waitFor();
  assert.deepEqual(BUNDLE.filter((f) => !served.has(f)), [], 'the report downloads its bundle');
  assert.equal(await page.getByText(/could not be opened/).count(), 0);

  // Away to a bot and back: one report again, drawn afresh, and the chat is as it was.
  await openBot(page, /FAQ/);
  await waitForMessages(page, 'assistant', 1);
  await page.getByRole('link', { name: 'Which questions does my FAQ fail?' }).click();
  await page.getByText('FAQ: the one the FAQ bot uses · 7 questions').waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Which questions does my FAQ fail?' }).count(), 1);
  await page.getByRole('button', { name: "Use questions from this browser's FAQ conversation" }).click();
  await page.getByText("This browser's FAQ conversation has no unanswered or not-helpful questions yet.").waitFor();
  await context.close();
});
