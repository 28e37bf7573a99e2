//! Playing a [`Reply`] over time, as a pure state machine driven by a clock the
//! caller owns: the browser advances it from timer ticks, tests advance it by hand.
//!
//! A reply becomes a list of steps: open a message, append text, wait, close it.
//! With `word_by_word`, a segment's text is appended a word at a time; the pauses
//! between segments are shortened by the time the words took, so a story keeps the
//! seed's pacing (3 s from one segment to the next) whatever the reveal effect.
//!
//! ```
//! use chatdeck::engine::playback::{Event, Playhead, Speed};
//! use chatdeck::engine::reply::{Reply, ReplyMessage, Segment};
//! let reply = Reply { messages: vec![ReplyMessage { segments: vec![
//!     Segment { delay_ms: 0, text: "One. ".into() },
//!     Segment { delay_ms: 3000, text: "Two.".into() },
//! ], suggestions: vec![] }] };
//! let mut head = Playhead::new(&reply, false);
//! assert_eq!(head.advance(0.0, Speed::Normal), [Event::Open, Event::Append("One. ".into())]);
//! assert!(head.advance(2999.0, Speed::Normal).is_empty());
//! assert_eq!(head.advance(1.0, Speed::Normal), [Event::Append("Two.".into()), Event::Close]);
//! assert!(head.is_done());
//! ```

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::engine::reply::Reply;

/// Time between two words when text appears word by word, at normal speed.
pub const WORD_MS: u32 = 45;

/// How fast timed replies play; chosen by the reader and remembered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Speed {
    /// The seed's pacing.
    #[default]
    Normal,
    /// Twice as fast.
    Double,
    /// No waiting at all.
    Instant,
}

impl Speed {
    pub const ALL: [Speed; 3] = [Speed::Normal, Speed::Double, Speed::Instant];

    /// How many milliseconds of the reply pass per millisecond of real time.
    fn factor(self) -> f64 {
        match self {
            Speed::Normal => 1.0,
            Speed::Double => 2.0,
            Speed::Instant => f64::INFINITY,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Speed::Normal => "1×",
            Speed::Double => "2×",
            Speed::Instant => "Instant",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Speed::Normal => "normal",
            Speed::Double => "double",
            Speed::Instant => "instant",
        }
    }

    pub fn parse(s: &str) -> Option<Speed> {
        Speed::ALL.into_iter().find(|speed| speed.as_str() == s)
    }
}

/// What the player must do to the transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Start a new assistant message, still being written.
    Open,
    /// Add text to the open message.
    Append(String),
    /// Offer these follow-ups with the open message.
    Suggest(Vec<String>),
    /// The open message is complete.
    Close,
}

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Emit(Event),
    Wait(f64),
}

/// Where a reply's playback stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Playhead {
    steps: VecDeque<Step>,
    /// True between an `Open` and its `Close` that were handed out.
    open: bool,
}

/// Splits text into pieces that each end after a run of white space, so that the
/// pieces concatenate back to the text exactly.
fn words(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut in_space = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            in_space = true;
        } else if in_space {
            pieces.push(&text[start..i]);
            start = i;
            in_space = false;
        }
    }
    if start < text.len() {
        pieces.push(&text[start..]);
    }
    pieces
}

impl Playhead {
    /// Plans the playback of `reply`.
    pub fn new(reply: &Reply, word_by_word: bool) -> Self {
        let mut steps = VecDeque::new();
        for message in &reply.messages {
            steps.push_back(Step::Emit(Event::Open));
            let mut reveal_ms = 0.0; // time the previous segment's words took
            for segment in &message.segments {
                let wait = (f64::from(segment.delay_ms) - reveal_ms).max(0.0);
                if wait > 0.0 {
                    steps.push_back(Step::Wait(wait));
                }
                reveal_ms = 0.0;
                let pieces = if word_by_word && !message.segments.iter().all(|s| s.delay_ms == 0) {
                    words(&segment.text)
                } else {
                    vec![segment.text.as_str()]
                };
                for (i, piece) in pieces.into_iter().enumerate() {
                    if i > 0 {
                        steps.push_back(Step::Wait(f64::from(WORD_MS)));
                        reveal_ms += f64::from(WORD_MS);
                    }
                    steps.push_back(Step::Emit(Event::Append(piece.to_string())));
                }
            }
            if !message.suggestions.is_empty() {
                steps.push_back(Step::Emit(Event::Suggest(message.suggestions.clone())));
            }
            steps.push_back(Step::Emit(Event::Close));
        }
        Self { steps, open: false }
    }

