//! The FAQ bot (Topic 10.4): answers from a knowledge base, in the seed's words.
//!
//! ```
//! use std::sync::Arc;
//! use chatdeck::engine::bots::faq::{reply, Faq, SEED_TOPICS};
//! use chatdeck::engine::faq::KnowledgeBase;
//! use chatdeck::engine::understand::Query;
//! let kb = KnowledgeBase::from_csv(b"Question,Answer\nWhat is your return policy?,30 days.\n", &SEED_TOPICS).unwrap();
//! let faq = Faq::Ready(Arc::new(kb));
//! assert_eq!(reply(&faq, &Query::text("what's your returns policy")).texts(),
//!     ["**Answer:** 30 days.\n\n*This answer is for: What is your return policy?*"]);
//! ```

use std::sync::Arc;

use crate::engine::faq::{AnswerFormat, Entry, KnowledgeBase, Lookup};
use crate::engine::markdown::escape;
use crate::engine::reply::{Reply, ReplyMessage};
use crate::engine::understand::Query;

/// The seed's fallback topics, used for a knowledge base without categories.
pub const SEED_TOPICS: [&str; 5] = ["Order Tracking", "Returns", "Shipping", "Payment", "Account"];

/// Where the knowledge base stands: the shell loads it, the bot reads it.
#[derive(Debug, Clone, Default)]
pub enum Faq {
    #[default]
    Loading,
    Ready(Arc<KnowledgeBase>),
    Failed(String),
}

/// The answer to one question (semantic when the query carries its vector and the
/// knowledge base has its questions' vectors).
pub fn reply(faq: &Faq, query: &Query) -> Reply {
    let kb = match faq {
        Faq::Ready(kb) => kb,
        Faq::Loading => return Reply::text("The knowledge base is still loading. Please ask again in a moment."),
        Faq::Failed(why) => {
            return Reply::text(format!("Sorry, I can't answer questions right now: {why}."));
        }
    };
    let asked = query.text.trim();
    let message = match kb.lookup_query(&Query { text: asked, vector: query.vector }).0 {
        Lookup::Found(entry) => {
            let mut text = format!("**Answer:** {}", answer_markdown(entry));
            if entry.question.to_lowercase() != asked.to_lowercase() {
                text.push_str(&format!("\n\n*This answer is for: {}*", escape(&entry.question)));
            }
            ReplyMessage::instant(text)
        }
        Lookup::DidYouMean(entries) => {
            let questions: Vec<String> = entries.iter().map(|e| e.question.clone()).collect();
            let intro = if questions.len() == 1 {
                "I'm not sure I have an answer to that."
            } else {
                "I have a few answers that could fit."
            };
            let list: Vec<String> = questions.iter().map(|q| format!("• {}", escape(q))).collect();
            ReplyMessage::instant(format!("{intro} Did you mean:\n{}", list.join("\n"))).with_suggestions(questions)
        }
        Lookup::NotFound => {
            let topics = kb.topics();
            let list: Vec<String> = topics.iter().map(|t| format!("• {}", escape(t))).collect();
            ReplyMessage::instant(format!("I don't have a specific answer. Try these topics:\n{}", list.join("\n")))
                .with_suggestions(topics.to_vec())
        }
    };
    Reply { messages: vec![message] }
}

/// An answer as the Markdown the log renders: a plain-text answer escaped so that it
/// shows exactly as written, a Markdown one as it is.
fn answer_markdown(entry: &Entry) -> std::borrow::Cow<'_, str> {
    match entry.format {
        AnswerFormat::Text => escape(&entry.answer).into(),
        AnswerFormat::Markdown => entry.answer.as_str().into(),
    }
}

