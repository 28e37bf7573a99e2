//! Native benchmarks of the engine's hot paths (criterion). Inputs come from
//! `tools/gen_bench_data.py` in `target/bench/`; `tools/bench.sh` runs everything and
//! writes BENCHMARKS.md.

use std::hint::black_box;
use std::time::Duration;

use chatdeck::engine::csv;
use chatdeck::engine::faq::KnowledgeBase;
use chatdeck::engine::fuzzy::{get_close_matches, ratio};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

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

criterion_group!(benches, matcher, faq);
criterion_main!(benches);
