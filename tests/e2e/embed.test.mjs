// chatdeck on another site's page with one script tag (public/embed.js): a button that
// opens one bot in a frame, compact (?embed=1); nothing of the app loads before the
// button is pressed; Esc or the close button closes it and the focus goes back to the
// button; full screen on a phone; the host page's styles and CSP cannot break it, and
// its data- attributes cannot inject styles. The app is served under /chatdeck/ on
// 127.0.0.1 and the host page from another site (localhost, another port).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DIST, serve, launch, requestLog, send, waitForMessages, serviceWorkerLists, lacks } from './harness.mjs';

const HELP_CSV = 'Question,Answer\n'
  + 'How do I reset my password?,Use the Forgot password link on the sign-in page and we email you a new one.\n'
  + 'When are you open?,Every day from 8 to 20.\n'
  + 'Do you ship abroad?,Yes to 40 countries.\n';

const dir = mkdtempSync(path.join(tmpdir(), 'chatdeck-embed-'));
const appLog = requestLog();
const hostLog = requestLog();
let browser, app, host, hostUrl, pages = 0;

before(async () => {
  browser = await launch();
  app = await serve(DIST, '/chatdeck/', appLog);
  host = await serve(dir, '/', hostLog);
  // Another site than the app's: another host name, not only another port.
  hostUrl = host.url.replace('127.0.0.1', 'localhost');
});
after(async () => {
  await browser?.close();
  await app?.close();
  await host?.close();
});

/** A context whose pages keep a reference to the embed's closed shadow root (for the
 *  test to look inside: it stays closed), and record CSP violations. The host's FAQ
 *  file is served at https://example.com/help/faq.csv (to the page: Playwright does not
 *  see what a service worker fetches, so such a test blocks service workers). */
async function newContext(options = {}) {
  const context = await browser.newContext(options);
  await context.route('https://example.com/**', (route) => route.fulfill({
    status: 200, body: HELP_CSV, headers: { 'content-type': 'text/csv', 'access-control-allow-origin': '*' },
  }));
  await context.addInitScript(() => {
    if (window !== window.top) return;
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    window.__globals = [];
    window.__globals.push(...Object.keys(window));
    const attach = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (init) {
      const root = attach.call(this, init);
      if (this.localName === 'chatdeck-embed') window.__chatdeckRoot = root;
      return root;
    };
  });
  return context;
}

/** A page of the host site with a link, `head`, and the one script tag with `attributes`. */
async function hostPage(context, attributes, { head = '' } = {}) {
  const name = `page-${++pages}.html`;
  writeFileSync(path.join(dir, name), `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">${head}<title>A shop</title></head>
<body><h1>A shop</h1><p><a href="#top">Our products</a></p>
<script src="${app.url}embed.js" ${attributes} defer></script></body></html>`);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(hostUrl + name);
  await page.waitForFunction(() => window.__chatdeckRoot?.querySelector('button[aria-expanded]'));
  return { page, errors };
}

/** The button as a visitor meets it, and where the focus is. */
const button = (page) => page.evaluate(() => {
  const root = window.__chatdeckRoot;
  const b = root.querySelector('button[aria-expanded]');
  const r = b.getBoundingClientRect();
  const s = getComputedStyle(b);
  return {
    mode: root.mode,
    tag: b.localName,
    name: b.textContent.trim(),
    labelledOtherwise: b.hasAttribute('aria-label') || b.hasAttribute('aria-labelledby'),
    expanded: b.getAttribute('aria-expanded'),
    x: r.x + r.width / 2,
    y: r.y + r.height / 2,
    left: r.left,
    right: r.right,
    visible: r.width > 0 && r.height > 0 && s.visibility === 'visible',
    onTop: document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === root.host,
    background: s.backgroundColor,
    color: s.color,
    focused: document.activeElement === root.host && root.activeElement === b,
  };
});

