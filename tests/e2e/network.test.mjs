// Failing networks: every data file (orders, story library, FAQ) answering 404, a
// web page instead of data, a body cut off mid-download, no network at all, or no
// answer. Each time the chat says what happened in plain words, the bot keeps
// answering what it can without the file, and Retry loads it once the network is back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, send, waitForMessages, openBot, needs } from './harness.mjs';

/** File -> how the server answers it instead; emptied again by each test. */
const faults = new Map();
const ctx = useSite({ overrides: faults });

/** Called by the "no answer" fault when the request reaches the server. */
let arrived;

/** Server-side failures; "offline" is done by the browser instead (see below). */
const FAULTS = {
  'HTTP 404': { serve: (req, res) => res.writeHead(404).end('not found'), says: /HTTP 404/ },
  'a web page': {
    // A host that answers every unknown path with its home page, or a Wi-Fi login page.
    serve: (req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Sign in to Wi-Fi</title>'),
    says: /the server sent a web page instead of the data file/,
  },
  'a truncated body': {
    serve: async (req, res, original) => {
      const body = await original();
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
      res.write(body.subarray(0, body.length >> 1));
      setTimeout(() => res.socket.destroy(), 50);
    },
    says: /the download was interrupted/,
  },
  'no network': { offline: true, says: /the network is unreachable/ },
  // Never answered; the server only notes that the request arrived (see `arrived`).
  'no answer': { serve: () => arrived?.(), hang: true, says: /the server did not answer within 15 seconds/ },
};

const FILES = {
  'orders.csv': {
    bot: 'support',
    notice: /Order lookups are unavailable: the order data could not be loaded: /,
    loaded: 'The order data is loaded: order lookups work again.',
    // Without orders the Support bot still answers everything else.
    without: async (page) => {
      await send(page, 'how long is shipping');
      assert.equal((await waitForMessages(page, 'assistant', 1)).at(-1), '🚚 Standard: 3–5 days | Express: 1–2 days');
    },
    with: async (page) => {
      await send(page, 'where is my order ABC12345');
      assert.match((await waitForMessages(page, 'assistant', 2)).at(-1), /^✅ Order ABC12345 found\./);
    },
  },
  'stories.json': {
    bot: 'storyteller',
    notice: /The story library is unavailable \(it could not be loaded: /,
    loaded: 'The story library is loaded: every story is back.',
    without: async (page) => {
      await page.getByRole('radio', { name: 'Instant' }).click();
      await send(page, 'fantasy');
      assert.match((await waitForMessages(page, 'assistant', 2))[1], /^The old wizard's tower stood crooked/);
      await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
    },
    // The library has more stories per theme than the seed's one.
    with: async (page) => {
      await send(page, 'one more');
      assert.equal((await waitForMessages(page, 'assistant', 4))[2], "Here's another fantasy story...");
    },
  },
  'faq_data.csv': {
    bot: 'faq',
    notice: /The knowledge base faq_data\.csv is unavailable: it could not be loaded: /,
    loaded: 'Knowledge base: demo FAQ · 7 questions',
    without: async (page) => {
      await send(page, 'what is your return policy');
      assert.match((await waitForMessages(page, 'assistant', 1))[0], /can't answer questions right now/);
      await openBot(page, /Customer Service/);
      await send(page, 'help');
      await waitForMessages(page, 'assistant', 1);
      await openBot(page, /FAQ/);
    },
    with: async (page) => {
      await send(page, 'what is your return policy');
      assert.match((await waitForMessages(page, 'assistant', 2))[1], /^Answer: We accept returns within 30 days/);
    },
  },
};

for (const [file, f] of Object.entries(FILES)) {
  for (const [name, fault] of Object.entries(FAULTS)) {
    test(`${file} failing with ${name}: told plainly, the bot goes on, Retry recovers`, async (t) => {
      if (needs(t, ...(fault.offline ? ['route'] : []), ...(fault.hang ? ['clock'] : []))) return;
      const context = await ctx.browser.newContext({ serviceWorkers: 'block' });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      if (fault.offline) await context.route(`**/${file}`, (route) => route.abort('internetdisconnected'));
      else faults.set(file, fault.serve);
      // The app starts its 15 s timer before it sends the request (src/web/fetch.rs): once
      // the server has the request, the timer exists and fast-forwarding fires it. A fixed
      // wait instead raced the app's start on a slow machine.
      const requested = new Promise((resolve) => (arrived = resolve));
      if (fault.hang) await page.clock.install();
      try {
        await page.goto(`${ctx.site.url}#/${f.bot}`);
        await page.locator('h1').waitFor();
        if (fault.hang) {
          await requested;
          await page.clock.fastForward(16_000);
        }
        const notice = page.getByText(f.notice);
        await notice.waitFor();
        assert.match(await notice.innerText(), fault.says);
        await f.without(page);

        faults.delete(file);
        await context.unroute(`**/${file}`);
        await page.getByRole('button', { name: 'Retry' }).click();
        await page.getByText(f.loaded).waitFor();
        assert.equal(await page.getByText(f.notice).count(), 0);
        await f.with(page);
        assert.deepEqual(errors, []);
      } finally {
        faults.delete(file);
        arrived = undefined;
        await context.close();
      }
    });
  }
}
