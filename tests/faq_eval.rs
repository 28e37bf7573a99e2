//! The FAQ bot on realistic customer phrasings of the demo FAQ: short, misspelled,
//! informal, and questions the FAQ cannot answer, next to the seed's own matcher
//! (difflib over whole questions, cutoff 0.4).
//!
//! Three sets, in `tests/data/`:
//! - `faq_eval.csv` and `faq_heldout.csv` were written before the demo FAQ
//!   (`public/faq_data.csv`) had phrasings beyond the seed's seven questions, and their
//!   misses were known when the phrasings were written: they are the sets the demo was
//!   tuned on. Every phrasing in them that the FAQ answers must be answered right.
//! - `faq_blind.csv` was written by someone who saw neither those sets nor the FAQ
//!   file, and committed before the phrasings; it measured the first 39 of them, and
//!   its two misses then became three more (the last rows): it is a tuning set now.
//! - `faq_blind2.csv`, written blind by another helper and committed before those
//!   three, is the held-out set: it tunes nothing.
//!
//! Right means: the right answer, a "Did you mean" that offers the right answer, or
//! the fallback when the FAQ has no answer.
//!
//! The lexical tier knows no synonyms (nothing tells it that "paypal" is a payment
//! method or "canada" is abroad): the demo's phrasings teach it the common ways of
//! asking, and the full tier (sentence embeddings, `--features semantic`, model from
//! `tools/fetch_model.sh`) understands the rest.

use chatdeck::engine::csv;
use chatdeck::engine::faq::{KnowledgeBase, Lookup};

/// (phrasing, the FAQ question it means; empty: the FAQ has no answer).
type Cases = Vec<(String, String)>;

fn root() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

fn demo() -> KnowledgeBase {
    let faq = std::fs::read(format!("{}/public/faq_data.csv", root())).expect("demo FAQ");
    KnowledgeBase::from_csv(&faq, &[]).expect("demo FAQ parses")
}

fn cases(file: &str) -> Cases {
    let bytes = std::fs::read(format!("{}/tests/data/{file}", root())).expect("evaluation set");
    let table = csv::parse(&bytes).expect("evaluation set parses");
    table
        .rows
        .into_iter()
        .filter(|r| !r.fields[0].starts_with('#'))
        .map(|r| (r.fields[0].clone(), r.fields.get(1).cloned().unwrap_or_default()))
        .collect()
}

/// The answer text the FAQ gives for its question `question`.
fn answer_of<'a>(kb: &'a KnowledgeBase, question: &str) -> Option<&'a str> {
    kb.entries().iter().find(|e| e.question == question).map(|e| e.answer.as_str())
}

fn right(kb: &KnowledgeBase, lookup: &Lookup, expected: &str) -> bool {
    let expected = answer_of(kb, expected);
    match lookup {
        Lookup::Found(e) => Some(e.answer.as_str()) == expected,
        Lookup::DidYouMean(offered) => offered.iter().any(|e| Some(e.answer.as_str()) == expected),
        Lookup::NotFound => expected.is_none(),
    }
}

fn seed_right(kb: &KnowledgeBase, phrasing: &str, expected: &str) -> bool {
    match kb.seed_lookup(phrasing) {
        Some(e) => Some(e.answer.as_str()) == answer_of(kb, expected),
        None => expected.is_empty(),
    }
}

/// Runs `cases` through `ask`; returns the phrasings answered right and prints the others.
fn run<'a>(kb: &'a KnowledgeBase, cases: &'a Cases, label: &str, ask: impl Fn(&str) -> Lookup<'a>) -> Vec<&'a str> {
    let mut ok = Vec::new();
    for (phrasing, expected) in cases {
        let lookup = ask(phrasing);
        if right(kb, &lookup, expected) {
            ok.push(phrasing.as_str());
        } else {
            println!("  {label} wrong: {phrasing:?}: expected {expected:?}, got {lookup:?}");
        }
    }
    let seed = cases.iter().filter(|(p, e)| seed_right(kb, p, e)).count();
    println!("{label}: {} of {} right (seed: {seed})", ok.len(), cases.len());
    ok
}