/** The panel and its frame. */
const panel = (page) => page.evaluate(() => {
  const root = window.__chatdeckRoot;
  const p = root.querySelector('[role="dialog"]');
  const f = root.querySelector('iframe');
  const r = p.getBoundingClientRect();
  return {
    open: !p.hidden && r.width > 0,
    label: p.getAttribute('aria-label'),
    rect: [r.left, r.top, r.width, r.height].map(Math.round),
    frame: f && { src: f.src, title: f.title, allow: f.allow, referrerPolicy: f.referrerPolicy },
  };
});

/** The app's frame, once it is there. */
async function appFrame(page) {
  for (let i = 0; i < 200; i++) {
    const frame = page.frames().find((f) => f !== page.mainFrame() && f.url().startsWith(app.url));
    if (frame) {
      await frame.locator('h1').waitFor({ state: 'attached' });
      return frame;
    }
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error('the app frame never loaded');
}

const texts = (frame) => frame.locator('[role="log"] [data-role]').evaluateAll((els) => els.map((e) => e.innerText));
const appFiles = () => [...appLog.paths].filter((p) => p !== 'embed.js');

test('one tag on another site: a button; pressed, the FAQ bot in a compact frame answers; Esc closes it', async (t) => {
  const context = await newContext({ serviceWorkers: 'block' });
  appLog.paths.clear();
  const { page, errors } = await hostPage(context, 'data-bot="faq" data-faq="https://example.com/help/faq.csv"');
  const before = await button(page);
  assert.equal(before.mode, 'closed');
  assert.equal(before.tag, 'button');
  assert.equal(before.name, 'Chat with us');
  assert.equal(before.labelledOtherwise, false, 'its text is its accessible name');
  assert.equal(before.expanded, 'false');
  assert.ok(before.visible && before.onTop, 'visible, above the page');
  // Nothing of the app before the button is pressed: no page, no wasm, no frame.
  await page.waitForTimeout(500);
  assert.deepEqual(appFiles(), []);
  assert.equal((await panel(page)).frame, null);
  assert.equal(page.frames().length, 1);
  // One element added to the page, no globals but the test's own, no cookies.
  assert.deepEqual(await page.evaluate(() => [...document.body.children].map((e) => e.localName)), ['h1', 'p', 'script', 'chatdeck-embed']);
  const added = await page.evaluate(() => Object.keys(window).filter((k) => !window.__globals.includes(k)));
  assert.deepEqual(added, ['__chatdeckRoot'], 'only the test\'s own');
  assert.equal(await page.evaluate(() => document.cookie), '');

  await page.mouse.click(before.x, before.y);
  const opened = await panel(page);
  assert.ok(opened.open);
  assert.equal(opened.label, 'Chat with us');
  assert.equal((await button(page)).expanded, 'true');
  const src = new URL(opened.frame.src);
  assert.equal(`${src.origin}${src.pathname}`, app.url, 'the app next to embed.js, under its sub-path');
  assert.equal(src.searchParams.get('embed'), '1');
  assert.equal(src.searchParams.get('faq'), 'https://example.com/help/faq.csv');
  assert.equal(src.hash, '#/faq');
  assert.equal(opened.frame.title, 'Chat with the FAQ bot');
  assert.equal(opened.frame.allow, 'clipboard-write');
  assert.equal(opened.frame.referrerPolicy, 'no-referrer');

  const frame = await appFrame(page);
  assert.ok(appFiles().includes('index.html') && appFiles().some((p) => p.endsWith('.wasm')), 'the app loads now');
  // Compact: the bot, no header, no bot navigation.
  assert.equal(await frame.locator('h1').innerText(), 'Customer Service FAQ Bot');
  assert.equal(await frame.getByRole('navigation', { name: 'Bots' }).count(), 0);
  assert.equal(await frame.locator('.topbar, .brand').count(), 0);
  // The message box has the focus: the visitor can type at once.
  if (!lacks(t, 'frameFocusOnLoad')) await frame.waitForFunction(() => document.activeElement?.localName === 'textarea');
  // Data from the host's site: the visitor is asked first (the app's rule for any foreign data).
  await frame.getByText('FAQ data from example.com — use it?').waitFor();
  if (lacks(t, 'foreignRoute')) {
    // The host's file cannot be served here: the bot's own FAQ answers instead.
    await frame.getByRole('button', { name: 'Don\'t use it', exact: true }).click();
    await send(frame, 'How do I reset my password?');
    await waitForMessages(frame, 'assistant', 1);
  } else {
    await frame.getByRole('button', { name: 'Use it', exact: true }).click();
    await frame.getByText(/Knowledge base: .* · 3 questions/).waitFor();
    await send(frame, 'How do I reset my password?');
    const [answer] = await waitForMessages(frame, 'assistant', 1);
    assert.match(answer, /^Answer: Use the Forgot password link on the sign-in page/);
  }

  // Esc in the chat closes the panel; the focus is back on the button.
  await frame.getByRole('textbox').press('Escape');
  await page.waitForFunction(() => window.__chatdeckRoot.querySelector('[role="dialog"]').hidden);
  let after = await button(page);
  assert.equal(after.expanded, 'false');
  assert.ok(after.focused, 'focus returns to the button');

  // Again by keyboard: Enter opens the same chat (not loaded again), the close button closes it.
  await page.keyboard.press('Enter');
  assert.ok((await panel(page)).open);
  await frame.waitForFunction(() => document.activeElement?.localName === 'textarea');
  assert.equal((await texts(frame)).length, 2, 'the conversation is still there');
  const close = await page.evaluate(() => {
    const r = window.__chatdeckRoot.querySelector('[aria-label="Close chat"]').getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  });
  await page.mouse.click(close.x, close.y);
  assert.equal((await panel(page)).open, false);
  after = await button(page);
  assert.ok(after.focused, 'focus returns to the button');
  // Esc with the focus on the button itself: nothing open, nothing happens; open then Esc.
  await page.keyboard.press('Enter');
  assert.ok((await panel(page)).open);
  await page.evaluate(() => window.__chatdeckRoot.querySelector('button[aria-expanded]').focus());
  await page.keyboard.press('Escape');
  assert.equal((await panel(page)).open, false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the host page\'s styles and strict CSP cannot hide or restyle it; a hostile accent is ignored', async (t) => {
  const context = await newContext();
  writeFileSync(path.join(dir, 'hostile.css'), `
    * { font-size: 40px !important; color: green !important; }
    button, div, iframe, span { display: none !important; background: hotpink !important; }
    chatdeck-embed { display: none !important; position: absolute !important; opacity: 0 !important; transform: scale(0) !important; }
    body > :last-child { visibility: hidden !important; }`);
  const origin = new URL(app.url).origin;
  const csp = `default-src 'self'; script-src ${origin}; frame-src ${origin}`;
  hostLog.paths.clear();
  const { page, errors } = await hostPage(context, 'data-accent="red;background:url(x)"', {
    head: `<meta http-equiv="Content-Security-Policy" content="${csp}"><link rel="stylesheet" href="hostile.css">`,
  });
  const b = await button(page);
  assert.ok(b.visible && b.onTop, 'visible, above the page');
  assert.equal(b.background, 'rgb(47, 95, 208)', 'the default accent');
  assert.equal(b.color, 'rgb(255, 255, 255)');
  await page.mouse.click(b.x, b.y);
  const frame = await appFrame(page);
  assert.equal(await frame.locator('h1').innerText(), '💬 Customer Service Bot', 'no data-bot: the default bot');
  const shown = await panel(page);
  assert.ok(shown.open && shown.rect[2] > 300 && shown.rect[3] > 300, `panel ${shown.rect}`);
  assert.ok(!hostLog.paths.has('x'), 'the url() in the accent was never used');
  assert.deepEqual(await page.evaluate(() => window.__violations), [], 'the README\'s CSP is enough');
  assert.deepEqual(errors, []);

  // A valid accent, the left side, a label of the host's.
  const other = await hostPage(context, 'data-accent="#0a7d3b" data-side="left" data-label="Questions? Ask us" data-bot="nonsense"');
  const styled = await button(other.page);
  assert.equal(styled.background, 'rgb(10, 125, 59)');
  assert.equal(styled.color, 'rgb(255, 255, 255)');
  assert.equal(styled.name, 'Questions? Ask us');
  assert.ok(styled.left < 40, `on the left: ${styled.left}`);
  const light = await hostPage(context, 'data-accent="#fc0"');
  assert.equal((await button(light.page)).color, 'rgb(17, 17, 17)', 'dark text on a light accent');
  await context.close();
});

test('on a phone the panel takes the whole screen, and closes back to the button', async (t) => {
  const context = await newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });
  const { page, errors } = await hostPage(context, 'data-bot="support" data-label="Help" data-orders="exports/orders.csv" data-faq="javascript:alert(1)"');
  // By keyboard: past the page's link to the button.
  for (let i = 0; i < 5 && !(await button(page)).focused; i++) await page.keyboard.press('Tab');
  assert.ok((await button(page)).focused, 'the button is in the tab order');
  await page.keyboard.press('Enter');
  const frame = await appFrame(page);
  assert.equal(await frame.locator('h1').innerText(), '💬 Customer Support Chat');
  // The host's order export, as an absolute address on the host's site; no script address.
  const src = new URL((await panel(page)).frame.src);
  assert.equal(src.searchParams.get('orders'), `${hostUrl}exports/orders.csv`);
  assert.equal(src.searchParams.has('faq'), false);
  await frame.getByText(`Order data from ${new URL(hostUrl).host} — use it?`).waitFor();
  // The whole viewport: 360 × 640 where the engine can make a viewport that narrow
  // (MiniBrowser's window cannot be narrower than its toolbar: WebKit's page is wider).
  const screen = page.viewportSize();
  if (!lacks(t, 'narrowViewport')) assert.deepEqual(screen, { width: 360, height: 640 });
  assert.deepEqual((await panel(page)).rect, [0, 0, screen.width, screen.height]);
  assert.equal((await button(page)).visible, false, 'the button does not cover the chat');
  await frame.getByRole('textbox').press('Escape');
  await page.waitForFunction(() => window.__chatdeckRoot.querySelector('[role="dialog"]').hidden);
  assert.ok((await button(page)).focused);
  assert.deepEqual(errors, []);
  await context.close();
});

test('data-preload="idle" loads the app ahead, hidden, and leaves the focus alone', async (t) => {
  const context = await newContext();
  appLog.paths.clear();
  const { page } = await hostPage(context, 'data-bot="storyteller" data-preload="idle"');
  const frame = await appFrame(page);
  assert.ok(appFiles().includes('index.html'));
  assert.equal((await panel(page)).open, false);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.activeElement === document.body), true);
  assert.equal(await frame.evaluate(() => document.activeElement?.localName), 'body');
  const b = await button(page);
  await page.mouse.click(b.x, b.y);
  assert.ok((await panel(page)).open);
  await frame.waitForFunction(() => document.activeElement?.localName === 'textarea');
  await context.close();
});

test('embed.js is hand-written, at most 3,000 bytes gzipped, and not part of the app\'s caches', () => {
  const built = readFileSync(path.join(DIST, 'embed.js'));
  assert.deepEqual(built, readFileSync(new URL('../../public/embed.js', import.meta.url)), 'copied as is, no build step');
  const gzipped = gzipSync(built, { level: 9 }).length;
  console.log(`embed.js: ${built.length.toLocaleString('en')} B, ${gzipped.toLocaleString('en')} B gzip -9`);
  assert.ok(gzipped <= 3000, `${gzipped} B gzip`);
  const { shell, data, onUse } = serviceWorkerLists();
  assert.ok(![...shell, ...data, ...onUse].includes('embed.js'));
});
