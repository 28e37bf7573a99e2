//! The calibrated three-way decision: answer, ask "did you mean" with the best
//! distinct answers, or refuse.
//!
//! Each answer is scored by all its phrasings together: a blend of its best
//! phrasing's similarity and the mean over its phrasings (one lucky phrasing of a
//! big answer counts less than a consistently close answer). With embeddings, the
//! semantic and lexical scores are fused by a weighted sum. An answer is given when
//! its score is high enough AND clearly ahead of the runner-up; a high score close to
//! another answer asks which one was meant; a low score refuses.
//!
//! The constants are fitted by `tools/clinc_tune.sh` (the `clinc_tune` example) on
//! CLINC150 train (the FAQs: the first 1, 3 and 10 phrasings of each intent, of all
//! 150 intents and of 10, 30 and 75 of them), val (in-scope questions) and oos_train +
//! oos_val (out-of-scope questions) only; test and oos_test are never used to fit,
//! only to report (BENCHMARKS.md). The fit, by grid search: the most questions
//! answered right over those FAQs, with at least 92 % of out-of-scope questions
//! refused and at most 13.5–15 % (1-shot) to 8–9.5 % (10-shot) answered wrong at
//! each; for the FAQs of fewer intents, the questions of the intents left out (out of
//! scope for them, and close to their answers) must also be refused nearly as often
//! as with the thresholds of 150 answers. One parameter set per tier serves every
//! FAQ size.

use super::Meaning;

/// How closely the phrasings of one answer match a question, in one tier.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Evidence {
    /// Similarity of the closest phrasing.
    pub best: f32,
    /// Similarity of the answer's centroid (the normalised mean of its phrasings'
    /// vectors): all the phrasings together.
    pub centroid: f32,
}

/// Everything the decision knows about one answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AnswerEvidence {
    pub answer: usize,
    /// How many phrasings the answer has: the fewer, the noisier its scores.
    pub phrasings: u32,
    pub lexical: Evidence,
    /// Cosines of the embeddings, when the semantic tier is ready.
    pub semantic: Option<Evidence>,
}

/// An answer's fused score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub answer: usize,
    pub score: f32,
    pub phrasings: u32,
}

/// The fitted parameters of one tier.
///
/// The thresholds depend on the top answer's number of phrasings `n`: its score must
/// reach `answer_at - few_phrasings_shift / √n` and lead the runner-up by
/// `margin + few_phrasings_margin / √n`. An answer known by one phrasing scores by
/// luck more than one known by ten (its score's spread shrinks like 1/√n), so it
/// needs a clearer lead; and its centroid is a single phrasing, which sits lower than
/// ten phrasings' centroid does, so its bar is lower. This is what lets one set serve
/// FAQs of every size, and FAQs that mix both.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Share of the best phrasing (the rest: the centroid) in an answer's lexical score.
    pub lexical_best: f32,
    /// The same for the semantic score.
    pub semantic_best: f32,
    /// Share of the semantic score in the fused score (the rest: lexical).
    pub semantic_share: f32,
    /// Lowest score given as an answer (for many phrasings, see above)...
    pub answer_at: f32,
    /// ...and the lowest worth a "did you mean"; below it, refuse.
    pub clarify_at: f32,
    /// How much lower both are for an answer of one phrasing (× 1/√n).
    pub few_phrasings_shift: f32,
    /// The lead over the runner-up an answer needs (for many phrasings)...
    pub margin: f32,
    /// ...plus this × 1/√n.
    pub few_phrasings_margin: f32,
    /// How much lower both thresholds are for an FAQ of N answers than for one of
    /// [`REFERENCE_ANSWERS`], × (√ln REFERENCE_ANSWERS − √ln N): the best of N
    /// unrelated answers scores higher by chance the more answers there are (the
    /// maximum of N noisy scores grows like √(2 ln N)), so a small FAQ can answer at a
    /// lower score for the same rate of out-of-scope questions answered.
    pub fewer_answers_shift: f32,
    /// Semantic tier only: an answer the lexical tier alone gives, with a lexical score
    /// of at least this, is given when the fused scores rank it first or second (a
    /// question typed with typos the embedding cannot read still has the characters of
    /// its phrasing). Infinite: never.
    pub lexical_override_at: f32,
}

