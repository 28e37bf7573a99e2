//! From text to search terms: case and accents folded, punctuation dropped, stop
//! words removed, words stemmed lightly, and support-domain synonyms mapped to one
//! term, so that "How do I get my money back?" and "What is your return policy?"
//! share the term `return`.

use std::collections::{HashMap, HashSet};
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

/// Words that carry no meaning for matching a question.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "for",
    "from",
    "get",
    "got",
    "have",
    "has",
    "hi",
    "hello",
    "hey",
    "how",
    "i",
    "i'm",
    "im",
    "in",
    "is",
    "it",
    "it's",
    "its",
    "me",
    "my",
    "need",
    "of",
    "on",
    "or",
    "our",
    "please",
    "pls",
    "plz",
    "so",
    "that",
    "the",
    "there",
    "this",
    "to",
    "u",
    "ur",
    "us",
    "want",
    "was",
    "we",
    "what",
    "whats",
    "what's",
    "which",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "thanks",
    "thank",
    "just",
    "like",
    "know",
    "tell",
    "some",
    "should",
    "one",
    "if",
    "then",
    "than",
    "too",
    "very",
    "really",
    "ok",
    "okay",
    "something",
    "anything",
    "thing",
    "things",
    "still",
    "never",
    "not",
    "no",
    "yes",
    "doesnt",
    "doesn't",
    "dont",
    "don't",
    "cant",
    "can't",
    "isnt",
    "isn't",
    "wont",
    "won't",
    "many",
    "much",
    "already",
    "just",
    "also",
    "way",
];

/// Phrases replaced before splitting into words.
const PHRASES: &[(&str, &str)] = &[
    ("money back", "refund"),
    ("send back", "return"),
    ("send it back", "return"),
    ("sign up", "account create"),
    ("signup", "account create"),
    ("log in", "login"),
    ("how long", "time"),
    ("how fast", "time"),
    ("how soon", "time"),
    ("where is", "track"),
    ("where's", "track"),
    ("other countries", "international"),
    ("another country", "international"),
    ("outside the", "international"),
];

/// Stems mapped to one term; the first of each group is the term.
const SYNONYMS: &[&[&str]] = &[
    &["return", "refund", "reimburs", "reimburse", "exchang", "exchange", "money"],
    &["track", "where", "wher", "wheres", "trace", "status"],
    &["order", "packag", "package", "parcel", "purchas", "purchase", "shipment"],
    &["ship", "deliver", "delivery", "arriv", "arrive", "dispatch", "post", "postage", "send"],
    &[
        "international",
        "abroad",
        "overseas",
        "countri",
        "country",
        "worldwid",
        "worldwide",
        "foreign",
        "intl",
        "canada",
        "uk",
        "usa",
        "america",
        "australia",
        "germany",
        "france",
        "india",
        "europe",
        "mexico",
        "japan",
        "brazil",
        "spain",
        "italy",
        "china",
        "ireland",
    ],
    &[
        "pay",
        "paypal",
        "card",
        "credit",
        "debit",
        "visa",
        "mastercard",
        "amex",
        "bank",
        "cash",
        "checkout",
        "applepay",
        "gpay",
    ],
    &["account", "profil", "profile", "regist", "register", "registration", "membership", "member"],
    &["create", "creat", "make", "open", "new", "setup", "start"],
    &["cancel", "cancell", "cancellation", "abort", "revok", "revoke"],
    &["time", "long", "day", "fast", "quick", "soon", "when", "eta", "week", "wait"],
    &["accept", "take", "support", "allow"],
    &["method", "option", "way", "kind", "type"],
    &["policy", "polici", "rule", "condition", "term"],
];

/// Removes a doubled final consonant left by a suffix ("shipp" → "ship").
fn undouble(mut w: String) -> String {
    let bytes = w.as_bytes();
    let n = bytes.len();
    if n >= 3 && bytes[n - 1] == bytes[n - 2] && !b"aeioulsz".contains(&bytes[n - 1]) {
        w.pop();
    }
    w
}

/// A light English stemmer: plurals and -ing/-ed/-ment, enough to meet the synonyms.
pub fn stem(word: &str) -> String {
    let w = word.strip_suffix("'s").unwrap_or(word);
    let n = w.chars().count();
    let cut = |suffix: &str| w[..w.len() - suffix.len()].to_string();
    if n > 5 && w.ends_with("ing") {
        undouble(cut("ing"))
    } else if n > 4 && w.ends_with("ed") {
        undouble(cut("ed"))
    } else if n > 4 && w.ends_with("ies") {
        format!("{}y", cut("ies"))
    } else if n > 6 && w.ends_with("ment") {
        cut("ment")
    } else if n > 3 && ["shes", "ches", "xes", "sses"].iter().any(|s| w.ends_with(s)) {
        cut("es")
    } else if n > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
        cut("s")
    } else {
        w.to_string()
    }
}

/// The synonym and stop-word tables as hash lookups, built once: they are consulted
/// for every word of every row when a 10,000-row knowledge base is indexed.
struct Tables {
    synonyms: HashMap<&'static str, &'static str>,
    stop_words: HashSet<&'static str>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| Tables {
        synonyms: SYNONYMS.iter().flat_map(|group| group.iter().map(move |w| (*w, group[0]))).collect(),
        stop_words: STOP_WORDS.iter().copied().collect(),
    })
}

fn synonym(stemmed: &str) -> Option<&'static str> {
    tables().synonyms.get(stemmed).copied()
}

