//! Understanding what a customer means: which of a set of known answers a free-text
//! question asks for, or that it asks for none of them.
//!
//! Two tiers. The lexical tier ([`lexical`]) is always there and instant: character
//! n-grams and words. The semantic tier adds sentence embeddings (all-MiniLM-L6-v2,
//! computed by `encoder` natively or in the browser's worker) once they are
//! available for both the question and the phrasings; its cosines are fused with the
//! lexical scores, and a clear lexical answer still counts (see [`decide_tiers`]).
//! [`decision`] turns the scores into answer / did you mean / refuse with constants
//! fitted on CLINC150 (see there).
//!
//! ```
//! use chatdeck::engine::understand::{understand, Candidates, Meaning, Query};
//! let candidates = Candidates::new(vec![
//!     ("How do I track my order?".into(), 0),
//!     ("Where is my package?".into(), 0),
//!     ("How do I cancel my order?".into(), 1),
//! ]);
//! let understood = understand(&Query { text: "how can i track my package", vector: None }, &candidates);
//! assert!(matches!(understood.meaning, Meaning::Answer { answer: 0, .. }));
//! let understood = understand(&Query { text: "what's the weather like", vector: None }, &candidates);
//! assert_eq!(understood.meaning, Meaning::Refuse);
//! ```

pub mod decision;
pub mod intents;
pub mod key;
pub mod lexical;
pub mod normalize;
pub mod tokenizer;

#[cfg(feature = "semantic")]
pub mod encoder;

use std::collections::HashMap;

use decision::{AnswerEvidence, Evidence, Params, Scored};

/// Width of an embedding (all-MiniLM-L6-v2).
pub const DIM: usize = 384;

/// What the user typed, with its embedding when the semantic tier is ready.
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    pub text: &'a str,
    /// [`DIM`] floats, L2-normalised.
    pub vector: Option<&'a [f32]>,
}

impl<'a> Query<'a> {
    /// A query with no embedding: the lexical tier answers.
    pub fn text(text: &'a str) -> Self {
        Query { text, vector: None }
    }
}

/// Phrasings grouped by the answer they lead to; the lexical index is built at
/// construction, the embeddings are attached when they are ready.
#[derive(Debug, Clone, Default)]
pub struct Candidates {
    phrasings: Vec<String>,
    /// By phrasing: its answer's dense number.
    answer_of: Vec<u32>,
    /// By dense number: the caller's answer key, and how many phrasings it has.
    keys: Vec<usize>,
    counts: Vec<u32>,
    lexical: lexical::Index,
    /// Phrasings by their normalised words, for questions typed exactly as a phrasing.
    exact: HashMap<String, Vec<u32>>,
    /// `phrasings.len() * DIM` floats, L2-normalised rows; and each answer's
    /// centroid, `keys.len() * DIM` floats, normalised.
    vectors: Option<Vec<f32>>,
    centroids: Option<Vec<f32>>,
}

/// Which tier answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    Lexical,
    Semantic,
}

/// What a question means, in answer keys.
#[derive(Debug, Clone, PartialEq)]
pub enum Meaning {
    /// This answer, clearly: `confidence` is its fused score in [0, 1].
    Answer { answer: usize, confidence: f32 },
    /// One of these (best first): ask which one was meant.
    Clarify(Vec<usize>),
    /// None of the answers.
    Refuse,
}

/// The decision and the tier that made it.
#[derive(Debug, Clone, PartialEq)]
pub struct Understood {
    pub meaning: Meaning,
    pub tier: Tier,
}

/// [`Understood`] with, for each answer in the meaning (in its order), the phrasing
/// that matched it best (the FAQ names an answer by the question it is filed under
/// instead; see `faq::KnowledgeBase`).
#[derive(Debug, Clone, PartialEq)]
pub struct Explained {
    pub understood: Understood,
    pub phrasings: Vec<usize>,
}

/// What the decision sees of one question: every answer's evidence (by dense
/// answer number) and the answers with a phrasing equal to the question.
#[derive(Debug, Clone)]
pub struct Observation {
    pub tier: Tier,
    pub exact: Vec<usize>,
    pub answers: Vec<AnswerEvidence>,
    /// The lexical tier read a word of the question as a misspelling of a word of the
    /// phrasings ("trak" for "track"): the embedding cannot read it.
    pub typos: bool,
    /// By dense answer number: its best phrasing under the tier's fused row score.
    best_phrasing: Vec<usize>,
}

/// The exact-match key of a text: its words, normalised.
fn exact_key(text: &str) -> String {
    normalize::words(text).join(" ")
}

