# Sourced by the entry scripts (serve.sh, test.sh, bench.sh) as
#   source "$(dirname "$0")/prelude.sh" build|browser
# It moves to the repository root, installs what is missing (with "browser": Chromium
# and the test tools too), puts the npm tools (wasm-opt) on PATH and defines `step`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ "${1:-build}" == "browser" ]]; then bash tools/setup.sh --browser; else bash tools/setup.sh; fi
export PATH="$PWD/tools/node_modules/.bin:$PATH"
step() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }
