#!/usr/bin/env python3
"""Writes BENCHMARKS.md from one run of tools/bench.sh: criterion's estimates
(target/criterion), the FAQ workloads timed natively by benches/engine.rs
(target/bench/native.json) and in WASM by the same harness (WASM_JSON), and the
CPython results (JSON files).

The first visit is counted from dist/ (sw.js's lists); the other JSON files are the
outputs of the steps of tools/bench.sh.

Usage: python3 tools/bench_report.py WASM_JSON CPYTHON_JSON CRATES_JSON PAGE_JSON
       [LONG_JSON [READY_JSON [ENGINES_JSON]]]
"""

import gzip
import json
import platform
import re
import subprocess
import sys
from pathlib import Path


def criterion(group, name):
    """Median of a criterion benchmark, in ms."""
    base = Path("target/criterion") / group / name.replace("/", "_")
    est = json.loads((base / "new" / "estimates.json").read_text())
    return est["median"]["point_estimate"] / 1e6


def first_visit(dist=Path("dist")):
    """Every file a first visit downloads, (raw, gzip -9) by name: index.html, sw.js, what
    the service worker precaches (its SHELL list, which tools/post_build.py writes), and the
    largest of the data files (its DATA list), since the bot opened first fetches its own
    (icons, the manifest and the model worker are cached when used, not before)."""
    sw = (dist / "sw.js").read_text()
    lists = {name: json.loads(re.search(rf"const {name} = (\[.*?\]);", sw).group(1)) for name in ("SHELL", "DATA")}
    largest = max(lists["DATA"], key=lambda f: len(gzip.compress((dist / f).read_bytes(), 9)), default=None)
    names = ["index.html", "sw.js"] + [f for f in lists["SHELL"] if f != "./"] + ([largest] if largest else [])
    return {name: (len(data), len(gzip.compress(data, 9))) for name in names for data in [(dist / name).read_bytes()]}


def fmt(ms):
    if ms < 0.001:
        return f"{ms * 1e6:.0f} ns"
    if ms < 1:
        return f"{ms * 1000:.1f} µs"
    return f"{ms:.2f} ms"


