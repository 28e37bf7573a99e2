//! The FAQ ranker: BM25 over questions and answers (a question term counts more
//! than an answer term), typo-tolerant term lookup, and a confidence measure that
//! tells a real match from a coincidence.
//!
//! The index is built once when a knowledge base loads; a query then touches only
//! the postings of its own terms.

use std::collections::HashMap;

use super::normalize::{clean, is_slipped_stop_word, terms_with_words, typo_synonym};

/// BM25 term-frequency saturation.
const K1: f64 = 1.2;
/// BM25 length normalisation.
const B: f64 = 0.75;
/// Weight of an answer term relative to a question term.
const ANSWER_WEIGHT: f64 = 0.35;
/// Weight of a query term found only through a typo.
const TYPO_WEIGHT: f64 = 0.8;
/// How much information an unknown query word carries, relative to the rarest
/// known term: less than a known term (it may be filler), never nothing.
const UNKNOWN_WEIGHT: f64 = 0.6;
/// Most terms a partial last word expands to in suggestions.
const MAX_COMPLETIONS: usize = 24;

/// One query term after lookup.
#[derive(Debug, Clone, PartialEq)]
struct QueryTerm {
    id: Option<usize>,
    weight: f64,
}

/// A ranked entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub entry: usize,
    pub score: f64,
    /// Share of the query's information (IDF mass) this entry's question or answer
    /// contains, in [0, 1]: how much of what was asked it covers.
    pub coverage: f64,
    /// Share of the query's information found in the entry's question.
    pub question_coverage: f64,
}

#[derive(Debug, Clone, Default)]
pub struct Index {
    vocabulary: HashMap<String, usize>,
    terms: Vec<String>,
    /// Per term: (entry, weighted term frequency, whether the question has it).
    postings: Vec<Vec<(usize, f64, bool)>>,
    idf: Vec<f64>,
    lengths: Vec<f64>,
    average_length: f64,
    /// Terms by first character, for completions.
    by_initial: HashMap<char, Vec<usize>>,
    /// The words of the texts (before stemming) and their terms, for the typo lookup.
    words: HashMap<String, usize>,
    words_by_initial: HashMap<char, Vec<String>>,
    /// Words by everything after their first letter, for typos of the first letter.
    words_by_tail: HashMap<String, Vec<usize>>,
}

