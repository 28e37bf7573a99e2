#!/usr/bin/env python3
"""Generates benchmark inputs in target/bench/ (not committed; deterministic):
faq_1k.csv, faq_10k.csv (Question,Answer,Category), queries_1k.tsv and
queries_10k.tsv (100 customer-style queries each, with the question they mean: typos,
dropped words, lower case),
and big.csv (about 10 MB) for parse throughput.

Usage: python3 tools/gen_bench_data.py [OUTDIR]
"""

import csv
import os
import random
import sys

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
CATEGORIES = ["Orders", "Returns", "Shipping", "Payment", "Account", "Subscriptions", "Support"]
FILLER = ("Our team handles this within one business day. You can also visit the help centre, "
          "where step-by-step guides explain every option, or contact customer service by chat or email.").split()




def knowledge_base(rng, rows):
    combos = [(v, o, q) for v in VERBS for o in OBJECTS for q in QUALIFIERS]
    rng.shuffle(combos)
    out = []
    for v, o, q in combos[:rows]:
        question = f"How do I {v} my {o} {q}?"
        answer = f"To {v} your {o} {q}, open your account settings and choose {o}. " + " ".join(rng.sample(FILLER, 12)) + "."
        out.append((question, answer, rng.choice(CATEGORIES)))
    return out


def queries(rng, kb, n=100):
    out = []
    for question, _, _ in rng.sample(kb, n):
        words = question.rstrip("?").split()
        if rng.random() < 0.5:
            words = words[3:]  # "track my order online" style
        q = " ".join(words).lower()
        for _ in range(rng.randrange(3)):
            q = typo(rng, q)
        out.append((q, question))
    return out


def write_kb(path, kb):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Question", "Answer", "Category"])
        w.writerows(kb)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "target/bench"
    os.makedirs(out, exist_ok=True)
    rng = random.Random(7)
    for label, rows in [("1k", 1000), ("10k", 10000)]:
        kb = knowledge_base(rng, rows)
        write_kb(os.path.join(out, f"faq_{label}.csv"), kb)
        with open(os.path.join(out, f"queries_{label}.tsv"), "w", encoding="utf-8") as f:
            f.write("".join(f"{q}\t{expected}\n" for q, expected in queries(rng, kb)))
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