impl Candidates {
    /// `phrasings`: (phrasing, answer key). Rows that share a key are phrasings of one answer.
    pub fn new(phrasings: Vec<(String, usize)>) -> Self {
        let mut dense: HashMap<usize, u32> = HashMap::new();
        let mut keys = Vec::new();
        let mut counts: Vec<u32> = Vec::new();
        let mut answer_of = Vec::with_capacity(phrasings.len());
        let mut exact: HashMap<String, Vec<u32>> = HashMap::new();
        for (row, (text, key)) in phrasings.iter().enumerate() {
            let d = *dense.entry(*key).or_insert_with(|| {
                keys.push(*key);
                counts.push(0);
                keys.len() as u32 - 1
            });
            counts[d as usize] += 1;
            answer_of.push(d);
            let k = exact_key(text);
            if !k.is_empty() {
                exact.entry(k).or_default().push(row as u32);
            }
        }
        let lexical =
            lexical::Index::build(phrasings.iter().map(|(t, _)| t.as_str()).zip(answer_of.iter().copied()), keys.len());
        let phrasings = phrasings.into_iter().map(|(t, _)| t).collect();
        Candidates { phrasings, answer_of, keys, counts, lexical, exact, vectors: None, centroids: None }
    }

    /// The phrasings in order: what to embed.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.phrasings.iter().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.phrasings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phrasings.is_empty()
    }

    /// Number of distinct answers.
    pub fn answers(&self) -> usize {
        self.keys.len()
    }

    /// The answer key of dense answer number `dense` (as in [`Observation`]).
    pub fn key(&self, dense: usize) -> usize {
        self.keys[dense]
    }

    /// The embeddings of [`Candidates::texts`], in order: `texts().count() * DIM`
    /// floats. Rows are L2-normalised here, so a caller's rounding does not matter.
    pub fn attach_vectors(&mut self, mut flat: Vec<f32>) -> Result<(), String> {
        let expected = self.phrasings.len() * DIM;
        if flat.len() != expected {
            return Err(format!(
                "expected {expected} floats ({} phrasings × {DIM}), got {}",
                self.phrasings.len(),
                flat.len()
            ));
        }
        if flat.iter().any(|x| !x.is_finite()) {
            return Err("the embeddings contain a value that is not a number".into());
        }
        for row in flat.chunks_mut(DIM) {
            normalise(row);
        }
        let mut centroids = vec![0.0f32; self.keys.len() * DIM];
        for (row, &a) in flat.chunks_exact(DIM).zip(&self.answer_of) {
            let c = &mut centroids[a as usize * DIM..(a as usize + 1) * DIM];
            c.iter_mut().zip(row).for_each(|(c, x)| *c += x);
        }
        for c in centroids.chunks_mut(DIM) {
            normalise(c);
        }
        self.vectors = Some(flat);
        self.centroids = Some(centroids);
        Ok(())
    }

    pub fn has_vectors(&self) -> bool {
        self.vectors.is_some()
    }

    /// Drops the embeddings: back to the lexical tier.
    pub fn detach_vectors(&mut self) {
        self.vectors = None;
        self.centroids = None;
    }

    /// Lexical similarity of a partial question to each phrasing (for suggestions while typing).
    pub fn prefix_scores(&self, partial: &str) -> Vec<f32> {
        self.lexical.prefix_scores(partial)
    }

    /// The evidence for every answer. Semantic when both the query and the
    /// candidates have vectors (and the query's has the right width). `params_of`
    /// chooses the best phrasing of each answer, by the tier's fused row score.
    pub fn observe(&self, query: &Query, params_of: impl Fn(Tier) -> Params) -> Observation {
        let lexical = self.lexical.scores(query.text);
        let vector = query.vector.filter(|v| v.len() == DIM);
        let semantic = match (vector, &self.vectors, &self.centroids) {
            (Some(q), Some(rows), Some(centroids)) => {
                let mut q = q.to_vec();
                normalise(&mut q);
                let by_row: Vec<f32> = rows.chunks_exact(DIM).map(|r| dot(&q, r)).collect();
                let by_answer: Vec<f32> = centroids.chunks_exact(DIM).map(|c| dot(&q, c)).collect();
                Some((by_row, by_answer))
            }
            _ => None,
        };
        let tier = if semantic.is_some() { Tier::Semantic } else { Tier::Lexical };
        let params = params_of(tier);
        let n = self.keys.len();
        let mut lexical_best = vec![f32::NEG_INFINITY; n];
        let mut semantic_best = vec![f32::NEG_INFINITY; n];
        let mut best_phrasing = vec![0usize; n];
        let mut best_row_score = vec![f32::NEG_INFINITY; n];
        for (row, &a) in self.answer_of.iter().enumerate() {
            let a = a as usize;
            let l = lexical.rows[row];
            lexical_best[a] = lexical_best[a].max(l);
            let mut row_score = l;
            if let Some((by_row, _)) = &semantic {
                semantic_best[a] = semantic_best[a].max(by_row[row]);
                row_score = params.semantic_share * by_row[row] + (1.0 - params.semantic_share) * l;
            }
            if row_score > best_row_score[a] {
                best_row_score[a] = row_score;
                best_phrasing[a] = row;
            }
        }
        let answers = (0..n)
            .map(|a| AnswerEvidence {
                answer: a,
                phrasings: self.counts[a],
                lexical: Evidence { best: lexical_best[a], centroid: lexical.answers[a] },
                semantic: semantic
                    .as_ref()
                    .map(|(_, by_answer)| Evidence { best: semantic_best[a], centroid: by_answer[a] }),
            })
            .collect();
        let mut exact: Vec<usize> = Vec::new();
        for &row in self.exact.get(&exact_key(query.text)).into_iter().flatten() {
            let a = self.answer_of[row as usize] as usize;
            if !exact.contains(&a) {
                exact.push(a);
                // The phrasing typed is the one that matched best.
                best_phrasing[a] = row as usize;
            }
        }
        Observation { tier, exact, answers, typos: lexical.typos > 0, best_phrasing }
    }
}

