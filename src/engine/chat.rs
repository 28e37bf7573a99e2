//! The conversation as data: who said what, and whether it is complete.

use serde::{Deserialize, Serialize};

/// Who wrote a message; mirrors Streamlit's `st.chat_message` roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Assistant,
}

impl Status {
    /// The value of the `data-status` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::Streaming => "streaming",
            Status::Stopped => "stopped",
        }
    }
}

impl Role {
    /// The value of the `data-role` attribute and of the transcript's role field.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }
}

/// Where an assistant message is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Complete.
    #[default]
    Done,
    /// Segments are still arriving.
    Streaming,
    /// The reader stopped it; what arrived stays.
    Stopped,
}

/// What the reader thought of an answer ("Helpful" / "Not helpful" under an FAQ answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feedback {
    Helpful,
    NotHelpful,
}

impl Feedback {
    /// The value in exports and in what is shared with the site owner.
    pub fn as_str(self) -> &'static str {
        match self {
            Feedback::Helpful => "helpful",
            Feedback::NotHelpful => "not_helpful",
        }
    }
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Unique within a conversation, stable across reloads (keys the rendered list).
    pub id: u64,
    pub role: Role,
    pub text: String,
    #[serde(default)]
    pub status: Status,
    /// One-click follow-ups offered with an assistant message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
}

/// The messages of one bot's conversation, with the id counter that keeps ids unique.
///
/// Ids increase along `messages` (every way of building a transcript here keeps it
/// so): the view keys its rows by id, and a message is found by binary search, so
/// neither costs more in a conversation of thousands of messages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StoredTranscript")]
pub struct Transcript {
    pub messages: Vec<Message>,
    next_id: u64,
    /// The reader's ratings, by message id. Beside the messages rather than in them: a
    /// rating is the reader's note, not part of what the bot said, and rating an old
    /// answer then changes the conversation's small saved head, not the stored chunk
    /// holding that message (see `engine::saved`). Absent in data saved before ratings.
    /// Pairs sorted by id rather than a map: a few ratings, and a map's code costs wasm.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    feedback: Vec<(u64, Feedback)>,
}

/// A transcript as stored, before its ids are checked.
#[derive(Deserialize)]
struct StoredTranscript {
    messages: Vec<Message>,
    #[serde(default)]
    next_id: u64,
    #[serde(default)]
    feedback: Vec<(u64, Feedback)>,
}

impl From<StoredTranscript> for Transcript {
    fn from(stored: StoredTranscript) -> Self {
        let mut transcript = Transcript::from_messages(stored.messages);
        transcript.next_id = transcript.next_id.max(stored.next_id);
        transcript.replace_feedback(stored.feedback);
        transcript
    }
}

impl Transcript {
    /// A transcript of these messages. Ids that do not increase (data edited by hand,
    /// or written by a version that did not keep them so) are renumbered in order.
    pub fn from_messages(mut messages: Vec<Message>) -> Self {
        if !messages.windows(2).all(|pair| pair[0].id < pair[1].id) {
            for (id, m) in (0..).zip(messages.iter_mut()) {
                m.id = id;
            }
        }
        let next_id = messages.last().map_or(0, |m| m.id + 1);
        Self { messages, next_id, feedback: Vec::new() }
    }

    /// Appends a message and returns its id.
    pub fn push(&mut self, role: Role, text: impl Into<String>, status: Status) -> u64 {
        // `messages` is public: one set directly may end above the counter.
        let floor = self.messages.last().map_or(0, |m| m.id + 1);
        let id = self.next_id.max(floor);
        self.next_id = id + 1;
        self.messages.push(Message { id, role, text: text.into(), status, suggestions: Vec::new() });
        id
    }

    /// Where the message with this id is, if it is still there.
    fn position(&self, id: u64) -> Option<usize> {
        match self.messages.binary_search_by_key(&id, |m| m.id) {
            Ok(i) => Some(i),
            // Only a transcript whose ids were set out of order by hand gets here.
            Err(_) => self.messages.iter().position(|m| m.id == id),
        }
    }

    /// The message with this id, if it is still there.
    pub fn get(&self, id: u64) -> Option<&Message> {
        self.position(id).map(|i| &self.messages[i])
    }

