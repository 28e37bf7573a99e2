//! The lexical tier: how much of a question's wording a phrasing shares, with no
//! knowledge of any FAQ's subject.
//!
//! Two TF-IDF spaces, each cosine-normalised, averaged:
//! - character n-grams (2 to 4 characters, within word boundaries, like
//!   scikit-learn's `char_wb`): typos, inflections and compounds share most of
//!   their n-grams ("shiping" and "shipping"), so no typo table is needed;
//! - stemmed words without stop words: the subject of the question, where one
//!   rare shared word outweighs many common n-grams. An unknown word one edit away
//!   from a known one counts as that word.
//!
//! The index is built once; a query touches only the postings of its own features,
//! so a lookup over 10,000 phrasings stays around a millisecond natively.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::normalize::{ends_mid_word, is_stop_word, stem, words};

/// Shortest and longest character n-gram. Fitted on CLINC150 train/val
/// (tools/clinc_tune.sh): 2–4 beat 3–5 and 1–3 by 1–2 points of top-1.
const GRAM_MIN: usize = 2;
const GRAM_MAX: usize = 4;
/// Share of the character n-gram cosine in a phrasing's score; the rest is the
/// word cosine. Fitted with the n-gram range above.
const GRAM_SHARE: f32 = 0.65;
/// Whether the character n-grams of stop words count (in a text of stop words only,
/// such as "who are you", they always do). Fitted: without them top-1 on CLINC150
/// val fell 2–3 points ("how much", "what is my" tell questions apart).
const GRAMS_OF_STOP_WORDS: bool = true;
/// Weight of a word understood through a typo, relative to the word itself.
const TYPO_WEIGHT: f32 = 0.8;
/// An unknown word or n-gram of the query still counts in its norm, as if it were
/// this rare a feature (a share of the rarest known one's IDF): a question about
/// something the FAQ never mentions is then less similar to every phrasing.
const UNKNOWN_IDF_SHARE: f32 = 1.0;
/// Most vocabulary words a partial last word stands for while the user types.
const MAX_COMPLETIONS: usize = 24;

/// A feature's key: a hash of its characters (64 bits: collisions are not a concern
/// at any FAQ size this app accepts).
type Key = u64;

