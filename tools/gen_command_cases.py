#!/usr/bin/env python3
"""Generates tests/data/command_cases.json: the seed's own find_command (Topic 10.1)
run by CPython on generated messages: aliases, typos of them, sentences around
them, unrelated text, odd white space and case. Each case also records the command
its message was written to mean ("intended", null for unrelated text) and the alias
as typed into it ("typed"), so that tests/command_bot.rs can check what chatdeck
understands against what was meant, not only against what the seed finds.

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




def command_of(alias):
    return next(cmd for cmd, aliases in commands.items() if alias in aliases)


def message(rng):
    """A message, the command its writer meant (None: no command) and the alias as
    typed into the message (with its typos, before any change of case)."""
    roll = rng.random()
    if roll < 0.25:
        alias = rng.choice(ALIASES)
        s = alias
        for _ in range(rng.randrange(3)):
            s = typo(rng, s)
        intended, typed = command_of(alias), s
    elif roll < 0.7:
        alias = rng.choice(ALIASES)
        word = alias
        if rng.random() < 0.5:
            word = typo(rng, word)
        parts = rng.sample(FILLERS, k=rng.randrange(0, 3)) + [word] + rng.sample(FILLERS, k=rng.randrange(0, 3))
        s = " ".join(parts)
        intended, typed = command_of(alias), word
    else:
        s = rng.choice(OTHER)
        if rng.random() < 0.3:
            s = typo(rng, s)
        intended, typed = None, None
    if rng.random() < 0.2:
        s = s.upper() if rng.random() < 0.5 else s.title()
    if rng.random() < 0.2:
        s = rng.choice([" ", "\t", "\n", "\u00a0", "\u2003", "\x1f"]) + s + rng.choice([" ", "\n", "\x1c"])
    return s, intended, typed


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/data/command_cases.json"
    rng = random.Random(SEED)
    seen, cases = set(), []
    while len(cases) < 3000:
        m, intended, typed = message(rng)
        if m in seen:
            continue
        seen.add(m)
        cases.append({"input": m, "intended": intended, "typed": typed, "seed": find_command(m)})
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"python": sys.version.split()[0], "cases": cases}, f, ensure_ascii=False, indent=0)
        f.write("\n")


if __name__ == "__main__":
    main()