#[cfg(feature = "semantic")]
/// The answerable phrasings of `cases` not in `ok`.
fn missed<'a>(cases: &'a Cases, ok: &[&str]) -> Vec<&'a str> {
    cases.iter().filter(|(p, e)| !e.is_empty() && !ok.contains(&p.as_str())).map(|(p, _)| p.as_str()).collect()
}

/// The lexical tier alone (what answers before the model has loaded, or when it
/// cannot) on each set: least share right, in %.
#[test]
fn the_lexical_tier_answers_most_phrasings_and_beats_the_seed() {
    let kb = demo();
    for (file, bar) in [("faq_eval.csv", 90), ("faq_heldout.csv", 80), ("faq_blind.csv", 80), ("faq_blind2.csv", 75)] {
        let cases = cases(file);
        assert!(cases.len() >= 29, "{file}: a real evaluation set");
        assert!(cases.iter().filter(|(_, e)| e.is_empty()).count() >= 6, "{file}: questions the FAQ cannot answer");
        let ok = run(&kb, &cases, &format!("lexical {file}"), |p| kb.lookup(p));
        let seed = cases.iter().filter(|(p, e)| seed_right(&kb, p, e)).count();
        assert!(ok.len() * 100 >= cases.len() * bar, "{file}: {} of {} right", ok.len(), cases.len());
        assert!(ok.len() > seed, "{file}: better than the seed");
    }
}

/// The full tier (embeddings fused with the lexical tier, the constants fitted on
/// CLINC150): every answerable phrasing of the sets the demo was tuned on, and most
/// of the held-out set, at least as well as the lexical tier. Questions the FAQ
/// cannot answer but that sound like one of its answers ("where is your store
/// located") are sometimes answered: those are printed.
#[cfg(feature = "semantic")]
#[test]
fn the_full_tier_answers_every_phrasing_the_demo_covers() {
    use chatdeck::engine::understand::encoder::Encoder;
    use chatdeck::engine::understand::Query;
    let dir = format!("{}/target/model", root());
    let (Ok(model), Ok(vocab)) =
        (std::fs::read(format!("{dir}/minilm.gguf")), std::fs::read_to_string(format!("{dir}/vocab.txt")))
    else {
        panic!("{dir}/minilm.gguf is missing: run tools/fetch_model.sh");
    };
    let encoder = Encoder::load(&model, &vocab).expect("model loads");
    let mut kb = demo();
    let texts = kb.texts_to_embed();
    let flat = encoder.embed(&texts).expect("embeds").concat();
    kb.candidates_mut().attach_vectors(flat).expect("one vector per question");
    // (set, least share right, in %; whether every answerable phrasing must be answered)
    for (file, bar, every) in [
        ("faq_eval.csv", 95, true),
        ("faq_heldout.csv", 85, true),
        ("faq_blind.csv", 95, true),
        ("faq_blind2.csv", 85, false),
    ] {
        let cases = cases(file);
        let phrasings: Vec<&str> = cases.iter().map(|(p, _)| p.as_str()).collect();
        let vectors = encoder.embed(&phrasings).expect("embeds");
        let ask = |p: &str| {
            let i = phrasings.iter().position(|q| *q == p).expect("a phrasing of the set");
            kb.lookup_query(&Query { text: p, vector: Some(&vectors[i]) }).0
        };
        let full = run(&kb, &cases, &format!("full {file}"), ask);
        let lexical = run(&kb, &cases, &format!("lexical {file}"), |p| kb.lookup(p));
        let missed = missed(&cases, &full);
        if every {
            assert!(missed.is_empty(), "{file}: answerable phrasings missed: {missed:?}");
        }
        assert!(full.len() * 100 >= cases.len() * bar, "{file}: {} of {} right", full.len(), cases.len());
        assert!(full.len() >= lexical.len(), "{file}: the full tier does at least as well as the lexical tier");
    }
}
