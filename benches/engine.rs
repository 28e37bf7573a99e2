//! Native benchmarks of the engine's hot paths (criterion), then the FAQ workloads
//! of `workloads/` (the harness `examples/wasm_bench.rs` runs in the browser).
//! Inputs come from `tools/gen_bench_data.py` in `target/bench/`; `tools/bench.sh`
//! runs everything and writes BENCHMARKS.md.

use std::hint::black_box;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use chatdeck::engine::csv;
use chatdeck::engine::faq::KnowledgeBase;
use chatdeck::engine::fuzzy::{get_close_matches, ratio};
use chatdeck::engine::understand::{Query, DIM};
use criterion::{criterion_group, Criterion, Throughput};

#[path = "workloads/mod.rs"]
mod workloads;

fn input(name: &str) -> Vec<u8> {
    let path = format!("{}/target/bench/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|_| panic!("{path} is missing: run python3 tools/gen_bench_data.py"))
}

fn queries(label: &str) -> Vec<String> {
    String::from_utf8_lossy(&input(&format!("queries_{label}.tsv")))
        .lines()
        .filter_map(|l| l.split('\t').next().map(str::to_string))
        .collect()
}

fn matcher(c: &mut Criterion) {
    let mut group = c.benchmark_group("fuzzy");
    group.bench_function("ratio/short", |b| b.iter(|| ratio(black_box("cancle order"), black_box("cancel"))));
    let a = "How do I track my order online? I placed it last week and have not heard back since.".repeat(3);
    let bb = "how do i trak my order online, i placed it last week and havent heard back".repeat(3);
    group.bench_function("ratio/250 chars", |b| b.iter(|| ratio(black_box(&a), black_box(&bb))));
    for label in ["1k", "10k"] {
        let kb = KnowledgeBase::from_csv(&input(&format!("faq_{label}.csv")), &[]).expect("bench KB");
        let lowered: Vec<String> = kb.entries().iter().map(|e| e.question.to_lowercase()).collect();
        let pool: Vec<&str> = lowered.iter().map(String::as_str).collect();
        let qs = queries(label);
        group.bench_function(format!("get_close_matches/{label} questions (seed's FAQ method)"), |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % qs.len();
                get_close_matches(black_box(&qs[i]), &pool, 1, 0.4)
            })
        });
    }
    group.finish();
}

fn faq(c: &mut Criterion) {
    let mut group = c.benchmark_group("faq");
    group.measurement_time(Duration::from_secs(4));
    let big = input("big.csv");
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.sample_size(10);
    group.bench_function("csv parse/10 MB", |b| b.iter(|| csv::parse(black_box(&big)).map(|t| t.rows.len())));
    group.throughput(Throughput::Elements(1));
    for label in ["1k", "10k"] {
        let bytes = input(&format!("faq_{label}.csv"));
        group.bench_function(format!("load and index/{label} rows"), |b| {
            b.iter(|| KnowledgeBase::from_csv(black_box(&bytes), &[]).map(|kb| kb.len()))
        });
        let kb = KnowledgeBase::from_csv(&bytes, &[]).expect("bench KB");
        let qs = queries(label);
        group.bench_function(format!("lookup/{label} rows"), |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % qs.len();
                matches!(kb.lookup(black_box(&qs[i])), chatdeck::engine::faq::Lookup::Found(_))
            })
        });
        // The fused tier: lexical plus a cosine with every question and every answer's
        // centroid. Stand-in vectors (deterministic, unit length): the arithmetic is the
        // same as with real embeddings.
        let mut semantic = kb.clone();
        let rows = semantic.texts_to_embed().len();
        semantic.candidates_mut().attach_vectors(stand_in_vectors(rows, 1)).expect("one vector per question");
        let query_vector = stand_in_vectors(1, 2);
        group.bench_function(format!("lookup, fused with embeddings/{label} rows"), |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % qs.len();
                let query = Query { text: black_box(&qs[i]), vector: Some(&query_vector) };
                matches!(semantic.lookup_query(&query).0, chatdeck::engine::faq::Lookup::Found(_))
            })
        });
        group.bench_function(format!("suggest/{label} rows"), |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % qs.len();
                let q = &qs[i];
                kb.suggest(black_box(&q[..q.len().min(12)]), 4).len()
            })
        });
    }
    group.finish();
}

/// `n` unit vectors of `DIM` floats from a linear congruential sequence started at `seed`.
fn stand_in_vectors(n: usize, seed: u32) -> Vec<f32> {
    let mut state = seed;
    let mut flat: Vec<f32> = Vec::with_capacity(n * DIM);
    for _ in 0..n {
        let row: Vec<f32> = (0..DIM)
            .map(|_| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (state >> 8) as f32 / (1u32 << 24) as f32 - 0.5
            })
            .collect();
        let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt();
        flat.extend(row.iter().map(|x| x / norm));
    }
    flat
}

criterion_group!(benches, matcher, faq);

/// Criterion's benchmarks, then (under `cargo bench`, not `cargo test --benches`)
/// the FAQ workloads timed by the harness the WASM build runs too, written to
/// target/bench/native.json: BENCHMARKS.md's native-vs-WASM columns come from there.
fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    if std::env::args().any(|a| a == "--bench") {
        same_harness_as_wasm();
    }
}

fn same_harness_as_wasm() {
    fn now() -> f64 {
        static START: OnceLock<Instant> = OnceLock::new();
        START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
    }
    let text = |name: &str| String::from_utf8_lossy(&input(name)).into_owned();
    let mut fields = Vec::new();
    for label in ["1k", "10k"] {
        let kb = input(&format!("faq_{label}.csv"));
        let (tuning, heldout) = (text(&format!("queries_{label}.tsv")), text(&format!("heldout_{label}.tsv")));
        let (json, _kb) = workloads::bench_kb(&kb, &tuning, &heldout, now).expect("benchmark inputs");
        fields.push(format!("\"{label}\":{json}"));
    }
    fields.push(format!("\"csv_mb_per_s\":{}", workloads::csv_mb_per_s(&input("big.csv"), now)));
    let path = format!("{}/target/bench/native.json", env!("CARGO_MANIFEST_DIR"));
    std::fs::write(&path, format!("{{{}}}\n", fields.join(","))).expect("target/bench is writable");
    println!("FAQ workloads, timed as in WASM: {path}");
}
