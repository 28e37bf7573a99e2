"""Short names for the imports and exports that link a wasm-bindgen module to its
JavaScript glue (used by tools/post_build.py on release builds).

wasm-bindgen names every import after its function plus a 16-digit hash
(`__wbg_addEventListener_847fd86b8c33ec43`) and every closure shim after its whole
type (`wasm_bindgen_<hash>___convert__closures_____invoke___...`, up to 300
characters). Both files carry each name, and the hashes are random to gzip: in the app
they were 9.3 kB of the wasm and as much of the glue, 6.8 kB of the first visit's
gzip bytes. Only the two files use these names, so they are renamed together, like a
minifier renames a bundle's private identifiers: `_0`, `_1`, ... (hexadecimal) in the
order the wasm lists them (one build always gives the same names).

Only the sections that hold names (import 2, export 7) are rewritten; every other byte
of the module is copied as it was.
"""

import re

# The hashed names wasm-bindgen generates; other imports and exports (`memory`,
# `__wbindgen_start`, an exported class's methods, `#[wasm_bindgen]` functions that
# index.html or the tests call by name) keep theirs.
GENERATED = re.compile(r"^(?:__wbg_\w*_[0-9a-f]{16}|wasm_bindgen_[0-9a-f]{16}___convert__closures\w*)$")

IMPORT, EXPORT = 2, 7


def _uleb(data, pos):
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def _put_uleb(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | 0x80 if value else byte)
        if not value:
            return bytes(out)


def _limits_end(data, pos):
    flags, pos = _uleb(data, pos)
    _, pos = _uleb(data, pos)
    if flags & 1:
        _, pos = _uleb(data, pos)
    return pos


def _import_desc_end(data, pos):
    kind = data[pos]
    pos += 1
    if kind == 0:  # function: type index
        return _uleb(data, pos)[1]
    if kind == 1:  # table: element type, limits
        return _limits_end(data, pos + 1)
    if kind == 2:  # memory: limits
        return _limits_end(data, pos)
    if kind == 3:  # global: value type, mutability
        return pos + 2
    if kind == 4:  # tag: attribute, type index
        return _uleb(data, pos + 1)[1]
    raise ValueError(f"unknown import kind {kind}")


def _rename_section(section_id, body, names):
    count, pos = _uleb(body, 0)
    out = bytearray(_put_uleb(count))
    for _ in range(count):
        if section_id == IMPORT:
            length, pos = _uleb(body, pos)
            out += _put_uleb(length) + body[pos : pos + length]
            pos += length
        length, pos = _uleb(body, pos)
        name = body[pos : pos + length].decode()
        pos += length
        if GENERATED.match(name):
            name = names.setdefault(name, f"_{len(names):x}")
        out += _put_uleb(len(name.encode())) + name.encode()
        start = pos
        pos = _import_desc_end(body, pos) if section_id == IMPORT else _uleb(body, pos + 1)[1]
        out += body[start:pos]
    if pos != len(body):
        raise ValueError(f"section {section_id}: {len(body) - pos} bytes left over")
    return bytes(out)


def shorten(wasm: bytes, js: str):
    """The module and its glue with the generated names shortened, and how many."""
    if wasm[:8] != b"\0asm\x01\0\0\0":
        raise ValueError("not a wasm module (version 1)")
    names = {}
    out = bytearray(wasm[:8])
    pos = 8
    while pos < len(wasm):
        section_id = wasm[pos]
        size, body_start = _uleb(wasm, pos + 1)
        body = wasm[body_start : body_start + size]
        if section_id in (IMPORT, EXPORT):
            body = _rename_section(section_id, body, names)
        out.append(section_id)
        out += _put_uleb(len(body)) + body
        pos = body_start + size
    if not names:
        return bytes(out), js, 0
    # The glue renamed word by word (a JavaScript identifier is a run of [\w$]): a name
    # is only ever replaced whole, never where it begins a longer one.
    words = set(re.findall(r"[\w$]+", js))
    clash = (words - set(names)) & set(names.values())
    if clash:
        raise ValueError(f"short names already used in the glue: {sorted(clash)}")
    missing = set(names) - words
    if missing:
        raise ValueError(f"the glue does not name {len(missing)} of the module's imports and exports, e.g. {min(missing)}")
    js = re.sub(r"[\w$]+", lambda word: names.get(word.group(0), word.group(0)), js)
    return bytes(out), js, len(names)
