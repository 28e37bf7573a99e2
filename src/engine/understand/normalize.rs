//! From text to words: case and accents folded, punctuation dropped, generic English
//! stop words and inflections removed. Nothing here knows any FAQ's subject: the same
//! rules serve a shop, a bank or a travel agent.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Folds the accented Latin letters customers type (café, naïve, señor) to ASCII.
pub fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ś' | 'š' | 'ş' => 's',
        'ť' | 'ţ' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        'ł' => 'l',
        _ => c,
    }
}

/// English function words: they say how a question is asked, not what it is about.
/// Generic (any FAQ), short on purpose: "not", "no" and "never" stay out of it
/// because the character n-grams still see them.
const STOP_WORDS: &[&str] = &[
    "a", "about", "am", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do",
    "does", "for", "from", "had", "has", "have", "hello", "hey", "hi", "how", "i", "if", "im", "in", "into", "is",
    "it", "its", "ive", "just", "let", "lets", "me", "my", "of", "on", "or", "our", "please", "pls", "plz", "so",
    "some", "than", "that", "thats", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to",
    "u", "ur", "us", "was", "we", "were", "what", "whats", "when", "where", "wheres", "which", "who", "whos", "why",
    "will", "with", "would", "you", "youre", "your", "yours",
];

fn stop_words() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
}

/// True for a word that carries no subject.
pub fn is_stop_word(word: &str) -> bool {
    stop_words().contains(word)
}

/// The words of a text: lower case, accents folded, apostrophes dropped inside words
/// ("what's" → "whats"), everything else but letters and digits a separator.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars().flat_map(char::to_lowercase).map(fold_accent) {
        if c.is_alphanumeric() {
            word.push(c);
        } else if (c == '\'' || c == '’') && !word.is_empty() {
            // "don't" is one word; a quote mark around a word is dropped.
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// True when a text ends inside a word: the user is still typing it.
pub fn ends_mid_word(text: &str) -> bool {
    text.chars().last().is_some_and(char::is_alphanumeric)
}

/// Removes a doubled final consonant left by a suffix ("shipp" → "ship").
fn undouble(mut w: String) -> String {
    let bytes = w.as_bytes();
    let n = bytes.len();
    if n >= 3 && bytes[n - 1] == bytes[n - 2] && !b"aeioulsz".contains(&bytes[n - 1]) {
        w.pop();
    }
    w
}

/// A light English stemmer (plurals, -ing, -ed, -ment): enough that "shipping",
/// "shipped" and "ships" meet, not so much that unrelated words collide.
pub fn stem(word: &str) -> String {
    let w = word;
    let n = w.chars().count();
    let cut = |suffix: &str| w[..w.len() - suffix.len()].to_string();
    if n > 5 && w.ends_with("ing") {
        undouble(cut("ing"))
    } else if n > 4 && w.ends_with("ied") {
        format!("{}y", cut("ied"))
    } else if n > 4 && w.ends_with("ed") && !w.ends_with("eed") {
        undouble(cut("ed"))
    } else if n > 4 && w.ends_with("ies") {
        format!("{}y", cut("ies"))
    } else if n > 6 && w.ends_with("ment") {
        cut("ment")
    } else if n > 3 && ["shes", "ches", "xes", "sses", "zes"].iter().any(|s| w.ends_with(s)) {
        cut("es")
    } else if n > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        cut("s")
    } else {
        w.to_string()
    }
}

/// The subject words of a text, stemmed, in order (repeats kept).
pub fn terms(text: &str) -> Vec<String> {
    words(text).into_iter().filter(|w| !is_stop_word(w)).map(|w| stem(&w)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_case_accents_and_apostrophes() {
        assert_eq!(words("CAFÉ, naïve—señor’s don't 'quoted'"), ["cafe", "naive", "senors", "dont", "quoted"]);
        assert_eq!(words("  "), Vec::<String>::new());
    }

    #[test]
    fn terms_keep_the_subject() {
        assert_eq!(terms("How do I track my orders?"), ["track", "order"]);
        assert_eq!(terms("What's the shipping time"), ["ship", "time"]);
    }

    #[test]
    fn stemming_meets_inflections() {
        for (word, stemmed) in [
            ("shipping", "ship"),
            ("shipped", "ship"),
            ("ships", "ship"),
            ("tracking", "track"),
            ("deliveries", "delivery"),
            ("carried", "carry"),
            ("boxes", "box"),
            ("address", "address"),
            ("status", "status"),
            ("payment", "pay"),
            ("family", "family"),
            ("families", "family"),
            ("need", "need"),
        ] {
            assert_eq!(stem(word), stemmed, "{word}");
        }
    }

    #[test]
    fn a_text_ending_in_a_letter_is_still_being_typed() {
        assert!(ends_mid_word("how do i can"));
        assert!(!ends_mid_word("how do i cancel "));
        assert!(!ends_mid_word(""));
    }
}
