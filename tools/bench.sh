#!/usr/bin/env bash
# Sets up what is missing, runs every benchmark once (native criterion, WASM in
# headless Chromium, CPython's difflib for the seed's method) and writes BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh --browser
export PATH="$PWD/tools/node_modules/.bin:$PATH"
step() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }

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

step "release build sizes"
trunk build --release --offline
python3 - > target/bench/sizes.json <<'PY'
import glob, gzip, json, os
out = {}
for pattern in ["dist/index.html", "dist/*.js", "dist/*.wasm", "dist/*.css"]:
    for f in sorted(glob.glob(pattern)):
        data = open(f, "rb").read()
        out[os.path.basename(f)] = (len(data), len(gzip.compress(data, 9)))
print(json.dumps(out))
PY

python3 tools/bench_report.py target/bench/wasm.json target/bench/cpython.json target/bench/sizes.json
echo "BENCHMARKS.md written"
