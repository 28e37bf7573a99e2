//! Parity of our WordPiece (`chatdeck::engine::understand::tokenizer`) with the Hugging Face
//! `tokenizers` library running all-MiniLM-L6-v2's tokenizer.json.
//!
//! The expected ids in `tests/data/tokenizer_cases.json` come from the library itself
//! (`tools/gen_tokenizer_cases.py`). The vocabulary is the model's `vocab.txt`, which
//! `tools/fetch_model.sh` puts in target/model/.

use chatdeck::engine::understand::tokenizer::{WordPiece, MODEL_MAX_TOKENS};
use serde::Deserialize;

#[derive(Deserialize)]
struct Cases {
    tokenizers: String,
    groups: Vec<Group>,
}

#[derive(Deserialize)]
struct Group {
    max_len: usize,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    text: String,
    ids: Vec<u32>,
}

fn cases() -> Cases {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/tokenizer_cases.json");
    let text =
        std::fs::read_to_string(path).expect("tests/data/tokenizer_cases.json: run tools/gen_tokenizer_cases.py");
    serde_json::from_str(&text).expect("tokenizer_cases.json is valid")
}

fn tokenizer() -> WordPiece {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/target/model/vocab.txt");
    let vocab = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}. Run `bash tools/fetch_model.sh` first (it fetches the model)"));
    WordPiece::from_vocab(&vocab).expect("vocab.txt loads")
}

#[test]
fn ids_match_the_tokenizers_library_exactly() {
    let cases = cases();
    let tokenizer = tokenizer();
    let total: usize = cases.groups.iter().map(|g| g.cases.len()).sum();
    assert!(total >= 3000, "too few generated cases: {total}");
    assert!(cases.groups.iter().any(|g| g.max_len == MODEL_MAX_TOKENS), "no case at the model's length");
    let truncated = cases.groups.iter().flat_map(|g| g.cases.iter().filter(move |c| c.ids.len() == g.max_len)).count();
    assert!(truncated >= 100, "truncation needs cases, got {truncated}");

    let mut wrong = Vec::new();
    for group in &cases.groups {
        for case in &group.cases {
            let ids = tokenizer.encode(&case.text, group.max_len);
            if ids != case.ids {
                wrong.push(format!(
                    "max_len {}: {:?}\n  ours:       {:?}\n  tokenizers: {:?}",
                    group.max_len, case.text, ids, case.ids
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {total} differ from tokenizers {}:\n{}",
        wrong.len(),
        cases.tokenizers,
        wrong[..wrong.len().min(10)].join("\n")
    );
}

#[test]
fn common_words_are_single_pieces() {
    // A sanity check that the vocabulary is the model's: well-known BERT ids.
    let ids = tokenizer().encode("Hello, world! I want a refund.", MODEL_MAX_TOKENS);
    assert_eq!(ids, vec![101, 7592, 1010, 2088, 999, 1045, 2215, 1037, 25416, 8630, 1012, 102]);
}
