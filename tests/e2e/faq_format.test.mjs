// A shop's FAQ answers are plain text unless the CSV's Format column says markdown:
// asterisks and "- " lines in the data show as written, with their line breaks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useSite, openApp, send, waitForMessages } from './harness.mjs';

const ctx = useSite();
const dir = mkdtempSync(path.join(tmpdir(), 'chatdeck-format-'));

test('answers are plain text by default and Markdown only where the Format column says so', async () => {
  const { page, context, errors } = await openApp(ctx.browser, `${ctx.site.url}#/faq`);
  await page.getByText('Knowledge base: demo FAQ · 7 questions').waitFor();
  const file = path.join(dir, 'sizes.csv');
  writeFileSync(file, [
    'Question,Answer,Format',
    'What sizes do you have?,"- S\n- M *slim fit*\n- L",',
    'Is shipping free?,"**Yes**, over 50 EUR.",markdown',
    '',
  ].join('\n'));
  await page.locator('input[type="file"]').setInputFiles(file);
  await page.getByText('Knowledge base: sizes.csv · 2 questions').waitFor();

  await send(page, 'What sizes do you have?');
  const [plain] = await waitForMessages(page, 'assistant', 1);
  assert.equal(plain, 'Answer: - S\n- M *slim fit*\n- L');
  const first = page.locator('[data-role="assistant"]').nth(0);
  assert.equal(await first.locator('li').count(), 0, 'no list made of the data\'s dashes');
  assert.equal(await first.locator('em').count(), 0, 'no emphasis made of the data\'s asterisks');

  await send(page, 'Is shipping free?');
  const [, marked] = await waitForMessages(page, 'assistant', 2);
  assert.equal(marked, 'Answer: Yes, over 50 EUR.');
  assert.equal(await page.locator('[data-role="assistant"]').nth(1).locator('strong').count(), 2, '"Answer:" and the Markdown "Yes"');
  assert.deepEqual(errors, []);
  await context.close();
});
