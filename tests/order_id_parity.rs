//! The Support bot's order-ID rule against the seed's own `valid_order_id` run by
//! CPython (`re.match(r"^[A-Za-z0-9]{6,10}$", s)`): 3,000 strings and Python's verdict on
//! each, written by `tools/gen_order_id_cases.py` (regenerated and compared by
//! tools/test.sh). Every verdict must be the same.

use chatdeck::engine::bots::support::is_order_id;
use serde::Deserialize;

#[derive(Deserialize)]
struct Cases {
    pattern: String,
    cases: Vec<(String, bool)>,
}

#[test]
fn every_verdict_is_cpythons() {
    let cases: Cases = serde_json::from_str(include_str!("data/order_id_cases.json")).expect("the cases parse");
    assert_eq!(cases.pattern, "^[A-Za-z0-9]{6,10}$", "the seed's pattern");
    let valid = cases.cases.iter().filter(|(_, python)| *python).count();
    assert!(valid > 300 && cases.cases.len() - valid > 300, "both verdicts are well represented: {valid} valid");
    let wrong: Vec<_> = cases.cases.iter().filter(|(s, python)| is_order_id(s) != *python).collect();
    assert!(
        wrong.is_empty(),
        "{} of {} verdicts differ from CPython's, e.g. {:?}",
        wrong.len(),
        cases.cases.len(),
        &wrong[..wrong.len().min(5)]
    );
}
