#!/usr/bin/env python3
"""Trunk post-build hook: writes sw.js into the staging directory from
src/web/sw.template.js, with the list of every built file and a version that is a
hash of their contents (so any change to the build installs a new worker).

Trunk runs it with TRUNK_STAGING_DIR set (see Trunk.toml [[hooks]]).
"""

import hashlib
import json
import os
from pathlib import Path

staging = Path(os.environ["TRUNK_STAGING_DIR"])
source = Path(os.environ.get("TRUNK_SOURCE_DIR", "."))
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
