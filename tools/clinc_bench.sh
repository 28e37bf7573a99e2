#!/usr/bin/env bash
# CLINC150 through the evaluation contract (tools/faq_eval.sh), both tiers, 1- and 10-shot
# FAQs: writes the "Understanding customers: CLINC150" section of BENCHMARKS.md (and only
# that section). Raw answers in target/clinc_bench/.
#
#   bash tools/clinc_bench.sh [--data PATH/TO/data_full.json]
#
# The data defaults to ../shared/benchmarks/clinc150/data_full.json (or $CLINC150).
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 tools/clinc_bench.py "$@"
