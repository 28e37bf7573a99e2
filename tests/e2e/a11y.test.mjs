// Accessibility: axe-core (WCAG 2.2 A/AA rules) on every bot view, in light and dark
// themes, including a story while it streams and suggestions while they are open;
// and the whole app by keyboard alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useSite, send, waitForMessages } from './harness.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const AXE = readFileSync(require.resolve(path.join(root, 'tools/node_modules/axe-core/axe.min.js')), 'utf8');
const ctx = useSite();

async function violations(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }));
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

for (const colorScheme of ['light', 'dark']) {
  test(`axe finds no violations in the ${colorScheme} theme, with messages, a streaming story and open suggestions`, async () => {
    const context = await ctx.browser.newContext({ colorScheme });
    const page = await context.newPage();
    const found = {};
    await page.goto(`${ctx.site.url}#/customer-service`);
    await send(page, 'help');
    await waitForMessages(page, 'assistant', 1);
    found['customer service'] = await violations(page);

    await page.goto(`${ctx.site.url}#/support`);
    await send(page, 'track my order');
    await waitForMessages(page, 'assistant', 1);
    found.support = await violations(page);

    await page.goto(`${ctx.site.url}#/storyteller`);
    await page.getByRole('radio', { name: '1×' }).click();
    await send(page, 'space adventure');
    await page.getByRole('button', { name: 'Stop' }).waitFor();
    found['storyteller, streaming'] = await violations(page);
    await page.getByRole('button', { name: 'Stop' }).click();

    await page.goto(`${ctx.site.url}#/faq`);
    await page.getByText('Knowledge base: demo FAQ · 7 questions').waitFor();
    await send(page, 'shipping');
    await waitForMessages(page, 'assistant', 1);
    await page.getByRole('textbox').pressSequentially('how do i can');
    await page.getByRole('listbox').waitFor();
    found['faq, suggestions open'] = await violations(page);

    const all = Object.entries(found).flatMap(([view, list]) => list.map((v) => `${view}: ${v}`));
    assert.deepEqual(all, []);
    await context.close();
  });
}

test('everything works by keyboard alone, with a visible focus', async () => {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${ctx.site.url}#/customer-service`);
  await page.locator('h1').waitFor();
  // Tab to the Support link in the navigation and follow it.
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(() => document.activeElement?.textContent?.trim())) === 'Support') break;
  }
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).boxShadow);
  assert.notEqual(outline, 'none', 'the focused link shows a focus ring');
  await page.keyboard.press('Enter');
  await page.waitForURL(/#\/support$/);
  // Tab to the message box, type and send with Enter.
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.tagName === 'TEXTAREA')) break;
  }
  await page.keyboard.type('how long is shipping?');
  await page.keyboard.press('Enter');
  assert.equal((await waitForMessages(page, 'assistant', 1))[0], '🚚 Standard: 3–5 days | Express: 1–2 days');
  await context.close();
});