    /// The message with this id, if it is still there.
    pub fn get_mut(&mut self, id: u64) -> Option<&mut Message> {
        self.position(id).map(|i| &mut self.messages[i])
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    pub fn len(&self) -> usize {
        self.messages.len()
    }

    /// The reader's rating of the message with this id.
    pub fn feedback(&self, id: u64) -> Option<Feedback> {
        self.feedback.binary_search_by_key(&id, |r| r.0).ok().map(|i| self.feedback[i].1)
    }

    /// Rates the message with this id (`None` clears the rating). Returns false, and
    /// changes nothing, when there is no such message.
    pub fn set_feedback(&mut self, id: u64, feedback: Option<Feedback>) -> bool {
        if self.position(id).is_none() {
            return false;
        }
        match (self.feedback.binary_search_by_key(&id, |r| r.0), feedback) {
            (Ok(i), Some(f)) => self.feedback[i].1 = f,
            (Ok(i), None) => {
                self.feedback.remove(i);
            }
            (Err(i), Some(f)) => self.feedback.insert(i, (id, f)),
            (Err(_), None) => {}
        }
        true
    }

    /// Every rating, as (message id, rating) in id order.
    pub fn all_feedback(&self) -> &[(u64, Feedback)] {
        &self.feedback
    }

    /// Replaces the ratings (as read from storage); ratings of messages that are not
    /// here are dropped, and of an id given twice the last counts.
    pub fn replace_feedback(&mut self, feedback: Vec<(u64, Feedback)>) {
        self.feedback.clear();
        for (id, f) in feedback {
            self.set_feedback(id, Some(f));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_stay_unique_after_restoring_old_data() {
        let mut t: Transcript =
            serde_json::from_str(r#"{"messages":[{"id":7,"role":"user","text":"hi"}],"next_id":0}"#)
                .expect("valid transcript");
        assert_eq!(t.messages[0].status, Status::Done);
        assert_eq!(t.push(Role::Assistant, "hello", Status::Done), 8);
        assert_eq!(t.push(Role::User, "again", Status::Done), 9);
    }

    #[test]
    fn ids_that_do_not_increase_are_renumbered_on_restore() {
        let t: Transcript = serde_json::from_str(
            r#"{"messages":[{"id":3,"role":"user","text":"a"},{"id":3,"role":"assistant","text":"b"},
                {"id":1,"role":"user","text":"c"}]}"#,
        )
        .expect("valid transcript");
        let ids: Vec<u64> = t.messages.iter().map(|m| m.id).collect();
        assert_eq!(ids, [0, 1, 2]);
        assert_eq!(t.get(1).map(|m| m.text.as_str()), Some("b"));
        let mut t = t;
        assert_eq!(t.push(Role::User, "d", Status::Done), 3);
    }

    #[test]
    fn messages_are_found_by_id_in_a_long_conversation() {
        let mut t = Transcript::default();
        for i in 0..1000 {
            t.push(if i % 2 == 0 { Role::User } else { Role::Assistant }, format!("m{i}"), Status::Done);
        }
        t.messages.remove(500);
        assert_eq!(t.get(0).map(|m| m.text.as_str()), Some("m0"));
        assert_eq!(t.get(999).map(|m| m.text.as_str()), Some("m999"));
        assert!(t.get(500).is_none(), "a removed message is not found");
        assert!(t.get(1000).is_none());
        if let Some(m) = t.get_mut(501) {
            m.text.push_str(" more");
        }
        assert_eq!(t.messages[500].text, "m501 more");
    }

    #[test]
    fn a_transcript_built_from_messages_continues_their_ids() {
        let mut t = Transcript::from_messages(vec![Message {
            id: 41,
            role: Role::User,
            text: "hi".into(),
            status: Status::Done,
            suggestions: Vec::new(),
        }]);
        assert_eq!(t.push(Role::Assistant, "hello", Status::Done), 42);
        let mut direct = Transcript { messages: t.messages.clone(), ..Default::default() };
        assert_eq!(direct.push(Role::User, "again", Status::Done), 43, "messages set directly are respected");
    }

    #[test]
    fn feedback_is_kept_by_id_and_old_data_without_it_loads() {
        let old: Transcript = serde_json::from_str(
            r#"{"messages":[{"id":0,"role":"user","text":"q"},{"id":1,"role":"assistant","text":"a"}],"next_id":2}"#,
        )
        .expect("data saved before ratings");
        assert_eq!(old.feedback(1), None);
        let mut t = old;
        assert!(t.set_feedback(1, Some(Feedback::NotHelpful)));
        assert!(!t.set_feedback(9, Some(Feedback::Helpful)), "no such message");
        let json = serde_json::to_string(&t).unwrap_or_default();
        assert!(json.contains(r#""feedback":[[1,"not_helpful"]]"#), "{json}");
        let back: Transcript = serde_json::from_str(&json).expect("round trip");
        assert_eq!(back, t);
        t.set_feedback(1, None);
        assert!(!serde_json::to_string(&t).unwrap_or_default().contains("feedback"), "nothing written without ratings");
        // Hand-edited data: a rating of no message is dropped, of one id twice the last counts.
        let edited: Transcript = serde_json::from_str(
            r#"{"messages":[{"id":0,"role":"assistant","text":"a"}],"feedback":[[5,"helpful"],[0,"helpful"],[0,"not_helpful"]]}"#,
        )
        .expect("readable");
        assert_eq!(edited.all_feedback(), [(0, Feedback::NotHelpful)]);
    }

    #[test]
    fn roles_serialise_as_streamlit_names() {
        assert_eq!(serde_json::to_string(&Role::Assistant).ok().as_deref(), Some("\"assistant\""));
        assert_eq!(Role::User.as_str(), "user");
    }
}
