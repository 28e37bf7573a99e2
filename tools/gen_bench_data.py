#!/usr/bin/env python3
"""Generates benchmark inputs in target/bench/ (not committed; deterministic):
faq_1k.csv, faq_10k.csv (Question,Answer,Category), queries_1k.tsv and
queries_10k.tsv (100 customer-style queries each, with the question they mean: typos,
dropped words, lower case), heldout_1k.tsv and heldout_10k.tsv (100 more such
queries each, drawn with another seed), big.csv (about 10 MB) for parse
throughput, and seeds.json (the two seeds, for the report).

Two query sets, because the FAQ ranker has been tuned while looking at the first:
- queries_*.tsv, from --seed (default 7): the tuning set. Look at it, tune on it,
  time on it.
- heldout_*.tsv, from --heldout-seed (default 2): the held-out set, over the same
  knowledge bases, with none of the tuning set's queries. BENCHMARKS.md reports
  accuracy on it; never tune on it (change the seed instead of looking).

Usage: python3 tools/gen_bench_data.py [OUTDIR] [--seed N] [--heldout-seed N]
"""

import argparse
import csv
import json
import os
import random

from typos import typo

VERBS = ["track", "cancel", "return", "change", "update", "pay for", "ship", "exchange", "find", "reset",
         "upgrade", "renew", "transfer", "download", "activate", "pause", "delete", "share", "print", "gift"]
OBJECTS = ["order", "subscription", "account", "password", "invoice", "delivery address", "gift card",
           "warranty", "membership", "payment method", "parcel", "laptop", "phone plan", "booking",
           "reservation", "voucher", "refund", "profile picture", "newsletter", "loyalty points"]
QUALIFIERS = ["online", "in the app", "from abroad", "after 30 days", "without a receipt", "on a weekend",
              "with PayPal", "for a business", "as a guest", "before it ships", "in another currency",
              "for a family member", "on my phone", "by email", "in store", "twice", "for free", "today",
              "after it arrived", "with a coupon"]
# Only for knowledge bases of more than 20 × 20 × 20 = 8,000 rows: with these, 10,000.
MORE_QUALIFIERS = ["at the airport", "from a wish list", "for a student", "on a tablet", "in bulk"]
CATEGORIES = ["Orders", "Returns", "Shipping", "Payment", "Account", "Subscriptions", "Support"]
FILLER = ("Our team handles this within one business day. You can also visit the help centre, "
          "where step-by-step guides explain every option, or contact customer service by chat or email.").split()




def knowledge_base(rng, rows):
    combos = [(v, o, q) for v in VERBS for o in OBJECTS for q in QUALIFIERS]
    if rows > len(combos):
        combos += [(v, o, q) for v in VERBS for o in OBJECTS for q in MORE_QUALIFIERS]
    if rows > len(combos):
        raise ValueError(f"{rows} rows asked for, {len(combos)} distinct questions possible")
    rng.shuffle(combos)
    out = []
    for v, o, q in combos[:rows]:
        question = f"How do I {v} my {o} {q}?"
        answer = f"To {v} your {o} {q}, open your account settings and choose {o}. " + " ".join(rng.sample(FILLER, 12)) + "."
        out.append((question, answer, rng.choice(CATEGORIES)))
    return out


def queries(rng, kb, n=100, exclude=frozenset()):
    """`n` queries, each for another question of `kb`; a query that is in `exclude`
    is drawn again."""
    out = []
    for question, _, _ in rng.sample(kb, n):
        q = query(rng, question)
        while q in exclude:
            q = query(rng, question)
        out.append((q, question))
    return out


def query(rng, question):
    """A customer's phrasing of `question`."""
    words = question.rstrip("?").split()
    if rng.random() < 0.5:
        words = words[3:]  # "track my order online" style
    q = " ".join(words).lower()
    for _ in range(rng.randrange(3)):
        q = typo(rng, q)
    return q


def write_queries(path, queries):
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(f"{q}\t{expected}\n" for q, expected in queries))


def write_kb(path, kb):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Question", "Answer", "Category"])
        w.writerows(kb)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", default="target/bench", help="output directory")
    parser.add_argument("--seed", type=int, default=7, help="knowledge bases and the tuning queries")
    parser.add_argument("--heldout-seed", type=int, default=2, help="the held-out queries")
    args = parser.parse_args()
    if args.heldout_seed == args.seed:
        parser.error("the held-out set needs another seed than the tuning set")
    out = args.out
    os.makedirs(out, exist_ok=True)
    rng = random.Random(args.seed)
    heldout_rng = random.Random(args.heldout_seed)
    for label, rows in [("1k", 1000), ("10k", 10000)]:
        kb = knowledge_base(rng, rows)
        write_kb(os.path.join(out, f"faq_{label}.csv"), kb)
        tuning = queries(rng, kb)
        write_queries(os.path.join(out, f"queries_{label}.tsv"), tuning)
        heldout = queries(heldout_rng, kb, exclude={q for q, _ in tuning})
        write_queries(os.path.join(out, f"heldout_{label}.tsv"), heldout)
    with open(os.path.join(out, "seeds.json"), "w", encoding="utf-8") as f:
        json.dump({"seed": args.seed, "heldout_seed": args.heldout_seed}, f)
    big = knowledge_base(rng, 8000)
    with open(os.path.join(out, "big.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Question", "Answer", "Category"])
        size = 0
        i = 0
        while size < 10 * 1024 * 1024:
            q, a, c = big[i % len(big)]
            row = (f"{q} ({i})", a + ' "quoted", with commas,\nand a second line.', c)
            w.writerow(row)
            size += sum(len(x) for x in row) + 10
            i += 1


if __name__ == "__main__":
    main()
