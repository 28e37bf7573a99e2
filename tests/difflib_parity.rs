//! Parity of `chatdeck::engine::fuzzy` with CPython's difflib.
//!
//! The expectations in `tests/data/difflib_cases.json` come from CPython itself
//! (`tools/gen_difflib_cases.py`; CI regenerates them and checks they are unchanged).

use chatdeck::engine::fuzzy::{get_close_matches, ratio};
use serde::Deserialize;

#[derive(Deserialize)]
struct Cases {
    python: String,
    ratio: Vec<RatioCase>,
    close_matches: Vec<CloseCase>,
}

#[derive(Deserialize)]
struct RatioCase {
    a: String,
    b: String,
    ratio: f64,
}

#[derive(Deserialize)]
struct CloseCase {
    word: String,
    possibilities: Vec<String>,
    n: usize,
    cutoff: f64,
    expected: Vec<String>,
}

fn cases() -> Cases {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/difflib_cases.json");
    let text = std::fs::read_to_string(path).expect("run tools/gen_difflib_cases.py first");
    serde_json::from_str(&text).expect("difflib_cases.json is valid")
}

#[test]
fn ratio_matches_cpython_bit_for_bit() {
    let cases = cases();
    assert!(cases.ratio.len() >= 3000, "too few generated cases");
    let long = cases.ratio.iter().filter(|c| c.b.chars().count() >= 200).count();
    assert!(long >= 100, "the autojunk path needs long cases, got {long}");
    let wrong: Vec<String> = cases
        .ratio
        .iter()
        .filter(|c| ratio(&c.a, &c.b).to_bits() != c.ratio.to_bits())
        .map(|c| {
            format!("ratio({:?}, {:?}) = {} but CPython {} says {}", c.a, c.b, ratio(&c.a, &c.b), cases.python, c.ratio)
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {} differ:\n{}",
        wrong.len(),
        cases.ratio.len(),
        wrong[..wrong.len().min(10)].join("\n")
    );
}

#[test]
fn get_close_matches_matches_cpython_including_order() {
    let cases = cases();
    assert!(cases.close_matches.len() >= 1000);
    let mut wrong = Vec::new();
    for c in &cases.close_matches {
        let pool: Vec<&str> = c.possibilities.iter().map(String::as_str).collect();
        let got = get_close_matches(&c.word, &pool, c.n, c.cutoff);
        if got != c.expected {
            wrong.push(format!(
                "{:?} in {:?} (n={}, cutoff={}): got {:?}, want {:?}",
                c.word, pool, c.n, c.cutoff, got, c.expected
            ));
        }
    }
    assert!(wrong.is_empty(), "{} differ:\n{}", wrong.len(), wrong[..wrong.len().min(10)].join("\n"));
    // The cases must exercise ordering, not only empty answers.
    let multi = cases.close_matches.iter().filter(|c| c.expected.len() >= 2).count();
    assert!(multi >= 100, "only {multi} cases with several matches");
}