/// The number of answers the base thresholds are for: CLINC150's intents.
pub const REFERENCE_ANSWERS: f32 = 150.0;

/// Lexical tier alone (before the model has loaded, or when it cannot).
/// Fitted by tools/clinc_tune.sh, see the module comment: on validation, 57.4 %
/// answered right and 9.1 % wrong at 10-shot (29.7 % and 14.1 % at 1-shot), 92.5 % or
/// more out-of-scope refused at every size.
pub const LEXICAL: Params = Params {
    lexical_best: 0.4,
    semantic_best: 0.0,
    semantic_share: 0.0,
    answer_at: 0.3534,
    clarify_at: 0.3534,
    few_phrasings_shift: 0.0,
    margin: 0.035,
    few_phrasings_margin: 0.0,
    fewer_answers_shift: 0.075,
    lexical_override_at: f32::INFINITY,
};

/// Semantic and lexical fused. Fitted by tools/clinc_tune.sh, see the module comment:
/// on validation, 77.6 % right and 6.7 % wrong at 10-shot, 48.0 % right and 13.2 %
/// wrong at 1-shot, 92 % or more out-of-scope refused at every size.
pub const SEMANTIC: Params = Params {
    lexical_best: 1.0,
    semantic_best: 0.1,
    semantic_share: 0.85,
    answer_at: 0.4267,
    clarify_at: 0.4267,
    few_phrasings_shift: 0.06,
    margin: 0.02,
    few_phrasings_margin: 0.04,
    fewer_answers_shift: 0.035,
    lexical_override_at: 0.65,
};

impl Params {
    /// The score of one answer: each tier's blend of best phrasing and centroid, fused.
    pub fn score(&self, e: &AnswerEvidence) -> f32 {
        let blend = |ev: Evidence, best: f32| best * ev.best + (1.0 - best) * ev.centroid;
        let lexical = blend(e.lexical, self.lexical_best);
        match e.semantic {
            Some(semantic) => {
                self.semantic_share * blend(semantic, self.semantic_best) + (1.0 - self.semantic_share) * lexical
            }
            None => lexical,
        }
    }

    /// 1/√n for an answer of `phrasings` phrasings.
    fn few(phrasings: u32) -> f32 {
        1.0 / (phrasings.max(1) as f32).sqrt()
    }

    /// How much lower the thresholds are for `answers` answers (negative: higher).
    fn answers_shift(&self, answers: usize) -> f32 {
        let root_ln = |n: f32| n.max(1.0).ln().sqrt();
        self.fewer_answers_shift * (root_ln(REFERENCE_ANSWERS) - root_ln(answers as f32))
    }

    /// The lowest score given as an answer, for a top answer of `phrasings`
    /// phrasings in an FAQ of `answers` answers.
    pub fn answer_threshold(&self, phrasings: u32, answers: usize) -> f32 {
        self.answer_at - self.few_phrasings_shift * Self::few(phrasings) - self.answers_shift(answers)
    }

    /// The lowest score worth a "did you mean" (below it: refuse).
    pub fn clarify_threshold(&self, phrasings: u32, answers: usize) -> f32 {
        self.clarify_at - self.few_phrasings_shift * Self::few(phrasings) - self.answers_shift(answers)
    }

    /// The lead over the runner-up an answer of `phrasings` phrasings needs.
    pub fn lead_needed(&self, phrasings: u32) -> f32 {
        self.margin + self.few_phrasings_margin * Self::few(phrasings)
    }
}

/// Most answers a "did you mean" offers.
pub const MAX_OFFERED: usize = 3;