/// The parameters the app uses for a tier.
pub fn params(tier: Tier) -> Params {
    match tier {
        Tier::Lexical => decision::LEXICAL,
        Tier::Semantic => decision::SEMANTIC,
    }
}

/// Decides `observation` with `params` (the tuner tries others): the meaning in
/// dense answer numbers.
pub fn decide(observation: &Observation, params: &Params) -> Meaning {
    decision::decide(&observation.exact, &ranked(observation, params), params)
}

/// Decides an observation of either tier with the given parameters of each tier.
///
/// In the semantic tier the fused scores decide, except that the lexical tier's own
/// answer is given when the fused scores rank it first or second and either it is
/// clear (see [`Params::lexical_override_at`]) or the question has a misspelled word:
/// a typo is noise to the embedding ("trak my ordr" is far from every phrasing), while
/// the lexical tier reads it as the word, and its decision is calibrated on its own.
pub fn decide_tiers(observation: &Observation, semantic: &Params, lexical: &Params) -> Meaning {
    if observation.tier == Tier::Lexical {
        return decide(observation, lexical);
    }
    let scored = ranked(observation, semantic);
    let fused = decision::decide(&observation.exact, &scored, semantic);
    if matches!(fused, Meaning::Answer { .. }) {
        return fused;
    }
    match lexical_answer(observation, lexical) {
        Some((answer, score))
            if (score >= semantic.lexical_override_at || observation.typos)
                && scored.iter().take(2).any(|s| s.answer == answer) =>
        {
            Meaning::Answer { answer, confidence: score.clamp(0.0, 1.0) }
        }
        _ => fused,
    }
}

/// The answer the lexical tier alone would give, if any, and its lexical score.
pub fn lexical_answer(observation: &Observation, lexical: &Params) -> Option<(usize, f32)> {
    let mut scored: Vec<Scored> = observation
        .answers
        .iter()
        .map(|e| {
            let words_only = AnswerEvidence { semantic: None, ..*e };
            Scored { answer: e.answer, score: lexical.score(&words_only), phrasings: e.phrasings }
        })
        .collect();
    decision::rank(&mut scored);
    match decision::decide(&observation.exact, &scored, lexical) {
        Meaning::Answer { answer, .. } => Some((answer, scored.iter().find(|s| s.answer == answer)?.score)),
        _ => None,
    }
}

fn ranked(observation: &Observation, params: &Params) -> Vec<Scored> {
    let mut scored: Vec<Scored> = observation
        .answers
        .iter()
        .map(|e| Scored { answer: e.answer, score: params.score(e), phrasings: e.phrasings })
        .collect();
    decision::rank(&mut scored);
    scored
}

/// The one question every bot asks. Semantic when both query and candidates have vectors.
pub fn understand(query: &Query, candidates: &Candidates) -> Understood {
    explain(query, candidates).understood
}

