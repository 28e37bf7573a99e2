//! The FAQ workloads of BENCHMARKS.md's native-vs-WASM comparison, timed by one
//! harness on both sides: `benches/engine.rs` runs it natively with a monotonic
//! clock, `examples/wasm_bench.rs` in Chromium with `performance.now()`. Same
//! inputs, same repetitions, same statistic (the median of batch means: the
//! browser coarsens single clock readings), so two columns differ only by platform.
//!
//! Timing runs on the tuning queries (`queries_*.tsv`, the ones CPython is timed
//! on too); accuracy is measured on the held-out queries (`heldout_*.tsv`, from
//! another seed of `tools/gen_bench_data.py`), and on the tuning queries only for
//! comparison.

use chatdeck::engine::csv;
use chatdeck::engine::faq::{KnowledgeBase, Lookup};
use chatdeck::engine::fuzzy::get_close_matches;

/// A clock in milliseconds from an arbitrary origin.
pub type Clock = fn() -> f64;

/// Knowledge bases built (and dropped) to time loading.
const BUILDS: usize = 5;
/// Passes over the queries for each per-query workload.
const BATCHES: usize = 5;
/// Parses of the big CSV.
const PARSES: usize = 3;
/// Characters typed so far when suggestions are asked for.
const TYPED: usize = 12;

/// Queries and the question each one means, from a `query<TAB>question` file.
pub fn queries(tsv: &str) -> Vec<(String, String)> {
    tsv.lines().filter_map(|l| l.split_once('\t')).map(|(q, e)| (q.to_string(), e.to_string())).collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The median over `BATCHES` passes of the mean time per item of `f`, in ms.
fn per_item<T>(items: &[T], now: Clock, mut f: impl FnMut(&T)) -> f64 {
    let batches = (0..BATCHES)
        .map(|_| {
            let start = now();
            for item in items {
                f(item);
            }
            (now() - start) / items.len() as f64
        })
        .collect();
    median(batches)
}

/// The share of `queries` that `answer` answers with the question they mean.
fn accuracy(queries: &[(String, String)], answer: impl Fn(&str) -> Option<String>) -> f64 {
    let right = queries.iter().filter(|(q, expected)| answer(q).as_deref() == Some(expected.as_str())).count();
    right as f64 / queries.len() as f64
}

/// Times loading, lookups, suggestions and the seed's method on one knowledge base
/// and measures accuracy. Returns the results as a JSON object, and the last
/// knowledge base built, for the caller to keep (memory is measured with it alive).
pub fn bench_kb(
    kb_csv: &[u8],
    tuning_tsv: &str,
    heldout_tsv: &str,
    now: Clock,
) -> Result<(String, KnowledgeBase), String> {
    let (tuning, heldout) = (queries(tuning_tsv), queries(heldout_tsv));
    if tuning.is_empty() || heldout.is_empty() {
        return Err("no queries".into());
    }
    let mut builds = Vec::with_capacity(BUILDS);
    for _ in 0..BUILDS {
        let start = now();
        let built = KnowledgeBase::from_csv(kb_csv, &[]).map(|kb| kb.len());
        builds.push(now() - start);
        built.map_err(|e| format!("{e:?}"))?;
    }
    let kb = KnowledgeBase::from_csv(kb_csv, &[]).map_err(|e| format!("{e:?}"))?;
    let lowered: Vec<String> = kb.entries().iter().map(|e| e.question.to_lowercase()).collect();
    let pool: Vec<&str> = lowered.iter().map(String::as_str).collect();

    let lookup_ms = per_item(&tuning, now, |(q, _)| {
        std::hint::black_box(kb.lookup(q));
    });
    let suggest_ms = per_item(&tuning, now, |(q, _)| {
        let typed: String = q.chars().take(TYPED).collect();
        std::hint::black_box(kb.suggest(&typed, 4));
    });
    let seed_query_ms = per_item(&tuning, now, |(q, _)| {
        std::hint::black_box(get_close_matches(&q.to_lowercase(), &pool, 1, 0.4));
    });

    let ranker = |q: &str| match kb.lookup(q) {
        Lookup::Found(e) => Some(e.question.clone()),
        Lookup::DidYouMean(..) | Lookup::NotFound => None,
    };
    let seed = |q: &str| kb.seed_lookup(q).map(|e| e.question.clone());
    let json = format!(
        concat!(
            "{{\"build_ms\":{},\"lookup_ms\":{},\"suggest_ms\":{},\"seed_query_ms\":{},",
            "\"heldout_queries\":{},\"accuracy\":{},\"seed_accuracy\":{},",
            "\"tuning_queries\":{},\"tuning_accuracy\":{},\"seed_tuning_accuracy\":{}}}"
        ),
        median(builds),
        lookup_ms,
        suggest_ms,
        seed_query_ms,
        heldout.len(),
        accuracy(&heldout, ranker),
        accuracy(&heldout, seed),
        tuning.len(),
        accuracy(&tuning, ranker),
        accuracy(&tuning, seed),
    );
    Ok((json, kb))
}

/// CSV parse throughput over `bytes` in MB/s (the median of `PARSES` parses).
pub fn csv_mb_per_s(bytes: &[u8], now: Clock) -> f64 {
    let runs = (0..PARSES)
        .map(|_| {
            let start = now();
            std::hint::black_box(csv::parse(bytes).map(|t| t.rows.len()).unwrap_or(0));
            now() - start
        })
        .collect();
    bytes.len() as f64 / 1_048_576.0 / (median(runs) / 1000.0)
}
