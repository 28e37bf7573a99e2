// A long conversation in headless Chromium: does a reply cost more when the log
// already holds thousands of messages, and how long does a reload of such a
// conversation take? Prints JSON.
//
//   node tools/bench_long.mjs [QUESTIONS] [DIST]      (defaults: 3000, dist/)
//
// QUESTIONS questions go to the FAQ bot in one conversation. The first 50 and the
// last 50 are typed with the keyboard (CDP input, as tools/bench_page.mjs does); the
// ones in between are sent by the page itself (the same input and Enter events,
// without a round trip to this process per message) so that a run takes minutes.
// For every question:
// - insert: ms from the Enter keydown until the complete reply is in the DOM;
// - paint: ms from the Enter keydown until the frame that shows it has been
//   rendered (a task posted from that frame's animation-frame callback runs after
//   its style, layout and paint; so this counts the rendering of a big log too).
// first50_* and last50_* are the medians of the keyboard-typed ends (paint_ratio =
// last / first); in_page_paint_ms_before shows the page-sent ones along the way.
// Then the page is reloaded:
// - reload_ready_ms: navigation start until the input is on screen and enabled;
// - reload_latest_ms: navigation start until the last reply is shown in the log.
// The conversation is exported as JSON (the Export JSON button) before and after
// the reload to check that no message was lost.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, TYPES } from '../tests/e2e/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const QUESTIONS = Number(process.argv[2] ?? 3000);
const DIST = path.resolve(process.argv[3] ?? path.join(root, 'dist'));
const EDGE = 50; // how many questions at each end are measured with the keyboard

// Asked in turn: questions as written, paraphrases, typos, "did you mean" and
// fallbacks, so the log holds every kind of FAQ answer (suggestion chips too).
const ASKED = [
  'How do I track my order?', 'How do I get my money back?', 'how long does shipping take',
  'do you ship abroad', 'wher is my pakage', 'can I pay with paypal', "what's the weather today",
  'What is your return policy?', 'how do i contact support', 'shipping', 'change my password please',
  'Do you offer international shipping?',
];

const INPUT = 'textarea:not([disabled]):not([readonly])';

