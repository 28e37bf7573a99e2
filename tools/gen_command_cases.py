#!/usr/bin/env python3
"""Generates tests/data/command_cases.json: the seed's own find_command (Topic 10.1)
run by CPython on generated messages: aliases, typos of them, sentences around
them, unrelated text, odd white space and case.

Usage: python3 tools/gen_command_cases.py [OUTPUT]
"""

import json
import random
import sys
from difflib import get_close_matches

from typos import typo

# The seed's table and function, verbatim.
commands = {
    'cancel': ['cancel', 'stop', 'abort'],
    'postpone': ['postpone', 'delay', 'postpne'],
    'reschedule': ['reschedule', 'change', 'move'],
    'status': ['status', 'check', 'track'],
    'refund': ['refund', 'money', 'return'],
    'help': ['help', 'commands', 'options']
}


def find_command(user_input):
    user_input = user_input.lower().strip()
    for cmd, aliases in commands.items():
        if user_input in aliases:
            return cmd
    all_aliases = [alias for aliases in commands.values() for alias in aliases]
    matches = get_close_matches(user_input, all_aliases, n=1, cutoff=0.6)
    if matches:
        for cmd, aliases in commands.items():
            if matches[0] in aliases:
                return cmd
    return None


SEED = 101
ALIASES = [a for aliases in commands.values() for a in aliases]
FILLERS = ["i want to", "please", "can you", "my order", "now", "asap", "the delivery",
           "hi,", "hello", "thanks", "?", "!", "order", "it", "for me"]
OTHER = ["hello", "good morning", "what is this", "weather today", "xyzzy", "", "   ",
         "¿dónde está mi pedido?", "注文をキャンセル", "😀", "ok", "yes", "no", "c", "ca"]




def message(rng):
    roll = rng.random()
    if roll < 0.25:
        s = rng.choice(ALIASES)
        for _ in range(rng.randrange(3)):
            s = typo(rng, s)
    elif roll < 0.7:
        word = rng.choice(ALIASES)
        if rng.random() < 0.5:
            word = typo(rng, word)
        parts = rng.sample(FILLERS, k=rng.randrange(0, 3)) + [word] + rng.sample(FILLERS, k=rng.randrange(0, 3))
        s = " ".join(parts)
    else:
        s = rng.choice(OTHER)
        if rng.random() < 0.3:
            s = typo(rng, s)
    if rng.random() < 0.2:
        s = s.upper() if rng.random() < 0.5 else s.title()
    if rng.random() < 0.2:
        s = rng.choice([" ", "\t", "\n", "\u00a0", "\u2003", "\x1f"]) + s + rng.choice([" ", "\n", "\x1c"])
    return s


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/data/command_cases.json"
    rng = random.Random(SEED)
    seen, cases = set(), []
    while len(cases) < 3000:
        m = message(rng)
        if m in seen:
            continue
        seen.add(m)
        cases.append({"input": m, "seed": find_command(m)})
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"python": sys.version.split()[0], "cases": cases}, f, ensure_ascii=False, indent=0)
        f.write("\n")


if __name__ == "__main__":
    main()
