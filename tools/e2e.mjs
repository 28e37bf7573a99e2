#!/usr/bin/env node
// Runs the one end-to-end suite (tests/e2e/*.test.mjs) once per engine, one browser at a
// time: `node tools/e2e.mjs [chromium] [firefox] [webkit] [-- extra node --test args]`
// (all three by default; files or --test-name-pattern after `--`). WebKit runs under
// `xvfb-run -a` (MiniBrowser has no headless mode). Prints each engine's pass / fail / skip
// counts, every skipped test with its reason, and exits non-zero when any engine failed.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const engines = (dash < 0 ? argv : argv.slice(0, dash)).filter(Boolean);
const extra = dash < 0 ? [] : argv.slice(dash + 1);
const ENGINES = engines.length ? engines : ['chromium', 'firefox', 'webkit'];
for (const e of ENGINES) {
  if (!['chromium', 'firefox', 'webkit'].includes(e)) {
    console.error(`unknown engine ${e}: expected chromium, firefox or webkit`);
    process.exit(2);
  }
}

// One directory per run holds the reports and, as each engine's TMPDIR, every file the
// tests and browsers make (CSV files to pick, downloads, profiles): removed after a green
// run, kept after a red one for a look.
const tmp = mkdtempSync(path.join(tmpdir(), 'chatdeck-e2e-'));
const results = [];
for (const engine of ENGINES) {
  const tap = path.join(tmp, `${engine}.tap`);
  const filesDir = path.join(tmp, engine);
  mkdirSync(filesDir);
  const files = extra.some((a) => !a.startsWith('-')) ? [] : ['tests/e2e/'];
  const nodeArgs = ['--test', '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...extra, ...files];
  const [cmd, args] = engine === 'webkit'
    ? ['xvfb-run', ['-a', '-s', '-screen 0 1600x1200x24', process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  console.log(`\n=== ${engine}: node ${nodeArgs.join(' ')}`);
  const started = Date.now();
  const code = await new Promise((ok) => {
    spawn(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ENGINE: engine, TMPDIR: filesDir } }).on('exit', (c, s) => ok(c ?? (s ? 1 : 0)));
  });
  const seconds = (Date.now() - started) / 1000;
  let text = '';
  try { text = readFileSync(tap, 'utf8'); } catch { /* the run died before reporting */ }
  const count = (name) => Number(text.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  const skips = [...text.matchAll(/^\s*ok \d+ - (.*?) # SKIP (.*)$/gm)].map(([, name, reason]) => ({ name, reason }));
  const failures = [...text.matchAll(/^\s*not ok \d+ - (.*?)$/gm)].map(([, name]) => name);
  results.push({ engine, code, seconds, pass: count('pass'), fail: count('fail'), cancelled: count('cancelled'), skipped: count('skipped'), skips, failures });
}

console.log('\n=== end-to-end summary');
for (const r of results) {
  console.log(`${r.engine}: ${r.pass} passed, ${r.fail} failed, ${r.skipped} skipped${r.cancelled ? `, ${r.cancelled} cancelled` : ''} in ${Math.floor(r.seconds / 60)}m${String(Math.round(r.seconds % 60)).padStart(2, '0')}s${r.code ? ` (exit ${r.code})` : ''}`);
  for (const s of r.skips) console.log(`  skipped: ${s.name} — ${s.reason}`);
  for (const f of r.failures) console.log(`  FAILED: ${f}`);
}
const red = results.some((r) => r.code !== 0 || r.fail > 0 || r.cancelled > 0);
if (red) console.log(`reports and test files kept in ${tmp}`);
else rmSync(tmp, { recursive: true, force: true });
process.exit(red ? 1 : 0);
