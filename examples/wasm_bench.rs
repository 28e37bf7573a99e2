//! The engine's FAQ benchmarks compiled to WebAssembly, for `tools/bench_wasm.mjs`
//! to run in headless Chromium: the harness of `benches/workloads`, which
//! `benches/engine.rs` runs natively, here with `performance.now()` as its clock.

#[cfg(target_arch = "wasm32")]
#[path = "../benches/workloads/mod.rs"]
mod workloads;

#[cfg(target_arch = "wasm32")]
mod wasm {
    use std::cell::RefCell;

    use chatdeck::engine::faq::KnowledgeBase;
    use wasm_bindgen::prelude::*;

    use super::workloads;

    thread_local! {
        static KEPT: RefCell<Vec<KnowledgeBase>> = const { RefCell::new(Vec::new()) };
    }

    fn now() -> f64 {
        web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
    }

    /// Runs every workload on one knowledge base and its tuning and held-out
    /// queries; returns JSON. The last knowledge base built stays loaded.
    #[wasm_bindgen]
    pub fn bench_kb(kb_csv: &[u8], tuning_tsv: &str, heldout_tsv: &str) -> String {
        match workloads::bench_kb(kb_csv, tuning_tsv, heldout_tsv, now) {
            Ok((json, kb)) => {
                KEPT.with(|k| k.borrow_mut().push(kb));
                json
            }
            Err(e) => format!("{{\"error\":{}}}", serde_json::Value::from(e)),
        }
    }

    /// Builds one knowledge base and keeps it loaded, nothing else: for the memory
    /// it takes in a fresh instance. Returns its number of questions.
    #[wasm_bindgen]
    pub fn load_kb(kb_csv: &[u8]) -> usize {
        match KnowledgeBase::from_csv(kb_csv, &[]) {
            Ok(kb) => {
                let len = kb.len();
                KEPT.with(|k| k.borrow_mut().push(kb));
                len
            }
            Err(_) => 0,
        }
    }

    /// CSV parse throughput in MB/s over `bytes`.
    #[wasm_bindgen]
    pub fn bench_csv(bytes: &[u8]) -> f64 {
        workloads::csv_mb_per_s(bytes, now)
    }

    /// Drops the knowledge bases kept loaded by `bench_kb` and `load_kb`.
    #[wasm_bindgen]
    pub fn release() {
        KEPT.with(|k| k.borrow_mut().clear());
    }
}

// Built as a cdylib for the browser; `main` only satisfies the example target.
#[allow(dead_code)]
fn main() {}
