#!/usr/bin/env python3
"""Trunk post-build hook (Trunk.toml [[hooks]]), run with TRUNK_STAGING_DIR set:

0. Release builds: the JavaScript glue minified, and the names linking it to its wasm
   shortened in both (tools/wasm_names.py).
1. The wasm downloaded once: an early script instead of Trunk's preload, and a copy
   for the service worker's install (see step 1 below); Trunk's module loader moved after
   index.html's own frame, so that its message box is ready first (1b).
2. Content-Security-Policy: adds a <meta> CSP to index.html that allows scripts
   only from this origin plus index.html's own inline scripts, by their SHA-256 hashes
   (they change with every build, so they are computed here), the inlined styles by
   theirs, and WebAssembly compilation; no eval, no other inline script or style, no
   plugins, no foreign frames.
3. Service worker: writes sw.js from src/web/sw.template.js with a version hashed
   from every built file (any change installs a new worker) and three lists: the
   shell (what index.html loads: precached, cache first), the default data files
   (each fetched when its bot is opened, network first, kept for offline use) and the rest of the build (icons, the manifest, the
   model worker: cached when first used, so the first visit downloads only what it
   uses). tools/bench_report.py counts the first visit from the same lists.
   embed.js (other sites load it, never this worker) is in none of them.
"""

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
import wasm_names  # noqa: E402  (tools/wasm_names.py, beside this script)

staging = Path(os.environ["TRUNK_STAGING_DIR"])
source = Path(os.environ.get("TRUNK_SOURCE_DIR", "."))

index = staging / "index.html"
html = index.read_text()

# 0. Release builds: the app's JavaScript glue minified (Trunk minifies the HTML and CSS,
# not the glue wasm-bindgen writes), and its Subresource Integrity hash in index.html
# brought up to date. Only the page's own module: the model worker's classic script
# defines a global its loader calls, and embed.js is shipped as written.
if os.environ.get("TRUNK_PROFILE") == "release":
    esbuild = source / "tools/node_modules/.bin/esbuild"
    for module in sorted(set(re.findall(r"""['"]\./([\w-]+\.js)['"]""", html))):
        path = staging / module
        wasm = staging / module.replace(".js", "_bg.wasm")
        if wasm.exists():
            short_wasm, short_js, count = wasm_names.shorten(wasm.read_bytes(), path.read_text())
            wasm.write_bytes(short_wasm)
            path.write_text(short_js)
            print(f"post_build: {count} import and export names of {wasm.name} shortened")
        subprocess.run([str(esbuild), str(path), "--minify", "--format=esm", f"--outfile={path}", "--allow-overwrite",
                        "--log-level=warning"], check=True)
        sri = "sha384-" + base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode()
        html = re.sub(r'(href="?\./' + re.escape(module) + r'"?[^>]*?integrity=)"?sha384-[A-Za-z0-9+/=]+"?',
                      lambda m: m.group(1) + '"' + sri + '"', html)
    index.write_text(html)

# 1. The wasm downloaded once on a first visit, in every engine. Trunk preloads it with
# <link rel=preload as=fetch>, which WebKit does not hand to the loader's fetch (it
# downloaded the wasm twice), and WebKit's service worker does not share the page's HTTP
# cache, so its precache downloaded the wasm a third time. Instead: a classic script starts
# the download as early as the preload did and gives that very response to Trunk's loader;
# on a first visit (no worker in control yet) it keeps a copy in the cache `chatdeck-files`,
# which the worker's install takes instead of downloading it again (src/web/sw.template.js).
# src/web/service_worker.rs registers the worker once the copy is kept
# (window.chatdeckKept). The small JS and CSS the browser reads itself cannot be handed
# over: WebKit's worker downloads them again.
wasm_loader = re.search(r"module_or_path:\s*'\./([\w-]+_bg\.wasm)'", html)
if not wasm_loader:
    raise SystemExit("post_build: Trunk's loader no longer names its wasm as expected: see step 1")
wasm_file = wasm_loader.group(1)
preload = re.compile(r"<link\b(?=[^>]*\brel=[\"']?preload\b)(?=[^>]*" + re.escape(wasm_file) + r")[^>]*>")
if len(preload.findall(html)) != 1:
    raise SystemExit("post_build: expected Trunk's one preload of the wasm: see step 1")
early = (
    "<script>(() => {"
    f"const wasm = './{wasm_file}';"
    "const response = fetch(wasm);"
    "self.chatdeckWasm = response;"
    "const first = 'caches' in self && !(navigator.serviceWorker && navigator.serviceWorker.controller);"
    # Cloned before the loader reads the body: this callback was registered first.
    "self.chatdeckKept = !first ? Promise.resolve() : response.then((r) => {"
    "if (!r.ok) return;"
    "const copy = r.clone();"
    "return caches.open('chatdeck-files').then((c) => c.put(wasm, copy));"
    "}).catch(() => {});"
    "})()</script>"
)
html = preload.sub("", html)
html = html.replace(wasm_loader.group(0), "module_or_path: self.chatdeckWasm", 1)

