//! Parity of our quantized encoder (`chatdeck::engine::understand::encoder`) with the
//! sentence-transformers library running all-MiniLM-L6-v2 in f32.
//!
//! The reference vectors in `tests/data/embedding_cases.json` come from sentence-transformers
//! itself (`tools/gen_embedding_cases.py`, run by hand: it needs torch). The model file is
//! the one the app ships, target/model/minilm.gguf, from `tools/fetch_model.sh`.
//!
//! Run with `cargo test --features semantic --test embedding_parity -- --nocapture` (it
//! prints the minimum and mean cosine). To measure another conversion (say, other weight
//! types from `convert_model --out`), point `CHATDECK_MODEL` at that GGUF file.
#![cfg(feature = "semantic")]

use chatdeck::engine::understand::encoder::Encoder;
use chatdeck::engine::understand::DIM;
use serde::Deserialize;

/// The bar of issue 12: every sentence at least this close to the reference.
const MIN_COSINE: f32 = 0.99;

#[derive(Deserialize)]
struct Cases {
    sentence_transformers: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    text: String,
    vector: Vec<f32>,
}

fn cases() -> Cases {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/embedding_cases.json");
    let text =
        std::fs::read_to_string(path).expect("tests/data/embedding_cases.json: run tools/gen_embedding_cases.py");
    serde_json::from_str(&text).expect("embedding_cases.json is valid")
}

fn encoder() -> Encoder {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/target/model");
    let read_error = |path: &str, e: std::io::Error| -> String {
        format!("{path}: {e}. Run `bash tools/fetch_model.sh` first (it fetches and converts the model)")
    };
    let model_path = std::env::var("CHATDECK_MODEL").unwrap_or_else(|_| format!("{dir}/minilm.gguf"));
    let vocab_path = format!("{dir}/vocab.txt");
    let model = std::fs::read(&model_path).unwrap_or_else(|e| panic!("{}", read_error(&model_path, e)));
    let vocab = std::fs::read_to_string(&vocab_path).unwrap_or_else(|e| panic!("{}", read_error(&vocab_path, e)));
    Encoder::load(&model, &vocab).expect("the model loads")
}

/// Cosine of two vectors (the reference is stored rounded, so not exactly unit length).
fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (norm(a) * norm(b))
}

#[test]
fn embeddings_match_sentence_transformers() {
    let cases = cases();
    assert!(cases.cases.len() >= 250, "too few reference sentences: {}", cases.cases.len());
    let texts: Vec<&str> = cases.cases.iter().map(|c| c.text.as_str()).collect();
    let vectors = encoder().embed(&texts).expect("embed");
    assert_eq!(vectors.len(), texts.len());

    let mut cosines = Vec::new();
    let mut below = Vec::new();
    for (case, vector) in cases.cases.iter().zip(&vectors) {
        assert_eq!(vector.len(), DIM);
        assert_eq!(case.vector.len(), DIM, "reference vector of {:?}", case.text);
        let c = cosine(vector, &case.vector);
        if c.is_nan() || c < MIN_COSINE {
            below.push(format!("{c:.5} {:?}", case.text));
        }
        cosines.push(c);
    }
    let min = cosines.iter().copied().fold(f32::INFINITY, f32::min);
    let mean = cosines.iter().sum::<f32>() / cosines.len() as f32;
    println!(
        "cosine with sentence-transformers {} over {} sentences: min {min:.7}, mean {mean:.7}",
        cases.sentence_transformers,
        cosines.len()
    );
    let mut lowest: Vec<(f32, &str)> = cosines.iter().copied().zip(texts.iter().copied()).collect();
    lowest.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (c, text) in lowest.iter().take(5) {
        println!("  {c:.5} {:?}", text.chars().take(80).collect::<String>());
    }
    assert!(below.is_empty(), "{} sentences below {MIN_COSINE}:\n{}", below.len(), below.join("\n"));
}

#[test]
fn a_batch_gives_what_one_at_a_time_gives() {
    let cases = cases();
    let encoder = encoder();
    // Short and long texts together, so the batch pads a lot.
    let texts: Vec<&str> = cases.cases.iter().step_by(7).map(|c| c.text.as_str()).collect();
    let batched = encoder.embed(&texts).expect("embed");
    for (text, together) in texts.iter().zip(&batched) {
        let alone = encoder.embed(&[text]).expect("embed");
        // The encoder packs batches without padding: the very same floats either way.
        assert_eq!(&alone[0], together, "{text:?}");
    }
}
