//! What a bot answers: one or more assistant messages, each played as a list of
//! timed segments. A reply is plain data; the UI's player turns the delays into
//! timers, tests read the text directly.

use serde::{Deserialize, Serialize};

/// A piece of an assistant message that appears `delay_ms` after the previous one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub delay_ms: u32,
    pub text: String,
}

/// One assistant message, shown progressively segment by segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyMessage {
    pub segments: Vec<Segment>,
    /// Follow-up messages offered as one-click choices ("Did you mean …?").
    #[serde(default)]
    pub suggestions: Vec<String>,
}

impl ReplyMessage {
    /// A message that appears at once.
    pub fn instant(text: impl Into<String>) -> Self {
        Self { segments: vec![Segment { delay_ms: 0, text: text.into() }], suggestions: Vec::new() }
    }

    /// The same message offering `suggestions`.
    pub fn with_suggestions(mut self, suggestions: Vec<String>) -> Self {
        self.suggestions = suggestions;
        self
    }

    /// The message as it reads once every segment has arrived.
    pub fn full_text(&self) -> String {
        self.segments.iter().map(|s| s.text.as_str()).collect()
    }

    /// True when the whole message is shown without waiting.
    pub fn is_instant(&self) -> bool {
        self.segments.iter().all(|s| s.delay_ms == 0)
    }
}

/// Everything a bot says in answer to one user message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub messages: Vec<ReplyMessage>,
}

impl Reply {
    /// The common case: one message, shown at once.
    pub fn text(text: impl Into<String>) -> Self {
        Self { messages: vec![ReplyMessage::instant(text)] }
    }

    /// The full text of each message, in order (what a transcript will hold).
    pub fn texts(&self) -> Vec<String> {
        self.messages.iter().map(ReplyMessage::full_text).collect()
    }
}