/// Decides from `scored`: every answer of the FAQ and its score, the best
/// [`MAX_OFFERED`] first and in order (see [`rank`]). `exact` lists the
/// answers with a phrasing typed exactly as the question (case, accents and
/// punctuation aside): that is an answer whatever the scores say.
pub fn decide(exact: &[usize], scored: &[Scored], params: &Params) -> Meaning {
    match exact {
        [answer] => return Meaning::Answer { answer: *answer, confidence: 1.0 },
        [_, _, ..] => return Meaning::Clarify(exact.iter().copied().take(MAX_OFFERED).collect()),
        [] => {}
    }
    let Some(top) = scored.first() else {
        return Meaning::Refuse;
    };
    let answers = scored.len();
    if top.score < params.clarify_threshold(top.phrasings, answers) {
        return Meaning::Refuse;
    }
    let runner_up = scored.get(1).map_or(0.0, |s| s.score);
    if top.score >= params.answer_threshold(top.phrasings, answers)
        && top.score - runner_up >= params.lead_needed(top.phrasings)
    {
        return Meaning::Answer { answer: top.answer, confidence: top.score.clamp(0.0, 1.0) };
    }
    // The best two, and the third when it is as close to the best as the runner-up
    // would have to be far for the best to be the answer.
    let lead = params.lead_needed(top.phrasings);
    let offered = scored.iter().take(MAX_OFFERED).enumerate().take_while(|(i, s)| *i < 2 || top.score - s.score < lead);
    Meaning::Clarify(offered.map(|(_, s)| s.answer).collect())
}

