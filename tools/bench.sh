#!/usr/bin/env bash
# Sets up what is missing, runs every benchmark once (native criterion, WASM in
# headless Chromium, CPython's difflib for the seed's method) and writes BENCHMARKS.md.
source "$(dirname "$0")/prelude.sh" browser

step "inputs"
python3 tools/gen_bench_data.py target/bench

step "native (criterion)"
cargo bench --bench engine -- --noplot

step "WASM in headless Chromium"
cargo build --release --target wasm32-unknown-unknown --example wasm_bench
wasm-bindgen --target web --no-typescript --out-dir target/bench/wasm \
  target/wasm32-unknown-unknown/release/examples/wasm_bench.wasm
printf '<!doctype html><meta charset="utf-8"><title>wasm bench</title>\n' > target/bench/wasm/index.html
node tools/bench_wasm.mjs > target/bench/wasm.json

step "CPython"
python3 tools/bench_cpython.py target/bench > target/bench/cpython.json

step "release build: the wasm by crate (the first visit is counted by bench_report.py from sw.js's lists)"
release_build
command -v twiggy >/dev/null || cargo install twiggy --locked
# Names survive wasm-bindgen but not wasm-opt: attribute sizes before optimising.
wasm-bindgen --target web --no-typescript --out-dir target/bench/names \
  target/wasm32-unknown-unknown/release/chatdeck.wasm
python3 tools/wasm_crates.py target/bench/names/chatdeck_bg.wasm > target/bench/crates.json

step "first load and reply latency, chatdeck and the seed's Streamlit apps"
[ -x target/bench-venv/bin/streamlit ] || {
  python3 -m venv target/bench-venv
  target/bench-venv/bin/pip install --quiet "streamlit==1.67.0"
}
python3 tools/seed_apps.py
node tools/bench_page.mjs 5 > target/bench/page.json

step "ready time next to a blank page with one textarea (the floor), same server, same run"
node tools/bench_ready.mjs 7 > target/bench/ready.json

step "a long conversation: 3,000 questions, then a reload; three runs, the median one reported"
# One run's first-50 median moves by a frame (about 25 or 32 ms) with the phase of the
# display's frames: a reply in the DOM after 16-19 ms is painted in the next frame or the
# one after. The run with the median last / first ratio is reported, with all three.
for run in 1 2 3; do node tools/bench_long.mjs 3000 > "target/bench/long-$run.json"; done
python3 - > target/bench/long.json <<'PY'
import json
runs = sorted((json.load(open(f"target/bench/long-{r}.json")) for r in (1, 2, 3)), key=lambda x: x["paint_ratio"])
median = dict(runs[1], runs_paint_ratio=[r["paint_ratio"] for r in runs])
print(json.dumps(median))
PY

step "every bot in Chromium, Firefox and WebKit: input ready and Enter -> painted reply"
node tools/bench_engines.mjs --runs 5 > target/bench/engines.json

python3 tools/bench_report.py target/bench/wasm.json target/bench/cpython.json \
  target/bench/crates.json target/bench/page.json target/bench/long.json target/bench/ready.json \
  target/bench/engines.json
echo "BENCHMARKS.md written"