# 1b. The message box before the app's code: Trunk's module loader and its modulepreload
# go after index.html's own frame, at the end of the body, so that the frame's box is on
# screen before the loader's module is read (the module runs after the parse either way,
# and the preload scanner still finds the glue early). The early script above stays where
# the loader was, in the head: the wasm's download starts first. Measured (bench_ready,
# medians of 9, twice): ready about 1.55x the blank page (was about 1.75x), the app
# started at 115-135 ms (was 107-124 ms); moving the early script too made the box ready
# barely sooner (about 1.5x) and started the app 15-20 ms later (132-155 ms).
module_script = re.search(r"<script\s+type=[\"']?module[\"']?>.*?</script>", html, flags=re.S)
module_preload = re.search(r"<link\b(?=[^>]*\brel=[\"']?modulepreload\b)[^>]*>", html)
if not module_script or not module_preload or html.count("</body>") != 1:
    raise SystemExit("post_build: expected Trunk's module loader, its modulepreload and one </body>: see step 1b")
starters = module_preload.group(0) + module_script.group(0)
html = html[: module_script.start()] + early + html[module_script.end() :]
html = html.replace(module_preload.group(0), "", 1)
html = html.replace("</body>", starters + "</body>", 1)
index.write_text(html)

# 2. CSP
def csp_hashes(bodies):
    """CSP source expressions allowing exactly these inline bodies."""
    return " ".join("'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'" for b in bodies)


hashes = csp_hashes(re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S))
# The styles are inlined (index.html: rel="inline"), so that the first paint waits for no
# request: allowed by their hash, as the scripts are.
style_hashes = csp_hashes(re.findall(r"<style\b[^>]*>(.*?)</style>", html, flags=re.S))
policy = "; ".join([
    "default-src 'self'",
    f"script-src 'self' 'wasm-unsafe-eval' {hashes}".strip(),
    f"style-src 'self' {style_hashes}".strip(),
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
    # Right after the charset (before any script), however the build wrote it (quoted, or
    # minified without quotes); a page without one must not ship without its policy.
    charset = re.search(r"<meta\s+charset=[\"']?utf-8[\"']?\s*/?>", html, flags=re.I)
    if not charset:
        raise SystemExit("post_build: index.html has no <meta charset> to put the CSP after")
    html = html[: charset.end()] + meta + html[charset.end() :]
    index.write_text(html)

# 3. Service worker
# embed.js is for other sites' pages, which this worker never controls: it is not part
# of the app's version (a change to it offers no update) nor of its caches.
NOT_THE_APP = {"sw.js", "embed.js"}
files = sorted(
    p.relative_to(staging).as_posix()
    for p in staging.rglob("*")
    if p.is_file() and p.relative_to(staging).as_posix() not in NOT_THE_APP and not p.name.startswith(".")
)
digest = hashlib.sha256()
for name in files:
    digest.update(name.encode())
    digest.update((staging / name).read_bytes())

# What the page loads to start: files index.html names (links, scripts, and the
# module paths of Trunk's inline loader), except the manifest, which only an install needs.
# Attribute values quoted or not: Trunk's minified index.html leaves out the quotes.
VALUE = r"""=["']?(?:\./)?([^"'\s>?#:]+)"""
manifests = {
    m for tag in re.findall(r"<link\b[^>]*>", html) if re.search(r"\brel=[\"']?manifest\b", tag)
    for m in re.findall(r"\bhref" + VALUE, tag)
}
markup = re.sub(r"<script\b([^>]*)>.*?</script>", r"<script\1>", html, flags=re.S)  # attributes, not code
named = set(re.findall(r"\b(?:href|src)" + VALUE, markup))
named |= set(re.findall(r"""['"]\./([^'"?#]+)['"]""", html))
shell = ["./"] + [f for f in files if f in named and f not in manifests and f != "index.html"]
# The default data files, each loaded when its bot is opened (src/ui/app.rs, load_data_on_open).
data = [f for f in ("faq_data.csv", "orders.csv", "stories.json") if f in files]
# The model is cached by the page itself (src/web/understanding): not here.
on_use = [f for f in files if f not in shell and f not in data and f != "index.html" and not f.startswith("model/")]
missing = [f for f in named - set(files) - manifests if not f.startswith(("http", "data"))]
if missing:
    raise SystemExit(f"post_build: index.html names files that were not built: {missing}")



def without_comments(js):
    """The worker without comment lines and indentation (every first visit downloads
    it); the commented source is src/web/sw.template.js."""
    kept = []
    for line in js.splitlines():
        code = line.strip()
        if code and not code.startswith(("//", "/*", "*")):
            kept.append(code)
    return "\n".join(kept) + "\n"


template = without_comments((source / "src/web/sw.template.js").read_text())
(staging / "sw.js").write_text(
    template.replace("__VERSION__", digest.hexdigest()[:16])
    .replace("__SHELL__", json.dumps(shell))
    .replace("__DATA__", json.dumps(data))
    .replace("__ON_USE__", json.dumps(on_use))
)