/// The term a misspelt word most likely means, judged against the synonym table
/// (the words customers use for the support topics): one edit away, two for long
/// words, same first letter. "refnd" → `return`, "paymnt" → `pay`.
pub fn typo_synonym(word: &str) -> Option<&'static str> {
    let n = word.chars().count();
    if n < 4 {
        return None;
    }
    let allowed = if n >= 8 { 2 } else { 1 };
    SYNONYMS
        .iter()
        .flat_map(|group| group.iter().map(move |w| (group[0], *w)))
        .filter(|(_, w)| w.chars().next() == word.chars().next() && w.chars().count() >= 4)
        .map(|(term, w)| (strsim::damerau_levenshtein(word, w), term))
        .filter(|&(d, _)| d <= allowed)
        .min_by_key(|&(d, _)| d)
        .map(|(_, term)| term)
}

/// True when a short unknown word is a stop word with one letter dropped or doubled
/// ("m" for "my", "yor" for "your", "inn" for "in", "iit" for "it"): filler, not
/// information. Other edits do not count: "tv" is not "to", "ups" is not "us".
pub fn is_slipped_stop_word(word: &str) -> bool {
    let n = word.chars().count();
    n <= 3
        && tables().stop_words.iter().any(|sw| {
            let m = sw.chars().count();
            (m == n + 1 && one_deletion_away(word, sw)) || (n == m + 1 && one_letter_doubled(sw, word))
        })
}

/// True when deleting one character of `long` gives `short`.
fn one_deletion_away(short: &str, long: &str) -> bool {
    let long: Vec<char> = long.chars().collect();
    (0..long.len()).any(|i| long[..i].iter().chain(&long[i + 1..]).copied().eq(short.chars()))
}

/// True when `doubled` is `word` with one of its letters typed twice.
fn one_letter_doubled(word: &str, doubled: &str) -> bool {
    let d: Vec<char> = doubled.chars().collect();
    (1..d.len()).any(|i| d[i] == d[i - 1] && d[..i].iter().chain(&d[i + 1..]).copied().eq(word.chars()))
}

/// A search term and the word it came from (for typo lookups of unknown terms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub term: String,
    pub word: String,
}

/// Lower-cases, folds accents and turns everything but letters, digits and
/// apostrophes into spaces.
pub fn clean(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(fold_accent)
        .map(|c| {
            if c.is_alphanumeric() || c == '\'' || c == '’' {
                if c == '’' {
                    '\''
                } else {
                    c
                }
            } else {
                ' '
            }
        })
        .collect()
}

/// The search terms of a text, in order (repeats kept: they count).
pub fn terms(text: &str) -> Vec<String> {
    terms_with_words(text).into_iter().map(|t| t.term).collect()
}

/// [`terms`] with the cleaned word each term came from.
pub fn terms_with_words(text: &str) -> Vec<Term> {
    let mut cleaned = format!(" {} ", clean(text).split_whitespace().collect::<Vec<_>>().join(" "));
    for (phrase, replacement) in PHRASES {
        if cleaned.contains(phrase) {
            cleaned = cleaned.replace(&format!(" {phrase} "), &format!(" {replacement} "));
        }
    }
    let stop_words = &tables().stop_words;
    cleaned
        .split_whitespace()
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty() && !stop_words.contains(w))
        .map(|w| {
            let stemmed = stem(w);
            let term = synonym(w).or_else(|| synonym(&stemmed)).map(str::to_string).unwrap_or(stemmed);
            Term { term, word: w.to_string() }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paraphrases_meet_on_the_same_terms() {
        assert_eq!(terms("How do I get my money back?"), ["return"]);
        assert_eq!(terms("What is your return policy?"), ["return", "policy"]);
        assert_eq!(terms("wheres my package"), ["track", "order"]);
        assert_eq!(terms("How do I track my order?"), ["track", "order"]);
        assert_eq!(terms("do u ship to Canada"), ["ship", "international"]);
        assert_eq!(terms("can i pay with paypal"), ["pay", "pay"]);
        assert_eq!(terms("What payment methods do you accept?"), ["pay", "method", "accept"]);
        assert_eq!(terms("do you take credit cards"), ["accept", "pay", "pay"]);
        assert_eq!(terms("How long does shipping take?"), ["time", "ship", "accept"]);
        assert_eq!(terms("how do I sign up"), ["account", "create"]);
    }

    #[test]
    fn slipped_stop_words_are_filler_but_changed_letters_are_not() {
        for slip in ["m", "inn", "iit", "tto", "yor", "fr"] {
            assert!(is_slipped_stop_word(slip), "{slip}");
        }
        for word in ["tv", "app", "box", "ups", "uk", "x", "usa"] {
            assert!(!is_slipped_stop_word(word), "{word}");
        }
    }

    #[test]
    fn accents_case_and_punctuation() {
        assert_eq!(terms("CAFÉ!!"), terms("cafe"));
        assert_eq!(clean("Naïve—señor’s"), "naive senor's");
    }

    #[test]
    fn typos_of_support_words() {
        assert_eq!(typo_synonym("refnd"), Some("return"));
        assert_eq!(typo_synonym("paymnt"), None, "two edits from a 7-letter word is too far");
        assert_eq!(typo_synonym("retrun"), Some("return"));
        assert_eq!(typo_synonym("acount"), Some("account"));
        assert_eq!(typo_synonym("zzzz"), None);
    }

    #[test]
    fn stemming() {
        for (word, stemmed) in [
            ("shipping", "ship"),
            ("tracking", "track"),
            ("returns", "return"),
            ("accepted", "accept"),
            ("deliveries", "delivery"),
            ("boxes", "box"),
            ("address", "address"),
            ("status", "status"),
            ("payment", "pay"),
        ] {
            assert_eq!(stem(word), stemmed, "{word}");
        }
    }
}
