"""CLINC150 through the evaluation contract (tools/faq_eval.sh): writes the table of
BENCHMARKS.md's "Understanding customers: CLINC150" section. Run by tools/clinc_bench.sh.

FAQs: the first k training phrasings of each of the 150 intents (k = 1 and 10), Question =
phrasing, Answer = intent name. Questions: the 4,500 in-scope test questions and the 1,000
out-of-scope ones (oos_test), asked with the full tier (sentence embeddings fused with the
lexical tier) and with the lexical tier alone (--lexical). The decision's constants were
fitted on train / val / oos_train / oos_val only (tools/clinc_tune.sh); test and oos_test
are read here and nowhere else.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEGIN = "<!-- clinc150:begin (tools/clinc_bench.sh writes this section) -->"
END = "<!-- clinc150:end -->"
SHOTS = (1, 10)
# The demo FAQ's own evaluation sets (tests/data/), and what each is to the demo's phrasings.
DEMO_SETS = (
    ("faq_eval.csv", "written before the phrasings; its misses were known when they were written (tuning)"),
    ("faq_heldout.csv", "written before the phrasings; its misses were known too (tuning)"),
    ("faq_blind.csv", "written blind by a helper before the phrasings; its 2 misses became the last 3 phrasings (tuning)"),
    ("faq_blind2.csv", "written blind by a second helper before those 3 (held out)"),
)
# The public bars of issue 12: (tier, k) -> (right >=, wrong <=, out-of-scope refused >=), in %.
BARS = {
    ("full", 10): (70, 10, 80),
    ("full", 1): (45, 15, 80),
    ("lexical", 10): (45, 12, 80),
}


def build_faq(train, k, path):
    seen = {}
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Question", "Answer"])
        for text, intent in train:
            if seen.get(intent, 0) < k:
                seen[intent] = seen.get(intent, 0) + 1
                writer.writerow([text, intent])
    return sum(seen.values())


def run_eval(faq, questions, lexical):
    cmd = ["bash", str(ROOT / "tools" / "faq_eval.sh"), str(faq), str(questions)] + (["--lexical"] if lexical else [])
    started = time.monotonic()
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    return [json.loads(line) for line in out.splitlines()], time.monotonic() - started


def score(results, gold):
    """gold: intent per question, None for out of scope."""
    n_in = sum(g is not None for g in gold)
    n_oos = len(gold) - n_in
    t = dict(right=0, clarify_right=0, clarify_other=0, refused=0, wrong=0, oos_refused=0, oos_clarify=0, oos_answered=0)
    for r, g in zip(results, gold):
        d, answers = r["decision"], r["answers"]
        if g is None:
            t[{"refuse": "oos_refused", "clarify": "oos_clarify", "answer": "oos_answered"}[d]] += 1
        elif d == "answer":
            t["right" if answers == [g] else "wrong"] += 1
        elif d == "clarify":
            t["clarify_right" if g in answers else "clarify_other"] += 1
        else:
            t["refused"] += 1
    pct = lambda n, of: 100.0 * n / of
    return {
        "right": pct(t["right"], n_in),
        "clarify": pct(t["clarify_right"] + t["clarify_other"], n_in),
        "clarify_right": pct(t["clarify_right"], n_in),
        "refused": pct(t["refused"], n_in),
        "wrong": pct(t["wrong"], n_in),
        "oos_refused": pct(t["oos_refused"], n_oos),
        "oos_clarify": pct(t["oos_clarify"], n_oos),
        "oos_answered": pct(t["oos_answered"], n_oos),
    }


def ask_demo(faq, answer_of, name, out, tier):
    """One evaluation set of tests/data/ through faq_eval.sh against `faq`:
    (answerable right, answerable, cannot answer and refused, cannot answer)."""
    with open(ROOT / "tests" / "data" / name, newline="", encoding="utf-8") as f:
        cases = [(r[0], r[1] if len(r) > 1 else "") for r in csv.reader(f)][1:]
    cases = [(q, e) for q, e in cases if q and not q.startswith("#")]
    questions = out / f"demo_{name}.txt"
    questions.write_text("".join(q + "\n" for q, _ in cases), encoding="utf-8")
    results, _ = run_eval(faq, questions, lexical=(tier == "lexical"))
    right = refused = 0
    for r, (_, expected) in zip(results, cases):
        if not expected:
            refused += r["decision"] == "refuse"
        elif r["decision"] in ("answer", "clarify") and answer_of[expected] in r["answers"]:
            right += 1
    answerable = sum(1 for _, e in cases if e)
    return right, answerable, refused, len(cases) - answerable


def demo_rows(out):
    """The demo FAQ (public/faq_data.csv) asked its evaluation sets, both tiers, and the
    seed's rows alone (the first row of each answer) asked the held-out set:
    ([(set, note, tier, right, answerable, refused, cannot answer)], seed rows, phrasing rows,
    {tier: (right, answerable)} of the seed's rows alone)."""
    demo = ROOT / "public" / "faq_data.csv"
    with open(demo, newline="", encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    answer_of = {}
    for row in table:
        answer_of.setdefault(row["Question"], row["Answer"])
    firsts = {}
    for row in table:
        firsts.setdefault(row["Answer"], row)
    seed_only = out / "demo_seed_rows.csv"
    with open(seed_only, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Question", "Answer"])
        writer.writerows([r["Question"], r["Answer"]] for r in firsts.values())
    rows = []
    for name, note in DEMO_SETS:
        for tier in ("full", "lexical"):
            rows.append((name, note, tier) + ask_demo(demo, answer_of, name, out, tier))
    held_out = DEMO_SETS[-1][0]
    seed = {tier: ask_demo(seed_only, answer_of, held_out, out, tier)[:2] for tier in ("full", "lexical")}
    return rows, len(firsts), len(table) - len(firsts), seed


def bar_note(tier, k, m):
    bar = BARS.get((tier, k))
    if bar is None:
        return "—"
    right, wrong, oos = bar
    ok = m["right"] >= right and m["wrong"] <= wrong and m["oos_refused"] >= oos
    return f"≥ {right} % / ≤ {wrong} % / ≥ {oos} %: {'met' if ok else 'NOT met'}"


def section(rows, faq_rows, n_in, n_oos, demo):
    demo_table, n_seed, n_more, seed = demo
    lines = [
        BEGIN,
        "## Understanding customers: CLINC150",
        "",
        "Written by `bash tools/clinc_bench.sh` (not by `tools/bench.sh`). CLINC150 (Larson et al. 2019, CC BY 3.0):",
        f"an FAQ of the first k training phrasings of each of its 150 intents (Question = phrasing, Answer = intent name;",
        f"{faq_rows[1]:,} rows at 1-shot, {faq_rows[10]:,} at 10-shot), asked the {n_in:,} in-scope test questions and the",
        f"{n_oos:,} out-of-scope ones (oos_test), each through `tools/faq_eval.sh` — the engine, model file",
        "(`target/model/minilm.gguf`) and thresholds the browser uses. *Full*: sentence embeddings (all-MiniLM-L6-v2,",
        "8-bit) fused with the lexical tier; *lexical*: `--lexical`, the tier that answers before the model has loaded.",
        "",
        "In-scope columns are shares of the in-scope questions: *answered right*, *did you mean* (the share where the",
        "right answer is among the 2–3 offered in brackets; counted neither right nor wrong), *refused*, *wrong answer*.",
        "*Out-of-scope refused*: share of oos_test refused (a \"did you mean\" is not a refusal).",
        "The decision's constants (src/engine/understand/decision.rs) were fitted on CLINC150 train, val, oos_train and",
        "oos_val only (`bash tools/clinc_tune.sh`), one set per tier for every FAQ size; test and oos_test were used",
        "for this table only.",
        "",
        "| tier | FAQ | answered right | did you mean (right one offered) | refused | wrong answer | out-of-scope refused | time | bar (right / wrong / OOS) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for tier, k, m, seconds in rows:
        lines.append(
            f"| {tier} | {k}-shot ({faq_rows[k]:,} rows) | {m['right']:.1f} % | {m['clarify']:.1f} % ({m['clarify_right']:.1f} %) "
            f"| {m['refused']:.1f} % | {m['wrong']:.1f} % | {m['oos_refused']:.1f} % | {seconds:.0f} s | {bar_note(tier, k, m)} |"
        )
    lines += [
        "",
        "*Time*: wall time of the whole `tools/faq_eval.sh` run on this machine (2 cores), embedding the FAQ and all",
        f"{n_in + n_oos:,} questions included.",
        "",
        "### The demo FAQ on customer phrasings",
        "",
        f"The demo FAQ (`public/faq_data.csv`: the seed's {n_seed} questions and {n_more} more phrasings of their answers)",
        "asked its evaluation sets in `tests/data/` through the same tool. *Answerable right*: the right answer, or a",
        "\"did you mean\" that offers it; *cannot answer, refused*: the questions the FAQ has no answer for.",
        f"On the held-out set, the seed's {n_seed} rows alone get {seed['full'][0]} / {seed['full'][1]} (full) and "
        f"{seed['lexical'][0]} / {seed['lexical'][1]} (lexical) answerable right.",
        "",
        "| set | what it is | tier | answerable right | cannot answer, refused |",
        "|---|---|---|---|---|",
    ]
    for name, note, tier, right, answerable, refused, oos in demo_table:
        lines.append(f"| `{name}` | {note} | {tier} | {right} / {answerable} | {refused} / {oos} |")
    lines += [
        END,
    ]
    return "\n".join(lines)


def write_section(text, path):
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        new = head + text + tail
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(new, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=os.environ.get("CLINC150", str(ROOT.parent / "shared/benchmarks/clinc150/data_full.json")))
    parser.add_argument("--out", default=str(ROOT / "target" / "clinc_bench"))
    parser.add_argument("--benchmarks", default=str(ROOT / "BENCHMARKS.md"))
    args = parser.parse_args()
    data = json.loads(Path(args.data).read_text(encoding="utf-8"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    asked = data["test"] + data["oos_test"]
    gold = [intent if intent != "oos" else None for _, intent in data["test"]] + [None] * len(data["oos_test"])
    questions = out / "questions.txt"
    for text, _ in asked:
        if "\n" in text or "\r" in text:
            sys.exit(f"a question spans lines: {text!r}")
    questions.write_text("".join(text + "\n" for text, _ in asked), encoding="utf-8")
    faq_rows = {}
    rows = []
    for tier in ("full", "lexical"):
        for k in SHOTS:
            faq = out / f"faq_{k}shot.csv"
            faq_rows[k] = build_faq(data["train"], k, faq)
            print(f"[clinc] {tier}, {k}-shot: {len(asked)} questions through tools/faq_eval.sh", file=sys.stderr)
            results, seconds = run_eval(faq, questions, lexical=(tier == "lexical"))
            if len(results) != len(asked) or any(r["question"] != q for r, (q, _) in zip(results, asked)):
                sys.exit("faq_eval.sh did not answer every question in order")
            (out / f"results_{tier}_{k}shot.jsonl").write_text("".join(json.dumps(r) + "\n" for r in results), encoding="utf-8")
            m = score(results, gold)
            print(f"[clinc] {tier} {k}-shot: {json.dumps({key: round(v, 1) for key, v in m.items()})}", file=sys.stderr)
            rows.append((tier, k, m, seconds))
    text = section(rows, faq_rows, len(data["test"]), len(data["oos_test"]), demo_rows(out))
    write_section(text, Path(args.benchmarks))
    print(text)


if __name__ == "__main__":
    main()