fn key_of(chars: impl Iterator<Item = char>, salt: u64) -> Key {
    // FNV-1a: stable across builds and platforms, so scores are deterministic.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ salt;
    for c in chars {
        for b in (c as u32).to_le_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// Hashes for maps keyed by [`Key`]s, which are hashes already: used as they are
/// (faster than hashing them again) and the same on every run, so that iteration
/// order, and with it every floating-point sum, is deterministic. Feature numbers
/// (`u32`) are spread by a multiplication.
#[derive(Default, Clone, Copy)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type KeyMap<K, V> = HashMap<K, V, BuildHasherDefault<KeyHasher>>;

/// The features of one text in one space, with counts.
type Bag = KeyMap<Key, f32>;

/// Adds the character n-grams of `word` to `bag`. A word still being typed has no
/// closing boundary: "can" then matches the start of "cancel".
fn add_grams(bag: &mut Bag, word: &str, complete: bool) {
    let mut padded: Vec<char> = Vec::with_capacity(word.len() + 2);
    padded.push(' ');
    padded.extend(word.chars());
    if complete {
        padded.push(' ');
    }
    for n in GRAM_MIN..=GRAM_MAX {
        if padded.len() < n {
            break;
        }
        for window in padded.windows(n) {
            *bag.entry(key_of(window.iter().copied(), 0)).or_default() += 1.0;
        }
    }
}

fn word_key(term: &str) -> Key {
    key_of(term.chars(), 1)
}

/// Unit vectors of many items (phrasings or answers) as compressed postings: the
/// items having feature `f` are `entries[offsets[f]..offsets[f + 1]]`, each an item
/// and the feature's weight in that item's unit vector.
#[derive(Debug, Clone, Default)]
struct Postings {
    offsets: Vec<u32>,
    entries: Vec<(u32, f32)>,
}

impl Postings {
    /// `vectors`: by item, its (feature, weight) pairs; normalised here.
    fn build(features: usize, vectors: &[Vec<(u32, f32)>]) -> Self {
        // Counts first, so the postings are laid out once, in place.
        let mut offsets = vec![0u32; features + 1];
        for v in vectors {
            for &(f, _) in v {
                offsets[f as usize + 1] += 1;
            }
        }
        for f in 0..features {
            offsets[f + 1] += offsets[f];
        }
        let mut fill = offsets.clone();
        let mut entries = vec![(0u32, 0.0f32); offsets[features] as usize];
        for (item, v) in vectors.iter().enumerate() {
            let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            for &(f, w) in v {
                let slot = &mut fill[f as usize];
                entries[*slot as usize] = (item as u32, if norm > 0.0 { w / norm } else { 0.0 });
                *slot += 1;
            }
        }
        Postings { offsets, entries }
    }

    /// Adds `scale` × (query · item) to each item's score.
    fn accumulate(&self, query: &[(u32, f32)], scale: f32, scores: &mut [f32]) {
        for &(f, w) in query {
            let range = self.offsets[f as usize] as usize..self.offsets[f as usize + 1] as usize;
            let w = w * scale;
            for &(item, v) in &self.entries[range] {
                scores[item as usize] += w * v;
            }
        }
    }
}

/// One TF-IDF space over the phrasings, and over the answers (each answer's
/// centroid: the normalised sum of its phrasings' unit vectors).
#[derive(Debug, Clone, Default)]
struct Space {
    ids: KeyMap<Key, u32>,
    idf: Vec<f32>,
    rows: Postings,
    answers: Postings,
    max_idf: f32,
}

impl Space {
    fn build(bags: &[Bag], answer_of: &[u32], answers: usize) -> Self {
        let mut ids: KeyMap<Key, u32> = KeyMap::default();
        let mut df: Vec<u32> = Vec::new();
        for bag in bags {
            for key in bag.keys() {
                let next = ids.len() as u32;
                let id = *ids.entry(*key).or_insert(next);
                if id as usize == df.len() {
                    df.push(0);
                }
                df[id as usize] += 1;
            }
        }
        let n = bags.len() as f32;
        // Smoothed IDF, as scikit-learn's TfidfVectorizer.
        let idf: Vec<f32> = df.iter().map(|&d| ((1.0 + n) / (1.0 + d as f32)).ln() + 1.0).collect();
        let mut row_vectors: Vec<Vec<(u32, f32)>> = Vec::with_capacity(bags.len());
        for bag in bags {
            let mut v: Vec<(u32, f32)> =
                bag.iter().map(|(k, &tf)| (ids[k], sublinear(tf) * idf[ids[k] as usize])).collect();
            // By feature: the order of the postings and of the sums below.
            v.sort_by_key(|e| e.0);
            let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|e| e.1 /= norm);
            }
            row_vectors.push(v);
        }
        let mut centroids: Vec<KeyMap<u32, f32>> = vec![KeyMap::default(); answers];
        for (row, v) in row_vectors.iter().enumerate() {
            let c = &mut centroids[answer_of[row] as usize];
            for &(f, w) in v {
                *c.entry(f).or_default() += w;
            }
        }
        let centroids: Vec<Vec<(u32, f32)>> = centroids
            .into_iter()
            .map(|c| {
                let mut v: Vec<(u32, f32)> = c.into_iter().collect();
                v.sort_by_key(|e| e.0);
                v
            })
            .collect();
        let max_idf = idf.iter().copied().fold(1.0, f32::max);
        Space {
            rows: Postings::build(idf.len(), &row_vectors),
            answers: Postings::build(idf.len(), &centroids),
            ids,
            idf,
            max_idf,
        }
    }

    /// Adds `share` × the cosine of `bag` with every row and every answer centroid to
    /// `rows` and `answers`. A count below one (a typo, a completion) scales the
    /// feature down.
    fn score(&self, bag: &Bag, share: f32, rows: &mut [f32], answers: Option<&mut [f32]>) {
        let mut query: Vec<(u32, f32)> = Vec::with_capacity(bag.len());
        let mut norm2 = 0.0;
        for (key, &tf) in bag {
            match self.ids.get(key) {
                Some(&id) => {
                    let w = sublinear(tf.max(1.0)) * tf.min(1.0) * self.idf[id as usize];
                    norm2 += w * w;
                    query.push((id, w));
                }
                None => {
                    let w = sublinear(tf.max(1.0)) * UNKNOWN_IDF_SHARE * self.max_idf;
                    norm2 += w * w;
                }
            }
        }
        if norm2 <= 0.0 {
            return;
        }
        query.sort_by_key(|e| e.0);
        let scale = share / norm2.sqrt();
        self.rows.accumulate(&query, scale, rows);
        if let Some(answers) = answers {
            self.answers.accumulate(&query, scale, answers);
        }
    }
}

/// 1 + ln(tf): a word said twice is not twice the subject.
fn sublinear(tf: f32) -> f32 {
    if tf > 0.0 {
        1.0 + tf.ln()
    } else {
        0.0
    }
}

/// A query's lexical similarities.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// By phrasing.
    pub rows: Vec<f32>,
    /// By answer: the cosine with the answer's centroid.
    pub answers: Vec<f32>,
    /// How many of the query's words were read as a misspelling of a known word.
    pub typos: u32,
}