/// Questions to offer while the user types.
pub fn suggestions(faq: &Faq, partial: &str, limit: usize) -> Vec<String> {
    match faq {
        Faq::Ready(kb) => kb.suggest(partial, limit).into_iter().map(|e| e.question.clone()).collect(),
        Faq::Loading | Faq::Failed(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(faq: &Faq, text: &str) -> Reply {
        super::reply(faq, &Query::text(text))
    }

    fn demo() -> Faq {
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/public/faq_data.csv")).unwrap_or_default();
        Faq::Ready(Arc::new(KnowledgeBase::from_csv(&bytes, &SEED_TOPICS).unwrap_or_else(|e| panic!("{e}"))))
    }

    #[test]
    fn seed_formats() {
        let faq = demo();
        assert_eq!(
            reply(&faq, "what is your return policy?").texts(),
            ["**Answer:** We accept returns within 30 days of purchase. Items must be in original condition with tags attached."]
        );
        let fallback = reply(&faq, "what's the weather today");
        assert_eq!(
            fallback.texts(),
            ["I don't have a specific answer. Try these topics:\n• Order Tracking\n• Returns\n• Shipping\n• Payment\n• Account"]
        );
        assert_eq!(fallback.messages[0].suggestions, SEED_TOPICS);
    }

    #[test]
    fn topics_offered_by_the_fallback_lead_somewhere() {
        let faq = demo();
        for topic in SEED_TOPICS {
            let text = reply(&faq, topic).texts().remove(0);
            assert!(text.starts_with("**Answer:**") || text.contains("Did you mean"), "{topic}: {text}");
        }
    }

    #[test]
    fn did_you_mean_offers_the_close_answers() {
        let kb = KnowledgeBase::from_csv(
            b"Question,Answer\nHow do I reset my password?,Use the link on the sign-in page.\nHow do I change my password?,In your settings.\nWhere is my order?,Track it.\n",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let reply = reply(&Faq::Ready(Arc::new(kb)), "password");
        assert_eq!(
            reply.texts(),
            ["I have a few answers that could fit. Did you mean:\n• How do I reset my password?\n• How do I change my password?"]
        );
        assert_eq!(reply.messages[0].suggestions, ["How do I reset my password?", "How do I change my password?"]);
    }

    #[test]
    fn phrasings_of_one_answer_are_one_answer() {
        let kb = KnowledgeBase::from_csv(
            b"Question,Answer\nHow do I track my order?,Use the tracking link.\nWhere is my parcel?,Use the tracking link.\nHow do I cancel my order?,Within two hours.\n",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let faq = Faq::Ready(Arc::new(kb));
        assert_eq!(
            reply(&faq, "where is my parcel now").texts(),
            ["**Answer:** Use the tracking link.\n\n*This answer is for: How do I track my order?*"]
        );
        // Asked with the second phrasing itself: still named by the question it is filed under.
        assert_eq!(
            reply(&faq, "Where is my parcel?").texts(),
            ["**Answer:** Use the tracking link.\n\n*This answer is for: How do I track my order?*"]
        );
        assert_eq!(suggestions(&faq, "where is my parc", 3), ["How do I track my order?"]);
    }

    #[test]
    fn answers_are_plain_text_unless_the_file_says_markdown() {
        let csv = "Question,Answer,Format\n\
            What sizes are there?,\"- S\n- M *slim*\n- L\",\n\
            What does *bold* mean?,\"**Bold** is bold.\",markdown\n";
        let faq = Faq::Ready(Arc::new(KnowledgeBase::from_csv(csv.as_bytes(), &[]).unwrap_or_else(|e| panic!("{e}"))));
        let plain = reply(&faq, "What sizes are there?").texts().remove(0);
        assert_eq!(crate::engine::markdown::plain_text(&plain), "Answer: - S\n- M *slim*\n- L");
        let marked = reply(&faq, "What does *bold* mean?").texts().remove(0);
        assert_eq!(crate::engine::markdown::plain_text(&marked), "Answer: Bold is bold.");
        assert!(marked.contains("**Bold**"));
        // A question's own asterisks stay characters in "this answer is for".
        let note = reply(&faq, "what does bold mean").texts().remove(0);
        assert!(
            crate::engine::markdown::plain_text(&note).ends_with("This answer is for: What does *bold* mean?"),
            "{note}"
        );
    }

    #[test]
    fn an_unknown_format_is_named_with_its_line() {
        let err = KnowledgeBase::from_csv(b"Question,Answer,Format\nA?,B,html\n", &[]).map(|_| ()).unwrap_err();
        assert_eq!(err.to_string(), "line 2 has Format \"html\"; use text or markdown (or leave it empty)");
    }

    #[test]
    fn suggestions_while_typing() {
        let faq = demo();
        assert_eq!(suggestions(&faq, "how do i can", 3).first().map(String::as_str), Some("How do I cancel my order?"));
        assert_eq!(
            suggestions(&faq, "pay", 3).first().map(String::as_str),
            Some("What payment methods do you accept?")
        );
        assert!(suggestions(&faq, "h", 3).is_empty());
        assert!(suggestions(&Faq::Loading, "refund", 3).is_empty());
    }

    #[test]
    fn unavailable_knowledge_base() {
        assert!(reply(&Faq::Loading, "x").texts()[0].contains("still loading"));
        assert!(reply(&Faq::Failed("HTTP 404".into()), "x").texts()[0].contains("HTTP 404"));
    }
}
