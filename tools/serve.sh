#!/usr/bin/env bash
# Sets up what is missing, then serves chatdeck at http://127.0.0.1:8080/ with live reload.
source "$(dirname "$0")/prelude.sh" build
exec trunk serve --offline "$@"
