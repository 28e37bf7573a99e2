//! The difflib port on arbitrary text: the word is the first line, the
//! possibilities the others; the first two bytes choose `n` and `cutoff`.
//! Checks the contract of `get_close_matches`: at most `n` results, each a
//! possibility scoring at least `cutoff`, sorted by score then text, descending.
#![no_main]

use chatdeck::engine::fuzzy::{ratio, scored_close_matches};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [n, cutoff, rest @ ..] = data else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let n = usize::from(*n % 8);
    let cutoff = f64::from(*cutoff) / 255.0;
    let mut lines = text.split('\n');
    let word = lines.next().unwrap_or_default();
    let possibilities: Vec<&str> = lines.collect();

    for p in &possibilities {
        let r = ratio(word, p);
        assert!((0.0..=1.0).contains(&r), "ratio {r} out of range");
        if word == *p {
            assert_eq!(r, 1.0, "CPython rates identical strings 1.0, autojunk or not");
        }
    }
    match scored_close_matches(word, &possibilities, n, cutoff) {
        Err(_) => assert_eq!(n, 0, "only n == 0 is refused here"),
        Ok(found) => {
            assert!(found.len() <= n);
            for m in &found {
                assert_eq!(possibilities[m.index], m.text);
                assert!(m.score >= cutoff);
                assert_eq!(m.score, ratio(m.text, word), "difflib scores seq1=possibility, seq2=word");
            }
            for w in found.windows(2) {
                assert!((w[0].score, w[0].text) >= (w[1].score, w[1].text), "not sorted");
            }
        }
    }
});
