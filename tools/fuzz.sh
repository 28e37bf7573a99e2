#!/usr/bin/env bash
# Runs the cargo-fuzz targets (default: all) for SECONDS each (default 600), two at
# a time, growing fuzz/corpus/<target> from fuzz/seeds/<target>, then minimises
# each corpus. Needs nightly and cargo-fuzz (installed here when missing).
# Crashes land in fuzz/artifacts/<target>/; logs in target/fuzz-logs/.
#   bash tools/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-600}"
shift || true
TARGETS=("${@:-csv_loader matcher bots saved_state}")
read -r -a TARGETS <<<"${TARGETS[*]}"
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
cargo +nightly fuzz build -O
mkdir -p target/fuzz-logs

max_len() {
  case "$1" in csv_loader) echo 16384 ;; saved_state) echo 8192 ;; *) echo 4096 ;; esac
}
run() {
  mkdir -p "fuzz/corpus/$1"
  cargo +nightly fuzz run -O "$1" "fuzz/corpus/$1" "fuzz/seeds/$1" -- \
    -max_total_time="$SECONDS_EACH" -max_len="$(max_len "$1")" -timeout=10 -rss_limit_mb=4096 \
    -print_final_stats=1 >"target/fuzz-logs/$1.log" 2>&1
}

status=0
for ((i = 0; i < ${#TARGETS[@]}; i += 2)); do
  pids=()
  for t in "${TARGETS[@]:i:2}"; do run "$t" & pids+=("$!"); done
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
done
for t in "${TARGETS[@]}"; do
  printf '%-12s %s\n' "$t" "$(grep -E '^Done [0-9]+ runs' "target/fuzz-logs/$t.log" || echo 'stopped early: see the log')"
  grep -E 'panicked at|^SUMMARY' "target/fuzz-logs/$t.log" | head -2 || true
  cargo +nightly fuzz cmin -O "$t" "fuzz/corpus/$t" >/dev/null 2>&1 || true
done
exit "$status"