/** dist/ as a static host serves it. */
async function serveDist() {
  const server = createServer(async (req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).slice(1) || 'index.html';
    const file = path.join(DIST, rel);
    if (!file.startsWith(DIST)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

/** In the page: when the input is ready, and per Enter when its reply is in the DOM
 *  and when the frame showing it has rendered. A reply is "in" when the last entry
 *  of the log is an assistant message that is complete and was not there before. */
function instrument(input) {
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const latest = () => {
    const last = document.querySelector('[role="log"] .log-inner')?.lastElementChild;
    const msg = last?.querySelector('[data-role="assistant"]');
    return msg && msg.getAttribute('data-status') === 'done' ? msg : null;
  };
  window.__latest = latest;
  const poll = () => {
    const el = document.querySelector(input);
    if (el && visible(el)) window.__ready = performance.now();
    else requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
  const pollShown = () => {
    if (latest()) window.__shown = performance.now();
    else requestAnimationFrame(pollShown);
  };
  requestAnimationFrame(pollShown);
  window.__turn = null;
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || e.shiftKey) return;
    window.__turn = { sent: performance.now(), before: latest(), insert: 0, paint: 0 };
  }, true);
  new MutationObserver(() => {
    const turn = window.__turn;
    if (!turn || turn.insert) return;
    const msg = latest();
    if (!msg || msg === turn.before) return;
    turn.insert = performance.now();
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { turn.paint = performance.now(); };
      channel.port2.postMessage(0);
    });
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-status'] });
}

/** In the page: sends `texts` one after another through the input, each after the
 *  previous reply has rendered; returns [insert, paint] ms per text. */
async function sendInPage(texts) {
  const box = document.querySelector('textarea');
  const out = [];
  for (const text of texts) {
    box.value = text;
    box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    const turn = window.__turn;
    const started = performance.now();
    while (!turn.paint) {
      if (performance.now() - started > 30_000) throw new Error(`no reply to "${text}"`);
      await new Promise((ok) => setTimeout(ok, 1));
    }
    out.push([turn.insert - turn.sent, turn.paint - turn.sent]);
  }
  return out;
}

async function sendWithKeyboard(page, text) {
  const box = page.locator(INPUT);
  await box.fill(text);
  await box.press('Enter');
  await page.waitForFunction(() => window.__turn && window.__turn.paint > 0, null, { timeout: 30_000 });
  return page.evaluate(() => [window.__turn.insert - window.__turn.sent, window.__turn.paint - window.__turn.sent]);
}

/** The conversation as the Export JSON button writes it. */
async function exported(page) {
  if (await page.getByRole('button', { name: 'Export JSON' }).count() === 0) return { messages: [] };
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  const file = await download.path();
  return JSON.parse(await readFile(file, 'utf8'));
}

const messagesOf = (json) => json.messages ?? json.transcript?.messages ?? [];
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const round = (x) => Math.round(x * 10) / 10;

const browser = await launch();
const site = await serveDist();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(instrument, INPUT);
  await page.goto(`${site.url}#/faq`);
  await page.waitForFunction(() => window.__ready !== undefined, null, { timeout: 60_000 });
  await page.waitForFunction(() => /Knowledge base/.test(document.querySelector('.kb-bar')?.textContent ?? '')
    && !/Loading/.test(document.querySelector('.kb-bar').textContent), null, { timeout: 60_000 });
  const question = (i) => ASKED[i % ASKED.length];

  const timings = [];
  const started = Date.now();
  for (let i = 0; i < Math.min(EDGE, QUESTIONS); i++) timings.push(await sendWithKeyboard(page, question(i)));
  const middle = [];
  for (let i = EDGE; i < QUESTIONS - EDGE; i++) middle.push(question(i));
  for (let i = 0; i < middle.length; i += 250) {
    timings.push(...await page.evaluate(sendInPage, middle.slice(i, i + 250)));
    process.stderr.write(`${EDGE + i + Math.min(250, middle.length - i)} questions sent (${Math.round((Date.now() - started) / 1000)} s)\n`);
  }
  for (let i = Math.max(EDGE, QUESTIONS - EDGE); i < QUESTIONS; i++) timings.push(await sendWithKeyboard(page, question(i)));

  const before = messagesOf(await exported(page));
  await page.reload();
  await page.waitForFunction(() => window.__ready !== undefined, null, { timeout: 60_000 });
  // Nothing to show when nothing was saved: that is reported (nothing_lost), not waited for.
  await page.waitForFunction(() => window.__shown !== undefined, null, { timeout: 10_000 }).catch(() => {});
  const reload = await page.evaluate(() => ({ ready: window.__ready, shown: window.__shown ?? null }));
  const after = messagesOf(await exported(page));
  const lastAsked = question(QUESTIONS - 1);
  await context.close();

  const first = timings.slice(0, EDGE);
  const last = timings.slice(-EDGE);
  // Along the way (sent by the page, so not comparable with the keyboard's figures
  // above to the millisecond): the 50 questions before each thousandth.
  const alongTheWay = {};
  for (let k = 1000; k <= QUESTIONS - EDGE; k += 1000) {
    alongTheWay[k] = round(median(timings.slice(k - EDGE, k).map((t) => t[1])));
  }
  const out = {
    questions: QUESTIONS,
    first50_insert_ms: round(median(first.map((t) => t[0]))),
    first50_paint_ms: round(median(first.map((t) => t[1]))),
    last50_insert_ms: round(median(last.map((t) => t[0]))),
    last50_paint_ms: round(median(last.map((t) => t[1]))),
    paint_ratio: Number((median(last.map((t) => t[1])) / median(first.map((t) => t[1]))).toFixed(2)),
    in_page_paint_ms_before: alongTheWay,
    reload_ready_ms: round(reload.ready),
    reload_latest_ms: reload.shown === null ? null : round(reload.shown),
    messages_before_reload: before.length,
    messages_after_reload: after.length,
    nothing_lost: before.length === 2 * QUESTIONS && after.length === before.length
      && after.at(-2)?.text === lastAsked,
    minutes: round((Date.now() - started) / 60_000),
  };
  console.log(JSON.stringify(out));
} finally {
  await browser.close();
  site.close();
}
