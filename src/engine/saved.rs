//! The saved form of a conversation: versioned JSON, decoded defensively.
//!
//! Storage belongs to the shell; this module only decides what the bytes mean, so
//! that corrupt or foreign data is recognised here and tested natively.

use serde::{Deserialize, Serialize};

use crate::engine::chat::{Status, Transcript};

/// Bumped when the saved shape changes incompatibly.
pub const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Saved<T> {
    version: u32,
    transcript: Transcript,
    /// Missing in data saved by a bot without dialog state (serde reads it as None).
    state: Option<T>,
}

/// Why saved data could not be used; the shell keeps such data aside and tells the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SavedError {
    /// Not JSON of the expected shape.
    Corrupt(String),
    /// Written by another version of chatdeck.
    Version(u32),
}

impl std::fmt::Display for SavedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SavedError::Corrupt(why) => write!(f, "the saved conversation is unreadable ({why})"),
            SavedError::Version(v) => {
                write!(f, "the saved conversation is from another version of chatdeck (format {v})")
            }
        }
    }
}

/// Encodes a conversation and its bot's dialog state.
pub fn encode<T: Serialize>(transcript: &Transcript, state: Option<&T>) -> String {
    #[derive(Serialize)]
    struct SavedRef<'a, T> {
        version: u32,
        transcript: &'a Transcript,
        state: Option<&'a T>,
    }
    // Serialising plain data with string keys cannot fail.
    serde_json::to_string(&SavedRef { version: VERSION, transcript, state }).unwrap_or_default()
}

/// Decodes what [`encode`] wrote. A message that was still streaming when the page
/// went away is marked stopped: its timers are gone, what had arrived stays.
pub fn decode<T: for<'de> Deserialize<'de>>(text: &str) -> Result<(Transcript, Option<T>), SavedError> {
    #[derive(Deserialize)]
    struct Header {
        version: u32,
    }
    let header: Header = serde_json::from_str(text).map_err(|e| SavedError::Corrupt(e.to_string()))?;
    if header.version != VERSION {
        return Err(SavedError::Version(header.version));
    }
    let saved: Saved<T> = serde_json::from_str(text).map_err(|e| SavedError::Corrupt(e.to_string()))?;
    let mut transcript = saved.transcript;
    for m in &mut transcript.messages {
        if m.status == Status::Streaming {
            m.status = Status::Stopped;
        }
    }
    Ok((transcript, saved.state))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::chat::Role;

    #[test]
    fn round_trip_and_streaming_becomes_stopped() {
        let mut t = Transcript::default();
        t.push(Role::User, "tell me a story", Status::Done);
        t.push(Role::Assistant, "Once upon", Status::Streaming);
        let text = encode(&t, Some(&42u8));
        let (back, state) = decode::<u8>(&text).expect("decodes");
        assert_eq!(state, Some(42));
        assert_eq!(back.messages[0], t.messages[0]);
        assert_eq!(back.messages[1].status, Status::Stopped);
    }

    #[test]
    fn corrupt_and_foreign_data_are_told_apart() {
        assert!(matches!(decode::<()>("{not json"), Err(SavedError::Corrupt(_))));
        assert!(matches!(decode::<()>(r#"{"version":1,"transcript":5}"#), Err(SavedError::Corrupt(_))));
        assert_eq!(decode::<()>(r#"{"version":99,"transcript":{}}"#).err(), Some(SavedError::Version(99)));
    }
}
