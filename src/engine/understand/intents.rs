//! A bot's intents as candidates: a small table of natural phrasings per intent,
//! asked the same one question as the FAQ ("what does this text mean, against these
//! candidates?"). The Customer Service and Support bots ask it only where the seed's
//! own rules find nothing, so wherever the seed answers, its answer stands.
//!
//! ```
//! use chatdeck::engine::understand::{intents::Intents, Query};
//! #[derive(Debug, Clone, Copy, PartialEq)]
//! enum Ask { Track, Cancel }
//! static TABLE: [(Ask, &[&str]); 2] = [
//!     (Ask::Track, &["where is my package", "has my order shipped yet"]),
//!     (Ask::Cancel, &["I don't want this order anymore", "call off my order"]),
//! ];
//! let intents = Intents::new(&TABLE);
//! assert_eq!(intents.meaning(&Query::text("where's my package")).answer(), Some(Ask::Track));
//! assert_eq!(intents.meaning(&Query::text("what's the weather like")).answer(), None);
//! ```

use super::{understand, Candidates, Meaning, Query, Tier};

/// Phrasings by intent: the table a bot writes once, as a static.
pub type Table<T> = [(T, &'static [&'static str])];

/// What a text means among a bot's intents.
#[derive(Debug, Clone, PartialEq)]
pub enum IntentMeaning<T> {
    /// Clearly this one.
    Is(T, Tier),
    /// One of these, best first: worth asking which.
    OneOf(Vec<T>, Tier),
    /// None of them.
    Unknown,
}

impl<T: Copy> IntentMeaning<T> {
    /// The intent, when it is clear.
    pub fn answer(&self) -> Option<T> {
        match self {
            IntentMeaning::Is(intent, _) => Some(*intent),
            _ => None,
        }
    }
}

/// A table of intents with its candidates (and their embeddings once attached).
#[derive(Debug, Clone)]
pub struct Intents<T: 'static> {
    table: &'static Table<T>,
    candidates: Candidates,
}

impl<T: Copy + 'static> Intents<T> {
    pub fn new(table: &'static Table<T>) -> Self {
        let phrasings = table
            .iter()
            .enumerate()
            .flat_map(|(key, (_, phrasings))| phrasings.iter().map(move |p| (p.to_string(), key)))
            .collect();
        Intents { table, candidates: Candidates::new(phrasings) }
    }

    /// What `query` means among the intents.
    pub fn meaning(&self, query: &Query) -> IntentMeaning<T> {
        let understood = understand(query, &self.candidates);
        let intent = |key: usize| self.table[key].0;
        match understood.meaning {
            Meaning::Answer { answer, .. } => IntentMeaning::Is(intent(answer), understood.tier),
            Meaning::Clarify(keys) => IntentMeaning::OneOf(keys.into_iter().map(intent).collect(), understood.tier),
            Meaning::Refuse => IntentMeaning::Unknown,
        }
    }

    /// The phrasings, to embed; their vectors go to [`Intents::candidates_mut`].
    pub fn candidates(&self) -> &Candidates {
        &self.candidates
    }

    pub fn candidates_mut(&mut self) -> &mut Candidates {
        &mut self.candidates
    }
}