/// [`understand`], with the phrasing that matched each answer of the meaning.
pub fn explain(query: &Query, candidates: &Candidates) -> Explained {
    let observation = candidates.observe(query, params);
    let meaning = decide_tiers(&observation, &decision::SEMANTIC, &decision::LEXICAL);
    let phrasing = |a: usize| observation.best_phrasing[a];
    let (meaning, phrasings) = match meaning {
        Meaning::Answer { answer, confidence } => {
            (Meaning::Answer { answer: candidates.key(answer), confidence }, vec![phrasing(answer)])
        }
        Meaning::Clarify(answers) => (
            Meaning::Clarify(answers.iter().map(|&a| candidates.key(a)).collect()),
            answers.iter().map(|&a| phrasing(a)).collect(),
        ),
        Meaning::Refuse => (Meaning::Refuse, Vec::new()),
    };
    Explained { understood: Understood { meaning, tier: observation.tier }, phrasings }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    // Four accumulators: the compiler vectorises this (native and wasm simd128).
    let mut acc = [0.0f32; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f32 = ca.remainder().iter().zip(cb.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in ca.zip(cb) {
        for i in 0..4 {
            acc[i] += x[i] * y[i];
        }
    }
    acc.iter().sum::<f32>() + tail
}

fn normalise(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shop() -> Candidates {
        Candidates::new(vec![
            ("How do I track my order?".into(), 10),
            ("Where is my package?".into(), 10),
            ("How do I cancel my order?".into(), 20),
            ("Can I cancel an order I just placed?".into(), 20),
            ("What is your return policy?".into(), 30),
        ])
    }

    fn one_hot(i: usize) -> Vec<f32> {
        let mut v = vec![0.0; DIM];
        v[i] = 1.0;
        v
    }

    #[test]
    fn answers_are_keys_and_phrasings_grouped() {
        let c = shop();
        assert_eq!(c.len(), 5);
        assert_eq!(c.answers(), 3);
        let e = explain(&Query::text("cancel my order"), &c);
        assert!(matches!(e.understood.meaning, Meaning::Answer { answer: 20, .. }), "{e:?}");
        assert_eq!(e.understood.tier, Tier::Lexical);
        assert_eq!(e.phrasings, [2]);
    }

    #[test]
    fn a_phrasing_typed_exactly_is_answered_with_that_phrasing() {
        let e = explain(&Query::text("where is my PACKAGE"), &shop());
        assert_eq!(e.understood.meaning, Meaning::Answer { answer: 10, confidence: 1.0 });
        assert_eq!(e.phrasings, [1]);
    }

    #[test]
    fn vectors_switch_to_the_semantic_tier() {
        let mut c = shop();
        assert!(c.attach_vectors(vec![0.0; 3]).is_err());
        assert!(!c.has_vectors());
        // Each answer's phrasings point one way.
        let flat: Vec<f32> = [0, 0, 1, 1, 2].iter().flat_map(|&i| one_hot(i)).collect();
        c.attach_vectors(flat).expect("right size");
        assert!(c.has_vectors());
        // Words shared with "track my order", meaning of "return": the meaning decides.
        let q = one_hot(2);
        let u = understand(&Query { text: "send it back to you", vector: Some(&q) }, &c);
        assert_eq!(u.tier, Tier::Semantic);
        assert!(matches!(u.meaning, Meaning::Answer { answer: 30, .. }), "{u:?}");
        // A query vector of the wrong width is ignored: lexical.
        let u = understand(&Query { text: "send it back", vector: Some(&[1.0, 0.0]) }, &c);
        assert_eq!(u.tier, Tier::Lexical);
        c.detach_vectors();
        assert!(!c.has_vectors());
    }

    #[test]
    fn a_clear_lexical_answer_survives_embeddings_that_cannot_read_typos() {
        let mut c = shop();
        let flat: Vec<f32> = [0, 0, 1, 1, 2].iter().flat_map(|&i| one_hot(i)).collect();
        c.attach_vectors(flat).expect("right size");
        // The query's embedding is unrelated to every phrasing: the fused scores refuse.
        let q = one_hot(9);
        let typed = Query { text: "how do i trak my order", vector: Some(&q) };
        let observation = c.observe(&typed, params);
        assert_eq!(decide(&observation, &decision::SEMANTIC), Meaning::Refuse);
        let u = understand(&typed, &c);
        assert_eq!(u.tier, Tier::Semantic);
        assert!(matches!(u.meaning, Meaning::Answer { answer: 10, .. }), "{u:?}");
        // Without a clear lexical answer, the fused scores' refusal stands.
        let vague = Query { text: "how do i order", vector: Some(&q) };
        assert_eq!(understand(&vague, &c).meaning, Meaning::Refuse);
    }

    #[test]
    fn nothing_to_choose_from() {
        let u = understand(&Query::text("anything"), &Candidates::new(Vec::new()));
        assert_eq!(u.meaning, Meaning::Refuse);
    }
}
