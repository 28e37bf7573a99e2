#!/usr/bin/env python3
"""CPython side of the benchmarks: the seed's FAQ method (difflib.get_close_matches
over lower-cased questions, n=1, cutoff=0.4) per query at 1k and 10k rows, its
accuracy on the same queries, and csv-module parse throughput of big.csv.
Prints one JSON object.

Usage: python3 tools/bench_cpython.py [BENCHDIR]
"""

import csv
import io
import json
import statistics
import sys
import time
from difflib import get_close_matches


def load_kb(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r["Question"] for r in rows]


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "target/bench"
    out = {"python": sys.version.split()[0]}
    for label in ["1k", "10k"]:
        questions = load_kb(f"{d}/faq_{label}.csv")
        lowered = [q.lower() for q in questions]
        queries = [line.rstrip("\n").split("\t") for line in open(f"{d}/queries_{label}.tsv", encoding="utf-8")]
        times, right = [], 0
        for q, expected in queries:
            t = time.perf_counter()
            m = get_close_matches(q.lower(), lowered, n=1, cutoff=0.4)
            times.append(time.perf_counter() - t)
            if m and questions[lowered.index(m[0])] == expected:
                right += 1
        out[f"seed_query_ms_{label}"] = statistics.median(times) * 1000
        out[f"seed_accuracy_{label}"] = right / len(queries)
    data = open(f"{d}/big.csv", encoding="utf-8").read()
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        n = sum(1 for _ in csv.reader(io.StringIO(data)))
        runs.append(time.perf_counter() - t)
    out["csv_mb_per_s"] = len(data.encode()) / 1_048_576 / statistics.median(runs)
    out["csv_rows"] = n
    print(json.dumps(out))


if __name__ == "__main__":
    main()
