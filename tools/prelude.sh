# Sourced by the entry scripts (serve.sh, test.sh, bench.sh) as
#   source "$(dirname "$0")/prelude.sh" build|browser
# It moves to the repository root, installs what is missing (with "browser": Chromium
# and the test tools too), puts the npm tools (wasm-opt) on PATH and defines `step`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ "${1:-build}" == "browser" ]]; then bash tools/setup.sh --browser; else bash tools/setup.sh; fi
export PATH="$PWD/tools/node_modules/.bin:$PATH"
step() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }

# The release build (what ships, what the tests and benchmarks run): the pinned nightly of
# tools/setup.sh rebuilds std for wasm32 with panic=immediate-abort (a panic traps at once:
# no panic formatting, no location strings; index.html shows the crash message), and no
# Debug formatting. About 31 kB gzip less on the first visit than the stable build. std's
# `optimize_for_size` feature (smaller sorts and formatting in std) takes 8.5 kB gzip more
# off the app's wasm (253,958 -> 245,480 B, gzip -9). (It was left out for a while after
# WebKit trapped once in a rehearsal built with it: that trap is WebKit's, in the model
# worker, with or without it; see src/ui/understanding.rs, RESTARTS.) The development
# server (serve.sh) and the lints stay on stable.
release_build() {
  RUSTUP_TOOLCHAIN="$(cat tools/nightly-toolchain)" CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
    CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size \
    RUSTFLAGS="-C target-feature=+simd128 --cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none" \
    trunk build --release --offline "$@"
}
