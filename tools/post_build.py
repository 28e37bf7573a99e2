#!/usr/bin/env python3
"""Trunk post-build hook (Trunk.toml [[hooks]]), run with TRUNK_STAGING_DIR set:

1. Content-Security-Policy: adds a <meta> CSP to index.html that allows scripts
   only from this origin plus Trunk's one inline loader, by its SHA-256 hash (it
   changes with every build, so it is computed here), and WebAssembly compilation;
   no eval, no other inline script, no plugins, no foreign frames.
2. Service worker: writes sw.js from src/web/sw.template.js with the list of every
   built file and a version hashed from their contents, so any change to the build
   installs a new worker and a hand-kept list never goes stale.
"""

import base64
import hashlib
import json
import os
import re
from pathlib import Path

staging = Path(os.environ["TRUNK_STAGING_DIR"])
source = Path(os.environ.get("TRUNK_SOURCE_DIR", "."))

# 1. CSP
index = staging / "index.html"
html = index.read_text()
inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
hashes = " ".join(
    "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'" for body in inline
)
policy = "; ".join([
    "default-src 'self'",
    f"script-src 'self' 'wasm-unsafe-eval' {hashes}".strip(),
    "style-src 'self'",
    "img-src 'self' data:",
    # A knowledge base or order export may live elsewhere (?faq=URL, ?orders=URL).
    "connect-src 'self' https:",
    "manifest-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
])
meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}" />'
if "Content-Security-Policy" not in html:
    html = html.replace('<meta charset="utf-8" />', '<meta charset="utf-8" />\n    ' + meta, 1)
    index.write_text(html)

# 2. Service worker
files = sorted(
    p.relative_to(staging).as_posix()
    for p in staging.rglob("*")
    if p.is_file() and p.name != "sw.js" and not p.name.startswith(".")
)
digest = hashlib.sha256()
for name in files:
    digest.update(name.encode())
    digest.update((staging / name).read_bytes())
template = (source / "src/web/sw.template.js").read_text()
listed = ["./"] + [f for f in files if f != "index.html"]
(staging / "sw.js").write_text(
    template.replace("__VERSION__", digest.hexdigest()[:16]).replace("__FILES__", json.dumps(listed))
)
