#!/usr/bin/env bash
# Sets up what is missing, then serves chatdeck at http://127.0.0.1:8080/ with live reload.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
export PATH="$PWD/tools/node_modules/.bin:$PATH"
exec trunk serve --offline "$@"
