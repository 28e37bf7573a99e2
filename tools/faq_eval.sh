#!/usr/bin/env bash
# The evaluation contract: runs any FAQ and any questions through chatdeck's engine.
#
#   bash tools/faq_eval.sh KB.csv QUESTIONS.txt [--lexical]
#
# Sets up what it needs (tools/setup.sh, which fetches and converts the model with
# tools/fetch_model.sh; idempotent), builds src/bin/faq_eval.rs with the semantic tier,
# then prints one JSON object per line of QUESTIONS.txt, in order:
#   {"question": "...", "decision": "answer"|"clarify"|"refuse", "answers": ["<Answer column text>", ...]}
# answer: one element; clarify: the offered answers in the order shown; refuse: none.
# Same engine code, same model file (target/model/minilm.gguf) and same thresholds as the
# browser; --lexical answers with the lexical tier alone (the browser before the model has
# loaded). Everything but the JSON lines goes to stderr.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: bash tools/faq_eval.sh KB.csv QUESTIONS.txt [--lexical]" >&2
  exit 2
fi
# The caller's paths, before moving to the repository.
kb=$(realpath "$1")
questions=$(realpath "$2")
shift 2
for f in "$kb" "$questions"; do
  [[ -f $f ]] || { echo "faq_eval: $f is not a file" >&2; exit 2; }
done
cd "$(dirname "$0")/.."

{
  bash tools/setup.sh
  bash tools/fetch_model.sh
  cargo build --release --quiet --features semantic --bin faq_eval
} >&2

exec target/release/faq_eval "$kb" "$questions" "$@"
