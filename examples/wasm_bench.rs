//! The engine's benchmarks compiled to WebAssembly, for `tools/bench_wasm.mjs` to run
//! in headless Chromium: the same workloads as `benches/engine.rs`, timed with
//! `performance.now()` over batches (the browser coarsens single readings).

#[cfg(target_arch = "wasm32")]
mod wasm {
    use std::cell::RefCell;

    use chatdeck::engine::csv;
    use chatdeck::engine::faq::{KnowledgeBase, Lookup};
    use chatdeck::engine::fuzzy::get_close_matches;
    use wasm_bindgen::prelude::*;

    thread_local! {
        static KEPT: RefCell<Vec<KnowledgeBase>> = const { RefCell::new(Vec::new()) };
    }

    fn now() -> f64 {
        web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
    }

    fn median(mut v: Vec<f64>) -> f64 {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
    }

    /// Median over 5 batches of the mean time per item of `f` over `items`, in ms.
    fn per_item<T>(items: &[T], mut f: impl FnMut(&T)) -> f64 {
        let batches = (0..5)
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

    /// Runs every workload on one knowledge base and its queries; returns JSON.
    #[wasm_bindgen]
    pub fn bench_kb(kb_csv: &[u8], queries_tsv: &str) -> String {
        let queries: Vec<(String, String)> = queries_tsv
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(q, e)| (q.to_string(), e.to_string()))
            .collect();
        let build_ms = median(
            (0..5)
                .map(|_| {
                    let start = now();
                    let kb = KnowledgeBase::from_csv(kb_csv, &[]).map(|kb| kb.len());
                    let took = now() - start;
                    assert!(kb.is_ok());
                    took
                })
                .collect(),
        );
        let Ok(kb) = KnowledgeBase::from_csv(kb_csv, &[]) else {
            return "{\"error\":\"bad knowledge base\"}".into();
        };
        let lowered: Vec<String> = kb.entries().iter().map(|e| e.question.to_lowercase()).collect();
        let pool: Vec<&str> = lowered.iter().map(String::as_str).collect();
        let lookup_ms = per_item(&queries, |(q, _)| {
            std::hint::black_box(kb.lookup(q));
        });
        let suggest_ms = per_item(&queries, |(q, _)| {
            std::hint::black_box(kb.suggest(&q[..q.len().min(12)], 4));
        });
        let seed_ms = per_item(&queries, |(q, _)| {
            std::hint::black_box(get_close_matches(q, &pool, 1, 0.4));
        });
        let right = queries
            .iter()
            .filter(|(q, expected)| matches!(kb.lookup(q), Lookup::Found(e) if e.question == *expected))
            .count();
        let seed_right =
            queries.iter().filter(|(q, expected)| kb.seed_lookup(q).is_some_and(|e| e.question == *expected)).count();
        let n = queries.len() as f64;
        KEPT.with(|k| k.borrow_mut().push(kb));
        format!(
            "{{\"build_ms\":{build_ms},\"lookup_ms\":{lookup_ms},\"suggest_ms\":{suggest_ms},\"seed_query_ms\":{seed_ms},\"accuracy\":{},\"seed_accuracy\":{}}}",
            right as f64 / n,
            seed_right as f64 / n
        )
    }

    /// CSV parse throughput in MB/s over `bytes`.
    #[wasm_bindgen]
    pub fn bench_csv(bytes: &[u8]) -> f64 {
        let runs = (0..3)
            .map(|_| {
                let start = now();
                let rows = csv::parse(bytes).map(|t| t.rows.len()).unwrap_or(0);
                assert!(rows > 0);
                now() - start
            })
            .collect();
        bytes.len() as f64 / 1_048_576.0 / (median(runs) / 1000.0)
    }

    /// Drops the knowledge bases kept alive by `bench_kb` (memory is measured before).
    #[wasm_bindgen]
    pub fn release() {
        KEPT.with(|k| k.borrow_mut().clear());
    }
}

// Built as a cdylib for the browser; `main` only satisfies the example target.
#[allow(dead_code)]
fn main() {}
