#!/usr/bin/env bash
# Fits the understanding module's decision constants (src/engine/understand/decision.rs)
# on CLINC150 train / val / oos_train / oos_val, and prints them with how they do on val.
# Never reads test or oos_test (tools/clinc_bench.sh reports those).
#
#   bash tools/clinc_tune.sh [--data PATH/TO/data_full.json]   # fit, print the constants
#   bash tools/clinc_tune.sh --report                          # the current constants on val
#
# The embeddings of every CLINC150 text are computed once with the shipped model
# (target/model/minilm.gguf, through src/bin/faq_eval.rs) and cached in
# target/clinc/embeddings/, keyed by the model file's checksum.
set -euo pipefail
cd "$(dirname "$0")/.."

data=${CLINC150:-../shared/benchmarks/clinc150/data_full.json}
mode=--fit
while [[ $# -gt 0 ]]; do
  case $1 in
    --data) data=$2; shift 2 ;;
    --report) mode=""; shift ;;
    *) echo "usage: bash tools/clinc_tune.sh [--data FILE] [--report]" >&2; exit 2 ;;
  esac
done

{
  bash tools/setup.sh
  bash tools/fetch_model.sh
  cargo build --release --quiet --features semantic --bin faq_eval
  cargo build --release --quiet --example clinc_tune
} >&2

cache=target/clinc/embeddings
model_sum=$(sha256sum target/model/minilm.gguf | cut -d' ' -f1)
if [[ ! -f $cache/vectors.f32 || "$(cat "$cache/model.sha256" 2>/dev/null)" != "$model_sum" ]]; then
  mkdir -p target/clinc
  python3 - "$data" > target/clinc/all_texts.txt <<'EOF'
import json, sys
data = json.load(open(sys.argv[1], encoding="utf-8"))
for text in sorted({t for split in data.values() for t, _ in split}):
    print(text)
EOF
  echo "[tune] embedding every CLINC150 text once (about 24k; minutes)" >&2
  target/release/faq_eval --embed-cache target/clinc/all_texts.txt "$cache"
  echo "$model_sum" > "$cache/model.sha256"
fi

target/release/examples/clinc_tune --data "$data" --embeddings "$cache" $mode