impl Index {
    /// Indexes `(question, answer)` pairs.
    pub fn build<'a>(entries: impl Iterator<Item = (&'a str, &'a str)>) -> Self {
        let mut index = Index::default();
        let mut frequencies: Vec<HashMap<usize, (f64, bool)>> = Vec::new();
        for (question, answer) in entries {
            let mut tf: HashMap<usize, (f64, bool)> = HashMap::new();
            let mut length = 0.0;
            for (text, weight, is_question) in [(question, 1.0, true), (answer, ANSWER_WEIGHT, false)] {
                for t in terms_with_words(text) {
                    let id = index.intern(t.term);
                    index.words.entry(t.word).or_insert(id);
                    let slot = tf.entry(id).or_default();
                    slot.0 += weight;
                    slot.1 |= is_question;
                    length += weight;
                }
            }
            index.lengths.push(length);
            frequencies.push(tf);
        }
        let n = frequencies.len();
        index.postings = vec![Vec::new(); index.terms.len()];
        for (entry, tf) in frequencies.into_iter().enumerate() {
            for (id, (f, in_question)) in tf {
                index.postings[id].push((entry, f, in_question));
            }
        }
        for postings in &mut index.postings {
            postings.sort_by_key(|p| p.0);
        }
        index.idf = index
            .postings
            .iter()
            .map(|p| {
                let df = p.len() as f64;
                ((n as f64 - df + 0.5) / (df + 0.5) + 1.0).ln()
            })
            .collect();
        index.average_length = if n == 0 { 1.0 } else { index.lengths.iter().sum::<f64>() / n as f64 }.max(1.0);
        for (id, term) in index.terms.iter().enumerate() {
            if let Some(c) = term.chars().next() {
                index.by_initial.entry(c).or_default().push(id);
            }
        }
        for (word, &id) in &index.words {
            if let Some(c) = word.chars().next() {
                index.words_by_initial.entry(c).or_default().push(word.clone());
                index.words_by_tail.entry(word[c.len_utf8()..].to_string()).or_default().push(id);
            }
        }
        index
    }

    fn intern(&mut self, term: String) -> usize {
        if let Some(&id) = self.vocabulary.get(&term) {
            return id;
        }
        let id = self.terms.len();
        self.vocabulary.insert(term.clone(), id);
        self.terms.push(term);
        id
    }

    /// The known term an unknown word most likely means: a support word it is a
    /// typo of, else a word of the knowledge base one edit away (two for long words)
    /// with the same first letter, the most informative on a tie.
    fn typo_of(&self, word: &str) -> Option<usize> {
        if let Some(id) = typo_synonym(word).and_then(|t| self.vocabulary.get(t)) {
            return Some(*id);
        }
        let n = word.chars().count();
        if n < 4 {
            return None;
        }
        let allowed = if n >= 8 { 2 } else { 1 };
        let first = word.chars().next()?;
        let same_initial = self
            .words_by_initial
            .get(&first)
            .into_iter()
            .flatten()
            .filter(|w| w.len().abs_diff(word.len()) <= allowed)
            .map(|w| (strsim::damerau_levenshtein(word, w), self.words[w]))
            .filter(|&(d, _)| d <= allowed)
            .min_by(|a, b| a.0.cmp(&b.0).then(self.idf[b.1].total_cmp(&self.idf[a.1])).then(a.1.cmp(&b.1)))
            .map(|(_, id)| id);
        same_initial.or_else(|| self.first_letter_typo(word, first))
    }

    /// A known word that differs from `word` only in its first letter: dropped
    /// ("amily"), changed ("gamily") or one too many ("ffamily" is caught above,
    /// "xfamily" here). Hash lookups, so unknown words stay cheap at 10k rows.
    fn first_letter_typo(&self, word: &str, first: char) -> Option<usize> {
        let tail = &word[first.len_utf8()..];
        let dropped = self.words_by_tail.get(word).into_iter().flatten();
        let changed = self.words_by_tail.get(tail).into_iter().flatten();
        let extra = self.words.get(tail);
        dropped.chain(changed).chain(extra).copied().min_by(|a, b| self.idf[*b].total_cmp(&self.idf[*a]).then(a.cmp(b)))
    }

    /// The ids of known terms starting with `prefix` (for suggestions while typing).
    fn completions(&self, prefix: &str) -> Vec<usize> {
        let Some(first) = prefix.chars().next() else {
            return Vec::new();
        };
        self.by_initial
            .get(&first)
            .map(|ids| ids.iter().copied().filter(|&id| self.terms[id].starts_with(prefix)).collect())
            .unwrap_or_default()
    }

    fn lookup(&self, query: &str) -> Vec<QueryTerm> {
        terms_with_words(query)
            .into_iter()
            .filter_map(|t| match self.vocabulary.get(&t.term) {
                Some(&id) => Some(QueryTerm { id: Some(id), weight: 1.0 }),
                None => match self.typo_of(&t.word) {
                    Some(id) => Some(QueryTerm { id: Some(id), weight: TYPO_WEIGHT }),
                    None if is_slipped_stop_word(&t.word) => None,
                    None => Some(QueryTerm { id: None, weight: TYPO_WEIGHT }),
                },
            })
            .collect()
    }

    /// Entries ranked for `query`, best first, at most `limit`.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        self.rank(&self.lookup(query), limit)
    }

    /// Like [`Index::search`], the last word of `partial` (even a stop word, which
    /// may be the start of a real one: "can" → "cancel") also matching as a prefix.
    pub fn search_prefix(&self, partial: &str, limit: usize) -> Vec<Hit> {
        let mut query = self.lookup(partial);
        let ends_in_word = partial.chars().last().is_some_and(char::is_alphanumeric);
        let cleaned = clean(partial);
        let last_word = cleaned.split_whitespace().last().filter(|_| ends_in_word);
        if let Some(last_word) = last_word {
            let mut completions = self.completions(last_word);
            if !completions.is_empty() {
                if terms_with_words(partial).last().is_some_and(|t| t.word == last_word) {
                    query.pop();
                }
                // The most informative completions, so that a short prefix stays cheap.
                completions.sort_by(|a, b| self.idf[*b].total_cmp(&self.idf[*a]).then(a.cmp(b)));
                completions.truncate(MAX_COMPLETIONS);
                let weight = (1.0 / completions.len() as f64).max(0.2);
                query.extend(completions.into_iter().map(|id| QueryTerm { id: Some(id), weight }));
            }
        }
        self.rank(&query, limit)
    }

    fn rank(&self, query: &[QueryTerm], limit: usize) -> Vec<Hit> {
        let max_idf = self.idf.iter().copied().fold(1.0, f64::max);
        // Unknown words count as information the knowledge base does not have:
        // "weather" in a shop FAQ makes any answer less likely to be the right one.
        // Repeated terms add to the score but count once for coverage.
        let mut distinct: Vec<(usize, f64, f64)> = Vec::new();
        let mut unknown_information = 0.0;
        for q in query {
            let Some(id) = q.id else {
                unknown_information += UNKNOWN_WEIGHT * max_idf;
                continue;
            };
            match distinct.iter_mut().find(|d| d.0 == id) {
                Some(d) => {
                    d.1 += q.weight;
                    d.2 = d.2.max(q.weight.min(1.0));
                }
                None => distinct.push((id, q.weight, q.weight.min(1.0))),
            }
        }
        let total_information: f64 =
            unknown_information + distinct.iter().map(|&(id, _, c)| self.idf[id] * c).sum::<f64>();
        let mut scores: HashMap<usize, (f64, f64, f64)> = HashMap::new();
        for (id, weight, coverage_weight) in distinct {
            let idf = self.idf[id];
            for &(entry, tf, in_question) in &self.postings[id] {
                let norm = K1 * (1.0 - B + B * self.lengths[entry] / self.average_length);
                let s = scores.entry(entry).or_default();
                s.0 += weight * idf * tf * (K1 + 1.0) / (tf + norm);
                s.1 += idf * coverage_weight;
                if in_question {
                    s.2 += idf * coverage_weight;
                }
            }
        }
        let mut hits: Vec<Hit> = scores
            .into_iter()
            .map(|(entry, (score, covered, in_question))| Hit {
                entry,
                score,
                coverage: if total_information > 0.0 { (covered / total_information).min(1.0) } else { 0.0 },
                question_coverage: if total_information > 0.0 {
                    (in_question / total_information).min(1.0)
                } else {
                    0.0
                },
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
        hits.truncate(limit);
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> Index {
        Index::build(
            [
                ("How do I add a family member?", "Open your account settings."),
                ("How do I track my membership in the app?", "Open your account settings."),
                ("How do I return my invoice?", "Open your account settings."),
            ]
            .into_iter(),
        )
    }

    #[test]
    fn a_typo_in_the_first_letter_finds_the_word() {
        let index = index();
        for typed in ["amily member", "gamily member", "xfamily member"] {
            let hits = index.search(typed, 3);
            assert_eq!(hits.first().map(|h| h.entry), Some(0), "{typed}");
            assert!(hits[0].coverage > 0.99, "{typed}: every word understood");
        }
    }

    #[test]
    fn slipped_stop_words_are_not_unknown_information() {
        let index = index();
        let hits = index.search("track m membership inn the app", 3);
        assert_eq!(hits.first().map(|h| h.entry), Some(1));
        assert!(hits[0].coverage > 0.99, "\"m\" and \"inn\" are filler, not words the FAQ lacks");
        // A real unknown word still counts against the answer.
        assert!(index.search("track membership weather app", 3)[0].coverage < 0.99);
    }
}
