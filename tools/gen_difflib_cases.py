#!/usr/bin/env python3
"""Generates tests/data/difflib_cases.json: expectations from CPython's real difflib.

The Rust port in src/engine/fuzzy.rs must reproduce every number and every ordering
here. The generator is deterministic (fixed seed), so CI regenerates the file and
fails if it differs from the committed copy; that keeps the committed expectations
honest without anyone writing a number by hand.

Usage: python3 tools/gen_difflib_cases.py [OUTPUT]
"""

import difflib
import json
import random
import sys

from typos import typo

SEED = 20261125
RATIO_CASES = 3000
CLOSE_MATCH_CASES = 1200

WORDS = [
    "cancel", "stop", "abort", "postpone", "delay", "postpne", "reschedule", "change",
    "move", "status", "check", "track", "refund", "money", "return", "help", "commands",
    "options", "order", "shipping", "delivery", "payment", "account", "password",
    "how do i track my order?", "what is your return policy?", "how long does shipping take?",
    "do you offer international shipping?", "how do i cancel my order?",
    "what payment methods do you accept?", "how do i create an account?",
    "café", "naïve", "straße", "日本語", "emoji 😀 party", "ÅÄÖ", "ﬁle", "e\u0301",
]
ALPHABETS = [
    "abcdefghijklmnopqrstuvwxyz",
    "ab",
    "abc ",
    "aeiou xyz",
    "áéíóúñç",
    "αβγδε",
    "你好世界",
    "😀😃😄😁",
    "ab\u0301\u200f\u202e",
]




def random_string(rng, max_len):
    alphabet = rng.choice(ALPHABETS)
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(max_len + 1)))


def some_string(rng):
    roll = rng.random()
    if roll < 0.35:
        s = rng.choice(WORDS)
        for _ in range(rng.randrange(3)):
            s = typo(rng, s, " .,!?")
        return s
    if roll < 0.85:
        return random_string(rng, 24)
    if roll < 0.90:
        return ""
    # Long strings: 180..420 characters, around the autojunk threshold of 200.
    alphabet = rng.choice(ALPHABETS)
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(180, 421)))


def related_pair(rng):
    a = some_string(rng)
    roll = rng.random()
    if roll < 0.4:
        b = a
        for _ in range(rng.randrange(1, 6)):
            b = typo(rng, b, " .,!?")
    elif roll < 0.5:
        b = a
    else:
        b = some_string(rng)
    return (a, b) if rng.random() < 0.5 else (b, a)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/data/difflib_cases.json"
    rng = random.Random(SEED)
    ratios = []
    for _ in range(RATIO_CASES):
        a, b = related_pair(rng)
        ratios.append({"a": a, "b": b, "ratio": difflib.SequenceMatcher(None, a, b).ratio()})

    close = []
    for _ in range(CLOSE_MATCH_CASES):
        word = some_string(rng) if rng.random() < 0.3 else rng.choice(WORDS)
        pool = [typo(rng, word, " .,!?") for _ in range(rng.randrange(4))]
        pool += [some_string(rng) for _ in range(rng.randrange(1, 12))]
        if pool and rng.random() < 0.3:
            pool += rng.sample(pool, k=min(len(pool), 2))  # duplicates are kept by difflib
        rng.shuffle(pool)
        n = rng.choice([1, 1, 2, 3, 5, 50])
        cutoff = rng.choice([0.0, 0.3, 0.4, 0.6, 0.6, 0.75, 0.9, 1.0])
        close.append({
            "word": word,
            "possibilities": pool,
            "n": n,
            "cutoff": cutoff,
            "expected": difflib.get_close_matches(word, pool, n=n, cutoff=cutoff),
        })

    with open(out, "w", encoding="utf-8") as f:
        json.dump({
            "python": sys.version.split()[0],
            "seed": SEED,
            "ratio": ratios,
            "close_matches": close,
        }, f, ensure_ascii=False, indent=0)
        f.write("\n")


if __name__ == "__main__":
    main()