/// The lexical index of a set of phrasings.
#[derive(Debug, Clone, Default)]
pub struct Index {
    rows: usize,
    answers: usize,
    grams: Space,
    words: Space,
    /// Stemmed vocabulary words, sorted, for completions while typing.
    vocabulary: Vec<String>,
    /// Every vocabulary word and every form of it with one character deleted → the
    /// words it came from: finds words one edit from a typo without a scan.
    deletions: HashMap<String, Vec<u32>>,
}

impl Index {
    /// Indexes phrasings, each with its answer's number (below `answers`).
    pub fn build<'a>(phrasings: impl Iterator<Item = (&'a str, u32)>, answers: usize) -> Self {
        let mut gram_bags = Vec::new();
        let mut word_bags = Vec::new();
        let mut answer_of = Vec::new();
        let mut vocabulary: Vec<String> = Vec::new();
        for (text, answer) in phrasings {
            answer_of.push(answer);
            let ws = words(text);
            let mut grams = Bag::default();
            let mut terms = Bag::default();
            let only_stop_words = ws.iter().all(|w| is_stop_word(w));
            for w in &ws {
                if GRAMS_OF_STOP_WORDS || only_stop_words || !is_stop_word(w) {
                    add_grams(&mut grams, w, true);
                }
                if !is_stop_word(w) {
                    let t = stem(w);
                    *terms.entry(word_key(&t)).or_default() += 1.0;
                    vocabulary.push(t);
                }
            }
            gram_bags.push(grams);
            word_bags.push(terms);
        }
        vocabulary.sort();
        vocabulary.dedup();
        let mut deletions: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, w) in vocabulary.iter().enumerate() {
            for form in deletion_forms(w) {
                let slot = deletions.entry(form).or_default();
                if slot.last() != Some(&(i as u32)) {
                    slot.push(i as u32);
                }
            }
        }
        Index {
            rows: gram_bags.len(),
            answers,
            grams: Space::build(&gram_bags, &answer_of, answers),
            words: Space::build(&word_bags, &answer_of, answers),
            vocabulary,
            deletions,
        }
    }

    pub fn len(&self) -> usize {
        self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The known word a typo most likely is: one insertion, deletion, substitution or
    /// transposition away, words of 4 letters or more, the rarest on a tie.
    fn typo_of(&self, term: &str) -> Option<&str> {
        if term.chars().count() < 4 {
            return None;
        }
        let mut best: Option<(f32, &str)> = None;
        for form in deletion_forms(term) {
            for &i in self.deletions.get(&form).into_iter().flatten() {
                let candidate = self.vocabulary[i as usize].as_str();
                if candidate.chars().count() < 4 || strsim::damerau_levenshtein(term, candidate) != 1 {
                    continue;
                }
                let idf = self.words.ids.get(&word_key(candidate)).map_or(0.0, |&id| self.words.idf[id as usize]);
                if best.is_none_or(|(b, w)| idf > b || (idf == b && candidate < w)) {
                    best = Some((idf, candidate));
                }
            }
        }
        best.map(|(_, w)| w)
    }

    /// Vocabulary words starting with `prefix`, the rarest first.
    fn completions(&self, prefix: &str) -> Vec<&str> {
        let start = self.vocabulary.partition_point(|w| w.as_str() < prefix);
        let mut found: Vec<&str> =
            self.vocabulary[start..].iter().take_while(|w| w.starts_with(prefix)).map(String::as_str).collect();
        let idf = |w: &str| self.words.ids.get(&word_key(w)).map_or(0.0, |&id| self.words.idf[id as usize]);
        found.sort_by(|a, b| idf(b).total_cmp(&idf(a)).then(a.cmp(b)));
        found.truncate(MAX_COMPLETIONS);
        found
    }

    /// Similarity of `query` to every phrasing and to every answer's centroid, in [0, 1].
    pub fn scores(&self, query: &str) -> Scores {
        let mut answers = vec![0.0f32; self.answers];
        let (rows, typos) = self.score_with(query, false, Some(&mut answers));
        Scores { rows, answers, typos }
    }

    /// Similarity to every phrasing of a question still being typed: its last word may
    /// be the start of a longer one ("how do i can" → "cancel").
    pub fn prefix_scores(&self, partial: &str) -> Vec<f32> {
        self.score_with(partial, ends_mid_word(partial), None).0
    }

    /// The scores by phrasing (and by answer, into `answers`), and how many words
    /// were read as typos.
    fn score_with(&self, query: &str, last_is_partial: bool, mut answers: Option<&mut [f32]>) -> (Vec<f32>, u32) {
        let mut scores = vec![0.0f32; self.rows];
        let mut typos = 0;
        let ws = words(query);
        let mut grams = Bag::default();
        let mut terms = Bag::default();
        let only_stop_words = ws.iter().all(|w| is_stop_word(w));
        for (i, w) in ws.iter().enumerate() {
            let partial = last_is_partial && i + 1 == ws.len();
            if GRAMS_OF_STOP_WORDS || only_stop_words || partial || !is_stop_word(w) {
                add_grams(&mut grams, w, !partial);
            }
            if partial {
                let completions = self.completions(w);
                let weight = 1.0 / completions.len().max(1) as f32;
                for c in completions {
                    *terms.entry(word_key(c)).or_default() += weight;
                }
                continue;
            }
            if is_stop_word(w) {
                continue;
            }
            let t = stem(w);
            let key = word_key(&t);
            if self.words.ids.contains_key(&key) {
                *terms.entry(key).or_default() += 1.0;
            } else if let Some(known) = self.typo_of(&t) {
                *terms.entry(word_key(known)).or_default() += TYPO_WEIGHT;
                typos += 1;
            } else {
                *terms.entry(key).or_default() += 1.0;
            }
        }
        self.grams.score(&grams, GRAM_SHARE, &mut scores, answers.as_deref_mut());
        self.words.score(&terms, 1.0 - GRAM_SHARE, &mut scores, answers);
        (scores, typos)
    }
}