def main():
    wasm = json.loads(Path(sys.argv[1]).read_text())
    # Written by `cargo bench --bench engine` with the harness wasm_bench.rs runs too.
    native = json.loads(Path("target/bench/native.json").read_text())
    seeds = json.loads(Path("target/bench/seeds.json").read_text())
    py = json.loads(Path(sys.argv[2]).read_text())
    # Counted from the service worker's own lists: exactly what the first visit downloads.
    sizes = first_visit()
    crates = json.loads(Path(sys.argv[3]).read_text())
    page = json.loads(Path(sys.argv[4]).read_text())
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    chromium = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()

    big_mb = Path("target/bench/big.csv").stat().st_size / 1_048_576
    for label in ["1k", "10k"]:
        # Both builds must answer alike; a difference would be a bug, not a platform effect.
        for key in ["accuracy", "seed_accuracy", "tuning_accuracy"]:
            if native[label][key] != wasm[label][key]:
                sys.exit(f"{label} {key}: native {native[label][key]} but WASM {wasm[label][key]}")
    lines = [
        "# Benchmarks",
        "",
        "Numbers from one run of `bash tools/bench.sh` (it regenerates this file). Medians.",
        f"Machine: {cpu}, 2 cores; {rustc}; {chromium}; CPython {py['python']}.",
        "Inputs: `tools/gen_bench_data.py` (deterministic): synthetic FAQ files of 1,000 and 10,000",
        "support questions with answers, customer-style queries (typos, dropped words, lower case)",
        "with the question each one means, and a 10 MB CSV with quoted fields. Two sets of 100 queries",
        f"per file: the tuning set (seed {seeds['seed']}), which an earlier FAQ ranker was tuned while looking at,",
        f"and a held-out set drawn with another seed ({seeds['heldout_seed']}) and never tuned on. Accuracy is reported on the",
        "held-out set; the tuning set's is shown beside it for comparison.",
        "",
        "Native and WASM figures below come from one harness (`benches/workloads`), run by",
        "`cargo bench --bench engine` natively and by `examples/wasm_bench.rs` in Chromium: the same",
        "workloads, repetitions and statistic (median of 5 passes over the queries, mean per query;",
        "median of 5 builds; median of 3 parses). Timing uses the tuning queries, as CPython does",
        "(`tools/bench_cpython.py` times each query and reports the median).",
        "",
        "## FAQ: per-query latency and accuracy",
        "",
        "\"Seed method\" is the seed's matcher: `get_close_matches(q.lower(), questions, n=1, cutoff=0.4)`,",
        "in CPython and in chatdeck's exact port. \"Ranker\" is chatdeck's FAQ lookup with the lexical tier",
        "(`KnowledgeBase::lookup`, src/engine/understand/lexical.rs: the index built once at load; the tier",
        "that answers before the model has loaded). Accuracy: share of the held-out queries answered with the question they mean",
        "(native and WASM answer alike; the port answers as CPython does, `tests/difflib_parity.rs`).",
        "",
        "| rows | ranker native | ranker WASM | seed method, CPython | seed method, port native | seed method, port WASM | ranker accuracy, held-out | seed accuracy, held-out | ranker accuracy, tuning set |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label in ["1k", "10k"]:
        n, w = native[label], wasm[label]
        lines.append(
            f"| {label} | {fmt(n['lookup_ms'])} | {fmt(w['lookup_ms'])} "
            f"| {fmt(py[f'seed_query_ms_{label}'])} | {fmt(n['seed_query_ms'])} | {fmt(w['seed_query_ms'])} "
            f"| {n['accuracy']:.0%} of {n['heldout_queries']} | {n['seed_accuracy']:.0%} "
            f"| {n['tuning_accuracy']:.0%} of {n['tuning_queries']} |"
        )
    r10 = py["seed_query_ms_10k"] / native["10k"]["lookup_ms"]
    rw10 = py["seed_query_ms_10k"] / wasm["10k"]["lookup_ms"]
    lines += [
        "",
        f"At 10k rows the ranker answers {r10:,.0f}× faster natively and {rw10:,.0f}× faster in WASM than",
        "CPython's difflib does with the seed's method.",
        "",
        "## FAQ: loading",
        "",
        "| | native | WASM (Chromium) | CPython `csv` |",
        "|---|---|---|---|",
        f"| CSV parse throughput ({big_mb:.0f} MB, quoted fields) | {native['csv_mb_per_s']:.0f} MB/s | {wasm['csv_mb_per_s']:.0f} MB/s | {py['csv_mb_per_s']:.0f} MB/s |",
        f"| parse + index, 1k rows | {fmt(native['1k']['build_ms'])} | {fmt(wasm['1k']['build_ms'])} | |",
        f"| parse + index, 10k rows | {fmt(native['10k']['build_ms'])} | {fmt(wasm['10k']['build_ms'])} | |",
        f"| suggestions while typing, 10k rows | {fmt(native['10k']['suggest_ms'])} | {fmt(wasm['10k']['suggest_ms'])} | |",
        "",
        "WASM linear memory never shrinks, so each reading is the high-water mark of all the instance",
        "did before it:",
        "",
        "| WASM linear memory | |",
        "|---|---|",
    ]
    for label in ["1k", "10k"]:
        one = wasm[label]["memory_one_load"]
        lines.append(
            f"| a fresh instance that loads the {label}-row FAQ once ({one['csv_mb']:.1f} MB of CSV copied in) "
            f"| {one['after_mb']:.1f} MB (from {one['before_mb']:.1f} MB) |"
        )
    lines += [
        f"| peak after the benchmark run: the 1k and 10k FAQs each built 6 times, one of each kept "
        f"| {wasm['memory_after_run_mb']:.1f} MB (from {wasm['memory_at_start_mb']:.1f} MB) |",
        "",
        "## difflib port",
        "",
        "| | native |",
        "|---|---|",
        f"| `ratio` of two short strings | {fmt(criterion('fuzzy', 'ratio/short'))} |",
        f"| `ratio` of two 250-character strings | {fmt(criterion('fuzzy', 'ratio/250 chars'))} |",
        "",
        "## Release build: first-load budget",
        "",
        "Every file the first visit downloads, as a static host sends it (gzip -9): index.html, sw.js,",
        "everything the service worker precaches (the app shell, the list in `dist/sw.js`), and the data",
        "file of the bot opened first (each bot fetches its own when opened; the largest is counted).",
        "Icons, the manifest and the model worker are cached when first used. Budget: 250 kB (250,000",
        "bytes) for all of it together.",
        "",
        "| file | raw | gzip -9 |",
        "|---|---|---|",
    ]
    for name, (raw, gz) in sizes.items():
        lines.append(f"| {name} | {raw:,} B | {gz:,} B |")
    total_raw = sum(raw for raw, _ in sizes.values())
    total_gz = sum(gz for _, gz in sizes.values())
    verdict = "within" if total_gz <= 250_000 else "OVER"
    wire = page["customer-service"]["chatdeck"]["bytes"]
    lines += [
        f"| **first load** | **{total_raw:,} B** | **{total_gz:,} B** ({verdict} the 250 kB budget) |",
        "",
        f"Measured on the wire in Chromium (bodies plus HTTP headers, below): {wire:,} B.",
        "",
        "### The wasm by crate",
        "",
        "Shallow sizes of functions and data by the crate each symbol comes from (`tools/wasm_crates.py`,",
        "twiggy), measured on the wasm-bindgen output before wasm-opt removes the names; the share is what",
        f"each crate weighs in that {crates['total']:,}-byte binary, the last column that share of the shipped",
        "gzip size (an estimate: wasm-opt and gzip do not shrink every crate alike). Generic std code is",
        "counted for the crate whose types it was instantiated with.",
        "",
        "| crate | before wasm-opt | share | ≈ gzip shipped |",
        "|---|---|---|---|",
    ]
    wasm_gz = next(gz for name, (_, gz) in sizes.items() if name.endswith(".wasm"))
    for crate, size in crates["crates"].items():
        share = size / crates["total"]
        if share < 0.003:
            continue
        lines.append(f"| {crate} | {size:,} B | {share:.1%} | {share * wasm_gz / 1000:.1f} kB |")
    small = sum(v for v in crates["crates"].values() if v / crates["total"] < 0.003)
    lines.append(f"| (others, each < 0.3 %) | {small:,} B | {small / crates['total']:.1%} | |")

    names = {"customer-service": "Customer Service (10.1)", "support": "Support (10.2)",
             "storyteller": "Storyteller (10.3, first segment)", "faq": "FAQ (10.4)"}
    runs = page["faq"]["chatdeck"]["runs"]
    lines += [
        "",
        "## chatdeck vs the seed's Streamlit apps",
        "",
        f"`tools/bench_page.mjs`, headless Chromium on 127.0.0.1, each number the median of {runs} fresh",
        "profiles (cold cache). chatdeck: `dist/` served with gzip like GitHub Pages (each file compressed once). Streamlit: the",
        "seed's four programs, unchanged (`tools/seed_apps.py`), under `streamlit run` "
        f"{page.get('streamlit_version', '')}.",
        "- **bytes**: everything transferred from navigation until the input accepts text and the",
        "  network has been quiet for 1 s (bodies as sent, headers, WebSocket frames).",
        "- **ready**: navigation start → the chat input is on screen and enabled (chatdeck's is index.html's",
        "  own until the app has started: it takes typing, and what was typed is carried into the bot).",
        "- **reply**: Enter keydown → the frame that paints the reply (stories: the first segment;",
        "  the same message to both apps). **frame**: which animation frame after the keydown painted it",
        "  (1 = the very next frame, i.e. within one frame).",
        "",
        "| bot | bytes chatdeck | bytes Streamlit | ratio | ready chatdeck | ready Streamlit | ratio "
        "| reply chatdeck | reply Streamlit | ratio | frame chatdeck / Streamlit |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for bot, label in names.items():
        c, st = page[bot]["chatdeck"], page[bot]["streamlit"]
        lines.append(
            f"| {label} | {c['bytes'] / 1000:,.0f} kB | {st['bytes'] / 1000:,.0f} kB | {st['bytes'] / c['bytes']:.1f}× "
            f"| {c['ready_ms']:.0f} ms | {st['ready_ms']:.0f} ms | {st['ready_ms'] / c['ready_ms']:.1f}× "
            f"| {c['reply_paint_ms']:.1f} ms | {st['reply_paint_ms']:.1f} ms | {st['reply_paint_ms'] / c['reply_paint_ms']:.1f}× "
            f"| {c['reply_frame']:.0f} / {st['reply_frame']:.0f} |"
        )
    lines += [
        "",
        "Reply times include waiting for the next display frame (up to 16.7 ms at 60 Hz); the DOM update",
        "itself (Enter → reply inserted) took "
        + ", ".join(f"{page[b]['chatdeck']['reply_insert_ms']:.1f} ms" for b in names)
        + " in chatdeck and "
        + ", ".join(f"{page[b]['streamlit']['reply_insert_ms']:.0f} ms" for b in names)
        + " in Streamlit (same bot order).",
    ]
    # The long conversation (tools/bench_long.mjs), when its JSON is given (argv[5]).
    if len(sys.argv) > 5:
        long = json.loads(Path(sys.argv[5]).read_text())
        lines += [
            "",
            "## A long conversation",
            "",
            f"`tools/bench_long.mjs`: {long['questions']:,} questions to the FAQ bot in one conversation, headless",
            "Chromium. Enter keydown → the frame that paints the reply (and → the reply in the DOM), median",
            "of the first 50 and of the last 50 questions; then a reload of the whole conversation.",
        ]
        if "runs_paint_ratio" in long:
            ratios = ", ".join(f"{r}×" for r in long["runs_paint_ratio"])
            lines += [
                f"The median of {len(long['runs_paint_ratio'])} runs by last / first (all of them: {ratios}): a run's",
                "first-50 median moves by about a frame, with the phase of the display's frames (a reply in the DOM",
                "after 16-19 ms is painted in the next frame or the one after).",
            ]
        lines += [
            "",
            "| | first 50 | last 50 | last / first |",
            "|---|---|---|---|",
            f"| Enter → reply painted | {long['first50_paint_ms']} ms | {long['last50_paint_ms']} ms | {long['paint_ratio']}× |",
            f"| Enter → reply in the DOM | {long['first50_insert_ms']} ms | {long['last50_insert_ms']} ms | |",
            "",
            f"Reload: the input is ready after {long['reload_ready_ms']} ms and the latest reply is shown after "
            f"{long['reload_latest_ms']} ms (navigation start). Messages before / after the reload: "
            f"{long['messages_before_reload']:,} / {long['messages_after_reload']:,}"
            + (" — nothing lost." if long["nothing_lost"] else " — MESSAGES LOST."),
        ]
    # Ready next to a blank page (tools/bench_ready.mjs), when its JSON is given (argv[6]).
    if len(sys.argv) > 6:
        ready = json.loads(Path(sys.argv[6]).read_text())
        lines += [
            "",
            "## Ready next to a blank page",
            "",
            "`tools/bench_ready.mjs`: navigation start → the message box on screen and enabled, in fresh",
            "Chromium contexts (cold cache, no service worker), served with gzip by one server that compresses each file once, as a CDN keeps it; the blank page",
            f"(one `<textarea>`, the floor) and each bot interleaved, median of {ready['runs']}. Budget: 1.3×.",
            "Until the app has started, the box is index.html's own (src/web/boot.rs): it takes typing, and",
            "a message sent there is sent by the app once it has started. **first paint**: the page's first",
            "pixels (the paint timing entry). **app started**: the app has drawn its own view.",
            "",
            "| page | ready | × blank | first paint | × blank | app started |",
            "|---|---|---|---|---|---|",
            f"| blank page | {ready['blank_ms']} ms | 1.0× | {ready['blank_first_paint_ms']} ms | 1.0× | |",
        ]
        lines += [
            f"| `#/{bot}` | {v['ready_ms']} ms | {v['ratio']}× | {v['first_paint_ms']} ms | {v['first_paint_ratio']}× "
            f"| {v['app_started_ms']} ms |"
            for bot, v in ready["bots"].items()
        ]
    # Every bot in the three engines (tools/bench_engines.mjs), when its JSON is given (argv[7]).
    if len(sys.argv) > 7:
        engines = json.loads(Path(sys.argv[7]).read_text())
        names = list(engines["engines"])
        lines += [
            "",
            "## Every engine",
            "",
            "`tools/bench_engines.mjs`, one run, the same harness and adapters as the end-to-end suite: per",
            "engine and bot, fresh contexts with no cache and no service worker, median of "
            f"{engines['runs']}. **ready**: navigation start → the message box on the page and enabled",
            "(index.html's own until the app has started: it takes typing; see src/web/boot.rs).",
            "**reply**: Enter → the reply in the log and a frame painted after it. WebKit is WebKitGTK's",
            "MiniBrowser under Xvfb, Firefox is Firefox ESR headless, Chromium is headless.",
            "",
            "| bot | " + " | ".join(f"ready {n}" for n in names) + " | " + " | ".join(f"reply {n}" for n in names) + " |",
            "|---|" + "---|" * (2 * len(names)),
        ]
        for route in engines["engines"][names[0]]["routes"]:
            cells = [f"{engines['engines'][n]['routes'][route]['load_ms']} ms" for n in names]
            cells += [f"{engines['engines'][n]['routes'][route]['reply_ms']} ms" for n in names]
            lines.append(f"| `#/{route}` | " + " | ".join(cells) + " |")
        lines += ["", "Versions: " + "; ".join(f"{n}: {engines['engines'][n]['version']}" for n in names) + "."]
    # tools/clinc_bench.sh owns its own section (it takes minutes and the model): keep it.
    out = Path("BENCHMARKS.md")
    old = out.read_text() if out.exists() else ""
    begin, end = old.find("<!-- clinc150:begin"), old.find("<!-- clinc150:end -->")
    kept = old[begin : end + len("<!-- clinc150:end -->")] if begin != -1 and end > begin else ""
    out.write_text("\n".join(lines) + "\n" + (f"\n{kept}\n" if kept else ""))


if __name__ == "__main__":
    main()
