// Runs the engine's WebAssembly benchmarks (examples/wasm_bench.rs, built by
// tools/bench.sh into target/bench/wasm) in headless Chromium; prints JSON.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch } from '../tests/e2e/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const site = await serve(path.join(root, 'target/bench'), '/');
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(`${site.url}wasm/`);
  const result = await page.evaluate(async () => {
    const module = await import('./wasm_bench.js');
    const wasm = await module.default();
    const bytes = async (name) => new Uint8Array(await (await fetch(`../${name}`)).arrayBuffer());
    const text = async (name) => (await fetch(`../${name}`)).text();
    const out = {};
    for (const label of ['1k', '10k']) {
      out[label] = JSON.parse(module.bench_kb(await bytes(`faq_${label}.csv`), await text(`queries_${label}.tsv`)));
      out[label].memory_mb = wasm.memory.buffer.byteLength / 1048576;
    }
    module.release();
    out.csv_mb_per_s = module.bench_csv(await bytes('big.csv'));
    return out;
  });
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
  await site.close();
}
