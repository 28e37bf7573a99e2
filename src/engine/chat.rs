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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcript {
    pub messages: Vec<Message>,
    next_id: u64,
}

impl Transcript {
    /// Appends a message and returns its id.
    pub fn push(&mut self, role: Role, text: impl Into<String>, status: Status) -> u64 {
        // A transcript restored from older data may hold ids above the counter.
        let floor = self.messages.iter().map(|m| m.id + 1).max().unwrap_or(0);
        let id = self.next_id.max(floor);
        self.next_id = id + 1;
        self.messages.push(Message { id, role, text: text.into(), status, suggestions: Vec::new() });
        id
    }

    /// The message with this id, if it is still there.
    pub fn get_mut(&mut self, id: u64) -> Option<&mut Message> {
        self.messages.iter_mut().find(|m| m.id == id)
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    pub fn len(&self) -> usize {
        self.messages.len()
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
    fn roles_serialise_as_streamlit_names() {
        assert_eq!(serde_json::to_string(&Role::Assistant).ok().as_deref(), Some("\"assistant\""));
        assert_eq!(Role::User.as_str(), "user");
    }
}
