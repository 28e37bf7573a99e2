// Runs the engine's WebAssembly benchmarks (examples/wasm_bench.rs, built by
// tools/bench.sh into target/bench/wasm) in headless Chromium; prints JSON.
// The timings come from the harness that benches/engine.rs runs natively
// (benches/workloads). Linear memory only grows, so a reading of it is the
// high-water mark of everything the instance did before: the memory of one loaded
// knowledge base is read in a fresh page that loads it once and does nothing else.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch } from '../tests/e2e/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const site = await serve(path.join(root, 'target/bench'), '/');
const browser = await launch();

/** A new page, and so a new instance of the module, on the benchmark's page. */
async function freshPage() {
  const page = await browser.newPage();
  await page.goto(`${site.url}wasm/`);
  return page;
}

try {
  const page = await freshPage();
  const out = await page.evaluate(async () => {
    const module = await import('./wasm_bench.js');
    const wasm = await module.default();
    const mb = () => wasm.memory.buffer.byteLength / 1048576;
    const bytes = async (name) => new Uint8Array(await (await fetch(`../${name}`)).arrayBuffer());
    const text = async (name) => (await fetch(`../${name}`)).text();
    const run = { memory_at_start_mb: mb() };
    for (const label of ['1k', '10k']) {
      run[label] = JSON.parse(module.bench_kb(
        await bytes(`faq_${label}.csv`), await text(`queries_${label}.tsv`), await text(`heldout_${label}.tsv`)));
    }
    // Each knowledge base was built 6 times (5 timed, 1 kept): a peak, not what one load needs.
    run.memory_after_run_mb = mb();
    module.release();
    run.csv_mb_per_s = module.bench_csv(await bytes('big.csv'));
    return run;
  });
  await page.close();
  for (const label of ['1k', '10k']) {
    const fresh = await freshPage();
    out[label].memory_one_load = await fresh.evaluate(async (name) => {
      const module = await import('./wasm_bench.js');
      const wasm = await module.default();
      const mb = () => wasm.memory.buffer.byteLength / 1048576;
      const csv = new Uint8Array(await (await fetch(`../${name}`)).arrayBuffer());
      const before = mb();
      const questions = module.load_kb(csv);
      return { questions, csv_mb: csv.length / 1048576, before_mb: before, after_mb: mb() };
    }, `faq_${label}.csv`);
    await fresh.close();
  }
  console.log(JSON.stringify(out));
} finally {
  await browser.close();
  await site.close();
}