/// Puts the best [`MAX_OFFERED`] answers first, best first (ties: the earlier answer
/// first, so the order is deterministic); the rest follow in no order. All the decision
/// reads, without sorting an FAQ of 10,000 answers.
pub fn rank(scored: &mut [Scored]) {
    let order = |a: &Scored, b: &Scored| b.score.total_cmp(&a.score).then(a.answer.cmp(&b.answer));
    if scored.len() > MAX_OFFERED {
        scored.select_nth_unstable_by(MAX_OFFERED - 1, order);
    }
    let top = scored.len().min(MAX_OFFERED);
    scored[..top].sort_by(order);
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: Params = Params {
        lexical_best: 0.5,
        semantic_best: 0.5,
        semantic_share: 0.5,
        answer_at: 0.5,
        clarify_at: 0.3,
        few_phrasings_shift: 0.0,
        margin: 0.1,
        few_phrasings_margin: 0.0,
        fewer_answers_shift: 0.0,
        lexical_override_at: f32::INFINITY,
    };

    fn scored(list: &[(usize, f32)]) -> Vec<Scored> {
        list.iter().map(|&(answer, score)| Scored { answer, score, phrasings: 4 }).collect()
    }

    #[test]
    fn a_clear_winner_is_the_answer() {
        assert_eq!(decide(&[], &scored(&[(4, 0.8), (2, 0.5)]), &P), Meaning::Answer { answer: 4, confidence: 0.8 });
    }

    #[test]
    fn a_close_runner_up_asks_which_one() {
        let close = scored(&[(4, 0.8), (2, 0.75), (7, 0.71), (1, 0.6)]);
        assert_eq!(decide(&[], &close, &P), Meaning::Clarify(vec![4, 2, 7]));
        assert_eq!(decide(&[], &scored(&[(4, 0.8), (2, 0.75), (7, 0.6)]), &P), Meaning::Clarify(vec![4, 2]));
    }

    #[test]
    fn a_middling_score_asks_and_a_low_one_refuses() {
        assert_eq!(decide(&[], &scored(&[(4, 0.4), (2, 0.1)]), &P), Meaning::Clarify(vec![4, 2]));
        assert_eq!(decide(&[], &scored(&[(4, 0.4)]), &P), Meaning::Clarify(vec![4]));
        assert_eq!(decide(&[], &scored(&[(4, 0.2), (2, 0.1)]), &P), Meaning::Refuse);
        assert_eq!(decide(&[], &[], &P), Meaning::Refuse);
    }

    #[test]
    fn an_answer_of_few_phrasings_needs_a_clearer_lead_and_a_lower_score() {
        let p = Params { few_phrasings_shift: 0.1, few_phrasings_margin: 0.2, ..P };
        let one = |score, runner_up| {
            decide(
                &[],
                &[Scored { answer: 1, score, phrasings: 1 }, Scored { answer: 2, score: runner_up, phrasings: 1 }],
                &p,
            )
        };
        let many = |score, runner_up| {
            decide(
                &[],
                &[Scored { answer: 1, score, phrasings: 100 }, Scored { answer: 2, score: runner_up, phrasings: 100 }],
                &p,
            )
        };
        // A lead of 0.2: enough for 100 phrasings (0.1 + 0.02), not for one (0.1 + 0.2).
        assert!(matches!(many(0.7, 0.5), Meaning::Answer { .. }));
        assert!(matches!(one(0.7, 0.5), Meaning::Clarify(_)));
        // A score of 0.45: under the bar for 100 phrasings (0.5 - 0.01), over it for one (0.5 - 0.1).
        assert!(matches!(many(0.45, 0.0), Meaning::Clarify(_)));
        assert!(matches!(one(0.45, 0.0), Meaning::Answer { .. }));
    }

    #[test]
    fn a_smaller_faq_answers_at_a_lower_score() {
        let p = Params { fewer_answers_shift: 0.1, ..P };
        let faq = |answers: usize| -> Vec<Scored> {
            (0..answers).map(|a| Scored { answer: a, score: if a == 0 { 0.45 } else { 0.0 }, phrasings: 1 }).collect()
        };
        assert!(p.answer_threshold(1, 10) < p.answer_threshold(1, 150));
        assert!((p.answer_threshold(1, 150) - P.answer_at).abs() < 1e-6, "the reference size: no shift");
        assert!(p.answer_threshold(1, 1000) > P.answer_at);
        assert!(matches!(decide(&[], &faq(10), &p), Meaning::Answer { answer: 0, .. }));
        assert!(matches!(decide(&[], &faq(150), &p), Meaning::Clarify(_)));
    }

    #[test]
    fn an_exact_phrasing_wins() {
        assert_eq!(decide(&[3], &scored(&[(4, 0.9), (3, 0.2)]), &P), Meaning::Answer { answer: 3, confidence: 1.0 });
        assert_eq!(decide(&[3, 5], &[], &P), Meaning::Clarify(vec![3, 5]));
    }

    #[test]
    fn answers_are_scored_by_all_their_phrasings() {
        let e = |best, centroid| AnswerEvidence {
            answer: 0,
            phrasings: 3,
            lexical: Evidence { best, centroid },
            semantic: Some(Evidence { best: 0.6, centroid: 0.4 }),
        };
        assert!((P.score(&e(1.0, 0.0)) - (0.5 * 0.5 + 0.5 * 0.5)).abs() < 1e-6);
        assert!(P.score(&e(0.8, 0.8)) > P.score(&e(0.9, 0.3)), "consistent beats one lucky phrasing");
        let lexical_only = AnswerEvidence { semantic: None, ..e(0.8, 0.4) };
        assert!((P.score(&lexical_only) - 0.6).abs() < 1e-6);
    }

    #[test]
    fn ranking_is_deterministic() {
        let mut s = scored(&[(3, 0.5), (1, 0.5), (2, 0.9)]);
        rank(&mut s);
        assert_eq!(s.iter().map(|s| s.answer).collect::<Vec<_>>(), [2, 1, 3]);
        let mut many = scored(&[(0, 0.1), (1, 0.7), (2, 0.3), (3, 0.9), (4, 0.7), (5, 0.2)]);
        rank(&mut many);
        assert_eq!(many[..3].iter().map(|s| s.answer).collect::<Vec<_>>(), [3, 1, 4], "the best three, in order");
        assert_eq!(many.len(), 6);
    }
}