/// `word` and every form of it with one character deleted.
fn deletion_forms(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut forms = Vec::with_capacity(chars.len() + 1);
    forms.push(word.to_string());
    for i in 0..chars.len() {
        forms.push(chars[..i].iter().chain(&chars[i + 1..]).collect());
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> Index {
        let texts = [
            "How do I track my order?",
            "What is your return policy?",
            "How do I cancel my order?",
            "Do you ship abroad?",
        ];
        Index::build(texts.into_iter().zip(0..), 4)
    }

    fn best(index: &Index, query: &str) -> (usize, f32) {
        let scores = index.scores(query).rows;
        let mut order: Vec<usize> = (0..scores.len()).collect();
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
        (order[0], scores[order[0]])
    }

    #[test]
    fn the_same_words_score_one() {
        let (row, score) = best(&index(), "how do i TRACK my order");
        assert_eq!(row, 0);
        assert!((score - 1.0).abs() < 1e-4, "{score}");
    }

    #[test]
    fn typos_and_inflections_still_match() {
        let index = index();
        for (typed, row) in [("trak my ordr", 0), ("retrun policy", 1), ("cancelling", 2), ("shipping abroad", 3)] {
            assert_eq!(best(&index, typed).0, row, "{typed}");
        }
    }

    #[test]
    fn a_typo_counts_as_the_word() {
        let index = index();
        assert_eq!(index.typo_of("cancle"), Some("cancel"));
        assert_eq!(index.typo_of("polcy"), Some("policy"));
        assert_eq!(index.typo_of("zebra"), None);
        assert_eq!(index.scores("trak my ordr").typos, 2);
        assert_eq!(index.scores("track my order").typos, 0);
        assert_eq!(index.scores("zebra crossing").typos, 0, "unknown words are not typos");
        assert_eq!(index.typo_of("ord"), None, "too short to guess");
    }

    #[test]
    fn answers_are_scored_by_their_centroid() {
        let texts = ["track my order", "where is my parcel", "cancel my order"];
        let index = Index::build(texts.into_iter().zip([0, 0, 1]), 2);
        let scores = index.scores("track my parcel");
        assert!(scores.answers[0] > scores.rows[0].max(scores.rows[1]), "both phrasings count: {scores:?}");
        assert!(scores.answers[0] > scores.answers[1]);
        let exact = index.scores("cancel my order");
        assert!((exact.answers[1] - 1.0).abs() < 1e-4, "one phrasing: its own centroid");
    }

    #[test]
    fn unrelated_questions_score_low() {
        let (_, score) = best(&index(), "what's the weather like");
        assert!(score < 0.3, "{score}");
    }

    #[test]
    fn a_partial_last_word_matches_as_a_prefix() {
        let index = index();
        let scores = index.prefix_scores("how do i can");
        assert!(scores[2] > scores[0], "{scores:?}");
        assert_eq!(index.completions("can"), ["cancel"]);
    }

    #[test]
    fn empty_inputs() {
        let index = Index::build(std::iter::empty(), 0);
        assert_eq!(index.scores("anything"), Scores { rows: vec![], answers: vec![], typos: 0 });
        assert_eq!(best(&self::tests::index(), "").1, 0.0);
    }
}
