"""Which crates the app's WebAssembly is made of: sums twiggy's shallow sizes of
the functions and data of a wasm-bindgen output that still has its names (before
wasm-opt strips them) by the crate each symbol belongs to. Prints JSON
{"total": bytes, "crates": {crate: bytes}}, custom and name sections left out.

Usage: python3 tools/wasm_crates.py FILE.wasm   (needs `twiggy` on PATH)
"""
import json
import re
import subprocess
import sys
from collections import Counter

STD = {"core", "alloc", "std", "dlmalloc", "compiler_builtins", "hashbrown", "str", "memchr"}


def crate_of(name):
    if name.startswith(("custom section", '"function names"', "producers", "type[", "elem[")):
        return None
    if name.startswith("data segment") or name.startswith("data["):
        return "(static data: strings, tables)"
    if name.startswith("import ") or name.startswith("__wbindgen") or name.startswith("__wbg"):
        return "(wasm-bindgen glue and imports)"
    # Path segments in order: the implementing type's crate comes first in
    # `<T as Trait>::f`; generic std code (`drop_in_place<T>`, `Vec<T>::push`) is
    # counted for the first non-std crate among its type arguments.
    crates = [c for c in re.findall(r"(?:^|[<\s&(,*])([A-Za-z_][A-Za-z0-9_]*)(?:\[[0-9a-f]+\])?::", name)]
    if not crates:
        return "(wasm-bindgen glue and imports)"
    own = [c for c in crates if c not in STD and not c.startswith("__rustc")]
    if not own:
        return "(Rust std: core, alloc, allocator)"
    return own[0].replace("_", "-")


def main():
    out = subprocess.run(["twiggy", "top", "-n", "1000000", "-f", "json", sys.argv[1]],
                         capture_output=True, text=True, check=True).stdout
    sizes = Counter()
    for item in json.loads(out):
        crate = crate_of(item["name"])
        if crate:
            sizes[crate] += item["shallow_size"]
    print(json.dumps({"total": sum(sizes.values()), "crates": dict(sizes.most_common())}))


if __name__ == "__main__":
    main()
