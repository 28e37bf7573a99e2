#!/usr/bin/env python3
"""Trunk pre-build hook (Trunk.toml [[hooks]]): writes target/model/manifest.json, which
index.html copies into dist/model/ beside the model files.

The browser keeps the model in a cache of its own that outlives app updates (see
src/web/understanding/stored.rs); the manifest names the model files by their content,
so a build that ships a different model is downloaded again instead of being shadowed
by the copy an earlier build left behind. Fails, with what to run, when the model files
are missing (tools/fetch_model.sh makes them).
"""

import hashlib
import json
import sys
from pathlib import Path

MODEL_DIR = Path("target/model")
FILES = {"model": "minilm.gguf", "vocab": "vocab.txt"}


def describe(path: Path) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return {"file": path.name, "bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def main() -> int:
    missing = [name for name in FILES.values() if not (MODEL_DIR / name).is_file()]
    if missing:
        print(f"model_manifest: {', '.join(missing)} missing in {MODEL_DIR}/: run bash tools/fetch_model.sh", file=sys.stderr)
        return 1
    manifest = {role: describe(MODEL_DIR / name) for role, name in FILES.items()}
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    target = MODEL_DIR / "manifest.json"
    # Rewritten only when it changes, so that the file's time does not churn.
    if not target.is_file() or target.read_text() != text:
        target.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