    /// Lets `elapsed_ms` of real time pass at `speed`; returns the events now due.
    pub fn advance(&mut self, elapsed_ms: f64, speed: Speed) -> Vec<Event> {
        // 0 × ∞ is NaN: instant playback needs no elapsed time at all.
        let mut budget = if speed == Speed::Instant { f64::INFINITY } else { elapsed_ms.max(0.0) * speed.factor() };
        let mut events = Vec::new();
        while let Some(step) = self.steps.front_mut() {
            match step {
                Step::Wait(left) => {
                    if budget >= *left {
                        budget -= *left;
                        self.steps.pop_front();
                    } else {
                        *left -= budget;
                        break;
                    }
                }
                Step::Emit(_) => {
                    if let Some(Step::Emit(event)) = self.steps.pop_front() {
                        self.track(&event);
                        events.push(event);
                    }
                }
            }
        }
        events
    }

    /// Everything that is left, at once (the reader's "Skip").
    pub fn skip(&mut self) -> Vec<Event> {
        self.advance(0.0, Speed::Instant)
    }

    /// Drops what is left (the reader's "Stop"). True when a message was open, which
    /// the caller then marks as stopped.
    pub fn stop(&mut self) -> bool {
        self.steps.clear();
        std::mem::take(&mut self.open)
    }

    pub fn is_done(&self) -> bool {
        self.steps.is_empty()
    }

    fn track(&mut self, event: &Event) {
        match event {
            Event::Open => self.open = true,
            Event::Close => self.open = false,
            Event::Append(_) | Event::Suggest(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::reply::{ReplyMessage, Segment};

    fn story() -> Reply {
        Reply {
            messages: vec![
                ReplyMessage::instant("Let me tell you a story..."),
                ReplyMessage {
                    segments: vec![
                        Segment { delay_ms: 0, text: "Once upon a time.\n\n".into() },
                        Segment { delay_ms: 3000, text: "The end.\n\n".into() },
                    ],
                    suggestions: Vec::new(),
                },
            ],
        }
    }

    fn appended(events: &[Event]) -> String {
        events.iter().filter_map(|e| if let Event::Append(t) = e { Some(t.as_str()) } else { None }).collect()
    }

    #[test]
    fn instant_messages_come_at_once_then_segments_keep_the_seed_pacing() {
        let mut head = Playhead::new(&story(), true);
        let first = head.advance(0.0, Speed::Normal);
        assert_eq!(first[..3], [Event::Open, Event::Append("Let me tell you a story...".into()), Event::Close]);
        assert_eq!(first[3..], [Event::Open, Event::Append("Once ".into())]);
        // The first segment's four words take 3 × 45 ms; the next segment starts at 3000 ms.
        let words = head.advance(3.0 * 45.0, Speed::Normal);
        assert_eq!(appended(&words), "upon a time.\n\n");
        assert!(head.advance(3000.0 - 135.0 - 1.0, Speed::Normal).is_empty());
        assert_eq!(head.advance(1.0, Speed::Normal), [Event::Append("The ".into())]);
        assert_eq!(head.advance(45.0, Speed::Normal), [Event::Append("end.\n\n".into()), Event::Close]);
        assert!(head.is_done());
    }

    #[test]
    fn speed_changes_apply_from_the_next_tick() {
        let mut head = Playhead::new(&story(), false);
        head.advance(0.0, Speed::Normal);
        assert!(head.advance(1000.0, Speed::Normal).is_empty());
        assert!(head.advance(999.0, Speed::Double).is_empty());
        assert_eq!(head.advance(1.0, Speed::Double).len(), 2, "1000 + 2 × 1000 ms of story time");
        let mut head = Playhead::new(&story(), true);
        assert_eq!(
            appended(&head.advance(0.0, Speed::Instant)),
            "Let me tell you a story...Once upon a time.\n\nThe end.\n\n"
        );
    }

    #[test]
    fn skip_and_stop() {
        let mut head = Playhead::new(&story(), true);
        head.advance(0.0, Speed::Normal);
        let rest = head.skip();
        assert_eq!(appended(&rest), "upon a time.\n\nThe end.\n\n");
        assert_eq!(rest.last(), Some(&Event::Close));
        let mut head = Playhead::new(&story(), true);
        head.advance(0.0, Speed::Normal);
        assert!(head.stop(), "the story message was open");
        assert!(head.is_done());
        assert!(!head.stop());
    }

    #[test]
    fn word_pieces_concatenate_back() {
        for text in ["", "a", "  lead", "two  spaces\n\nand\tmore ", "émoji 😀 ok"] {
            assert_eq!(words(text).concat(), text);
        }
    }
}
