#!/usr/bin/env python3
"""Generates tests/data/order_id_cases.json: strings and the verdict of the seed's own
`valid_order_id` (Topic 10.2), run by CPython's `re`.

chatdeck checks the seed's pattern by hand (src/engine/bots/support.rs, `is_order_id`);
tests/order_id_parity.rs requires the same verdict for every string here. The strings
are the edges of the pattern (lengths 5, 6, 10, 11; a newline at the end, which
Python's `$` allows once) and deterministic random strings over an alphabet that mixes
ASCII letters and digits with look-alikes the pattern must refuse: Unicode letters and
digits, full-width forms, a dotted capital I, white space and punctuation.

Usage: python3 tools/gen_order_id_cases.py [OUTPUT]
"""

import json
import random
import re
import sys


def valid_order_id(order_id):
    return bool(re.match(r"^[A-Za-z0-9]{6,10}$", order_id))


ALNUM = "ABCXYZabcxyz0189"
OTHERS = ["é", "İ", "ß", "٣", "Ａ", "１", "_", "-", " ", "\t", "\n", "\r", ".", "#", "\u00a0", "😀"]

EDGES = [
    "", "ABC12", "ABC123", "ABC1234567", "ABC12345678", "abcdef", "123456", "ABC123\n", "ABC123\n\n",
    "\nABC123", "ABC123 ", " ABC123", "ABC 123", "ABC-123", "ABC_123", "ABC12é", "ABCİ12", "ABC１23",
    "ABC123\r\n", "ABCDEFGHIJ\n", "ABCDEFGHIJK\n", "ABC12\n",
]


def cases():
    rng = random.Random(102)
    seen = set(EDGES)
    out = list(EDGES)
    while len(out) < 3000:
        length = rng.randint(0, 12)
        # Mostly letters and digits, so that both verdicts are common.
        chars = [rng.choice(ALNUM) if rng.random() < 0.9 else rng.choice(OTHERS) for _ in range(length)]
        s = "".join(chars)
        if s not in seen:
            seen.add(s)
            out.append(s)
    return [[s, valid_order_id(s)] for s in out]


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "tests/data/order_id_cases.json"
    lines = [json.dumps(case, ensure_ascii=False) for case in cases()]
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"pattern": ' + json.dumps(r"^[A-Za-z0-9]{6,10}$") + ',\n "cases": [\n')
        f.write(",\n".join(lines))
        f.write("\n]}\n")


if __name__ == "__main__":
    main()
