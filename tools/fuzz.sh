#!/usr/bin/env bash
# Runs every cargo-fuzz target for SECONDS each (default 600), two at a time,
# growing fuzz/corpus/<target> from fuzz/seeds/<target>, then minimises the corpus.
# Needs the nightly toolchain and cargo-fuzz (installed here when missing).
# Crashes land in fuzz/artifacts/<target>/; the logs in target/fuzz-logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-600}"
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
cargo +nightly fuzz build -O
mkdir -p target/fuzz-logs
run() {
  local t="$1" max_len="$2"
  mkdir -p "fuzz/corpus/$t"
  cargo +nightly fuzz run -O "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
    -max_total_time="$SECONDS_EACH" -max_len="$max_len" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    >"target/fuzz-logs/$t.log" 2>&1
}
status=0
{ run csv_loader 16384 & run matcher 4096 & wait; } || status=1
{ run bots 4096 & run saved_state 8192 & wait; } || status=1
for t in csv_loader matcher bots saved_state; do
  printf '%-12s ' "$t"; grep -E 'stat::number_of_executed_units|Done [0-9]+ runs' "target/fuzz-logs/$t.log" | tail -1
  grep -E '^(==[0-9]+==|thread .* panicked|SUMMARY)' "target/fuzz-logs/$t.log" | head -3 || true
  cargo +nightly fuzz cmin -O "$t" "fuzz/corpus/$t" >/dev/null 2>&1 || true
done
exit "$status"
