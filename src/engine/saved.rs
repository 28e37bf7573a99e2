//! The saved form of a conversation, and how tabs that share one storage keep it
//! consistent.
//!
//! Storage belongs to the shell (it implements [`KeyValue`]); this module decides
//! what the bytes mean and what to write, so that corrupt or foreign data and two
//! tabs writing at once are handled here and tested natively.
//!
//! A conversation is kept as a small *head* (revision, dialog state, length) and its
//! messages in chunks of [`CHUNK_LEN`]. Messages are only ever appended, and only the
//! last one changes while it streams, so a save rewrites the last chunk or two and
//! the head: its cost does not grow with the conversation, and another tab that sees
//! the head change reads only the chunks it does not have.
//!
//! Every save bumps the revision; a clear also starts a new *epoch*. A tab writes on
//! top of what is stored, never over it: when another tab wrote since this one last
//! synced, this tab's new messages are appended to what is stored (after a clear
//! there, to the empty conversation), so a clear wins and nothing newer is lost.

use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::engine::chat::{Feedback, Message, Status, Transcript};

/// Version of the single-document format ([`encode`], [`decode`]): what chatdeck
/// saved before conversations were chunked, still read to migrate it.
pub const VERSION: u32 = 1;

/// Version of the chunked layout (part of every key, so a future layout starts fresh).
pub const STORE_VERSION: u32 = 2;

/// Messages per chunk: small enough that rewriting one is cheap, large enough that
/// a long conversation is few keys.
pub const CHUNK_LEN: usize = 100;

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

/// Encodes a conversation and its bot's dialog state as one document.
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
pub fn decode<T: DeserializeOwned>(text: &str) -> Result<(Transcript, Option<T>), SavedError> {
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
    stop_streaming(&mut transcript.messages);
    Ok((transcript, saved.state))
}

fn stop_streaming(messages: &mut [Message]) {
    for m in messages {
        if m.status == Status::Streaming {
            m.status = Status::Stopped;
        }
    }
}

/// The storage the shell provides (`localStorage`; a map in tests).
pub trait KeyValue {
    fn get(&self, key: &str) -> Option<String>;
    /// The error is for the user ("the browser's storage is full").
    fn set(&self, key: &str, value: &str) -> Result<(), String>;
    fn remove(&self, key: &str);
}

/// Who wrote a head and in which order: two saves are the same when this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    /// Drawn anew by every clear.
    epoch: u64,
    /// One more than the revision stored when the save was made.
    revision: u64,
    /// The tab that saved (drawn when the page loads).
    writer: u64,
}

#[derive(Serialize, Deserialize)]
struct Head<T> {
    version: u32,
    stamp: Stamp,
    /// Messages in the chunks (a chunk may hold more after a failed save: they are ignored).
    len: usize,
    state: Option<T>,
    /// The reader's ratings by message id. In the head, which every save rewrites, so
    /// that rating an old answer does not rewrite its chunk; absent in heads written
    /// before ratings existed (read as none), and ignored by versions before them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    feedback: Vec<(u64, Feedback)>,
}

/// What one tab last saved or read of one conversation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Synced {
    stamp: Option<Stamp>,
    len: usize,
    /// The last message as saved: only it can change in place (while it streams).
    last: Option<Message>,
    /// The dialog state as saved (JSON).
    state: String,
    /// The ratings as saved.
    feedback: Vec<(u64, Feedback)>,
}

/// Where one bot's conversation lives in storage; `writer` identifies this tab.
#[derive(Debug, Clone)]
pub struct Slot {
    head_key: String,
    writer: u64,
}

/// A conversation read from storage.
pub struct Restored<T> {
    pub transcript: Transcript,
    pub state: Option<T>,
    pub synced: Synced,
}

/// Saved data that could not be read; it was moved to `kept_as` (when possible).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub error: SavedError,
    pub kept_as: Option<String>,
}

fn corrupt(e: impl std::fmt::Display) -> SavedError {
    SavedError::Corrupt(e.to_string())
}

fn chunk_count(len: usize) -> usize {
    len.div_ceil(CHUNK_LEN)
}

/// The dialog state as compared between saves; none reads as the default (what a
/// tab shows for it), so adopting a head without state does not count as a change.
fn state_json<T: Serialize + Default>(state: Option<&T>) -> String {
    // Serialising plain data with string keys cannot fail.
    match state {
        Some(state) => serde_json::to_string(state),
        None => serde_json::to_string(&T::default()),
    }
    .unwrap_or_default()
}

impl Slot {
    /// The slot of the bot with this slug, for the tab `writer`.
    pub fn new(slug: &str, writer: u64) -> Self {
        Self { head_key: Self::head_key(slug), writer }
    }

    /// The key of a conversation's head; other tabs' saves are noticed by it.
    pub fn head_key(slug: &str) -> String {
        format!("chatdeck.v{STORE_VERSION}.{slug}")
    }

    /// The slug whose head this key is, if it is one (chunk keys are not).
    pub fn slug_of_head_key(key: &str) -> Option<&str> {
        let slug = key.strip_prefix(&format!("chatdeck.v{STORE_VERSION}."))?;
        (!slug.is_empty() && !slug.contains('.')).then_some(slug)
    }

    /// Where the single-document format kept this conversation.
    fn legacy_key(&self) -> String {
        let slug = self.head_key.rsplit('.').next().unwrap_or_default();
        format!("chatdeck.v{VERSION}.{slug}")
    }

    fn chunk_key(&self, index: usize) -> String {
        format!("{}.{index}", self.head_key)
    }

    fn read_head<T: DeserializeOwned>(&self, kv: &impl KeyValue) -> Result<Option<Head<T>>, SavedError> {
        let Some(text) = kv.get(&self.head_key) else { return Ok(None) };
        #[derive(Deserialize)]
        struct Version {
            version: u32,
        }
        let version: Version = serde_json::from_str(&text).map_err(corrupt)?;
        if version.version != STORE_VERSION {
            return Err(SavedError::Version(version.version));
        }
        serde_json::from_str(&text).map(Some).map_err(corrupt)
    }

    /// Messages `from..len` of the stored conversation; `from` is a chunk boundary.
    fn read_messages(&self, kv: &impl KeyValue, from: usize, len: usize) -> Result<Vec<Message>, SavedError> {
        let mut messages = Vec::with_capacity(len.saturating_sub(from));
        for index in from / CHUNK_LEN..chunk_count(len) {
            let text = kv.get(&self.chunk_key(index)).ok_or_else(|| corrupt(format!("part {index} is missing")))?;
            let mut chunk: Vec<Message> = serde_json::from_str(&text).map_err(corrupt)?;
            let wanted = (len - index * CHUNK_LEN).min(CHUNK_LEN);
            if chunk.len() < wanted {
                return Err(corrupt(format!("part {index} is short")));
            }
            chunk.truncate(wanted);
            messages.append(&mut chunk);
        }
        stop_streaming(&mut messages);
        Ok(messages)
    }

    /// Writes messages from the chunk holding `from` to the end, then the head.
    fn write<T: Serialize + Default>(
        &self,
        kv: &impl KeyValue,
        stamp: Stamp,
        from: usize,
        transcript: &Transcript,
        state: Option<&T>,
    ) -> Result<Synced, String> {
        let first = from / CHUNK_LEN;
        for (offset, chunk) in transcript.messages[first * CHUNK_LEN..].chunks(CHUNK_LEN).enumerate() {
            // Serialising plain data with string keys cannot fail.
            kv.set(&self.chunk_key(first + offset), &serde_json::to_string(chunk).unwrap_or_default())?;
        }
        #[derive(Serialize)]
        struct HeadRef<'a, T> {
            version: u32,
            stamp: Stamp,
            len: usize,
            state: Option<&'a T>,
            #[serde(skip_serializing_if = "<[_]>::is_empty")]
            feedback: &'a [(u64, Feedback)],
        }
        let head = HeadRef {
            version: STORE_VERSION,
            stamp,
            len: transcript.len(),
            state,
            feedback: transcript.all_feedback(),
        };
        // The head goes last: a tab that reads it finds its chunks in place.
        kv.set(&self.head_key, &serde_json::to_string(&head).unwrap_or_default())?;
        Ok(self.synced_at(stamp, transcript, state))
    }

    fn synced_at<T: Serialize + Default>(&self, stamp: Stamp, transcript: &Transcript, state: Option<&T>) -> Synced {
        Synced {
            stamp: Some(stamp),
            len: transcript.len(),
            last: transcript.messages.last().cloned(),
            state: state_json(state),
            feedback: transcript.all_feedback().to_vec(),
        }
    }

    /// Reads the saved conversation. Data of the single-document format is migrated;
    /// unreadable data is moved aside under `aside_key` (and removed) and reported.
    pub fn load<T: Serialize + DeserializeOwned + Default>(
        &self,
        kv: &impl KeyValue,
        aside_key: &str,
    ) -> Result<Option<Restored<T>>, Unreadable> {
        let stored = self.read_head::<T>(kv).and_then(|head| match head {
            None => Ok(None),
            Some(head) => {
                let mut transcript = Transcript::default();
                transcript.messages = self.read_messages(kv, 0, head.len)?;
                transcript.replace_feedback(head.feedback.clone());
                Ok(Some((head, transcript)))
            }
        });
        match stored {
            Ok(Some((head, transcript))) => {
                let synced = self.synced_at(head.stamp, &transcript, head.state.as_ref());
                Ok(Some(Restored { transcript, state: head.state, synced }))
            }
            Ok(None) => self.migrate(kv, aside_key),
            Err(error) => {
                let len = kv.get(&self.head_key).and_then(|h| serde_json::from_str::<LenOnly>(&h).ok()).map(|h| h.len);
                let mut keys = vec![self.head_key.clone()];
                keys.extend((0..chunk_count(len.unwrap_or(0))).map(|i| self.chunk_key(i)));
                Err(Unreadable { error, kept_as: set_aside(kv, &keys, aside_key) })
            }
        }
    }

    fn migrate<T: Serialize + DeserializeOwned + Default>(
        &self,
        kv: &impl KeyValue,
        aside_key: &str,
    ) -> Result<Option<Restored<T>>, Unreadable> {
        let legacy = self.legacy_key();
        let Some(text) = kv.get(&legacy) else { return Ok(None) };
        match decode::<T>(&text) {
            Ok((transcript, state)) => {
                let stamp = Stamp { epoch: self.writer, revision: 1, writer: self.writer };
                let synced = match self.write(kv, stamp, 0, &transcript, state.as_ref()) {
                    Ok(synced) => {
                        kv.remove(&legacy);
                        synced
                    }
                    // Not migrated this time (storage full): the old copy stays for the next visit.
                    Err(_) => Synced::default(),
                };
                Ok(Some(Restored { transcript, state, synced }))
            }
            Err(error) => Err(Unreadable { error, kept_as: set_aside(kv, &[legacy], aside_key) }),
        }
    }

    /// Saves the conversation on top of what is stored. When another tab saved since
    /// this one last synced, this tab's new messages (those after `synced`) are
    /// appended to the stored conversation and the result is returned: the caller
    /// shows it. Nothing is written when nothing changed.
    pub fn save<T: Serialize + DeserializeOwned + Clone + Default>(
        &self,
        kv: &impl KeyValue,
        synced: &mut Synced,
        transcript: &Transcript,
        state: Option<&T>,
    ) -> Result<Option<(Transcript, Option<T>)>, String> {
        let stored = self.read_head::<T>(kv).ok().flatten();
        let theirs = stored.as_ref().is_some_and(|head| Some(head.stamp) != synced.stamp);
        if !theirs {
            if stored.is_none() && transcript.is_empty() {
                return Ok(None); // nothing said, nothing stored: nothing to save
            }
            let unchanged = synced.stamp.is_some()
                && transcript.len() == synced.len
                && transcript.messages.last() == synced.last.as_ref()
                && state_json(state) == synced.state
                && transcript.all_feedback() == synced.feedback.as_slice();
            if unchanged {
                return Ok(None);
            }
            let (epoch, revision) = stored.as_ref().map_or((self.writer, 0), |h| (h.stamp.epoch, h.stamp.revision));
            // Only the last saved message may have changed; everything before it is stored.
            let from = if stored.is_some() { synced.len.saturating_sub(1).min(transcript.len()) } else { 0 };
            *synced =
                self.write(kv, Stamp { epoch, revision: revision + 1, writer: self.writer }, from, transcript, state)?;
            return Ok(None);
        }
        // Another tab saved: build on what it stored.
        let Some(head) = stored else { return Ok(None) };
        let mut merged = match self.adopt_messages(kv, synced, &head, transcript) {
            Ok(merged) => merged,
            // What is stored cannot be read: this tab's conversation replaces it.
            Err(_) => {
                let stamp = Stamp { epoch: self.writer, revision: head.stamp.revision + 1, writer: self.writer };
                *synced = self.write(kv, stamp, 0, transcript, state)?;
                return Ok(None);
            }
        };
        let stored_len = merged.len();
        // Ratings this tab changed since it synced, on messages both tabs have, win
        // over the stored ones (the reader here clicked last).
        let same_epoch = synced.stamp.is_some_and(|s| s.epoch == head.stamp.epoch);
        if same_epoch {
            let then = |id: u64| synced.feedback.binary_search_by_key(&id, |r| r.0).ok().map(|i| synced.feedback[i].1);
            for m in &transcript.messages[..synced.len.min(transcript.len())] {
                let now = transcript.feedback(m.id);
                if now != then(m.id) {
                    merged.set_feedback(m.id, now);
                }
            }
        }
        let mine = &transcript.messages[synced.len.min(transcript.len())..];
        for m in mine {
            let id = merged.push(m.role, m.text.clone(), m.status);
            if let Some(copy) = merged.get_mut(id) {
                copy.suggestions = m.suggestions.clone();
            }
            if let Some(f) = transcript.feedback(m.id) {
                merged.set_feedback(id, Some(f));
            }
        }
        // This tab's latest turn decides the dialog state; without one, theirs stands.
        let merged_state = if mine.is_empty() { head.state } else { state.cloned() };
        let stamp = Stamp { epoch: head.stamp.epoch, revision: head.stamp.revision + 1, writer: self.writer };
        *synced = self.write(kv, stamp, stored_len, &merged, merged_state.as_ref())?;
        Ok(Some((merged, merged_state)))
    }

    /// The stored messages, reading only the chunks this tab does not have when the
    /// stored conversation extends what it last synced (same epoch).
    fn adopt_messages<T>(
        &self,
        kv: &impl KeyValue,
        synced: &Synced,
        head: &Head<T>,
        local: &Transcript,
    ) -> Result<Transcript, SavedError> {
        let same_epoch = synced.stamp.is_some_and(|s| s.epoch == head.stamp.epoch);
        let from = if same_epoch {
            // Re-read the chunk holding the last message this tab synced: it may have grown.
            synced.len.saturating_sub(1).min(head.len).min(local.len()) / CHUNK_LEN * CHUNK_LEN
        } else {
            0
        };
        let mut transcript = Transcript::default();
        transcript.messages = local.messages[..from].to_vec();
        transcript.messages.extend(self.read_messages(kv, from, head.len)?);
        transcript.replace_feedback(head.feedback.clone());
        Ok(transcript)
    }

    /// Another tab changed storage. When it saved this conversation, returns what is
    /// stored now for an idle tab to show (only the chunks it lacks are read);
    /// `None` when this tab already has it.
    pub fn changed<T: Serialize + DeserializeOwned + Default>(
        &self,
        kv: &impl KeyValue,
        synced: &mut Synced,
        local: &Transcript,
    ) -> Result<Option<(Transcript, Option<T>)>, SavedError> {
        let Some(head) = self.read_head::<T>(kv)? else { return Ok(None) };
        if Some(head.stamp) == synced.stamp {
            return Ok(None);
        }
        let transcript = self.adopt_messages(kv, synced, &head, local)?;
        *synced = self.synced_at(head.stamp, &transcript, head.state.as_ref());
        Ok(Some((transcript, head.state)))
    }

    /// Forgets the conversation here and in every tab: a new epoch, so that no tab
    /// writes the cleared messages back. `epoch` is drawn by the caller; `state` is
    /// the dialog state of a new conversation.
    pub fn clear<T: Serialize + DeserializeOwned + Default>(
        &self,
        kv: &impl KeyValue,
        synced: &mut Synced,
        epoch: u64,
        state: Option<&T>,
    ) -> Result<(), String> {
        let stored = self.read_head::<T>(kv).ok().flatten();
        let revision = stored.as_ref().map_or(0, |h| h.stamp.revision).max(synced.stamp.map_or(0, |s| s.revision));
        let old_len = stored.as_ref().map_or(0, |h| h.len).max(synced.len);
        let stamp = Stamp { epoch, revision: revision + 1, writer: self.writer };
        *synced = self.write(kv, stamp, 0, &Transcript::default(), state)?;
        for index in 0..chunk_count(old_len) {
            kv.remove(&self.chunk_key(index));
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct LenOnly {
    len: usize,
}

/// Moves these keys' values under `aside_key`: one value as it was, several as a
/// JSON list of `[key, value]` pairs. The originals are removed only once the copy is stored.
fn set_aside(kv: &impl KeyValue, keys: &[String], aside_key: &str) -> Option<String> {
    let mut kept: Vec<(&str, String)> = keys.iter().filter_map(|k| Some((k.as_str(), kv.get(k)?))).collect();
    let text = match kept.len() {
        1 => kept.pop()?.1,
        _ => serde_json::to_string(&kept).ok()?,
    };
    kv.set(aside_key, &text).ok()?;
    for key in keys {
        kv.remove(key);
    }
    Some(aside_key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::chat::Role;
    use std::cell::RefCell;
    use std::collections::BTreeMap;

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

    /// localStorage as the tabs of one browser share it, counting what is written.
    #[derive(Default)]
    struct Memory {
        map: RefCell<BTreeMap<String, String>>,
        written: RefCell<usize>,
    }

    impl KeyValue for Memory {
        fn get(&self, key: &str) -> Option<String> {
            self.map.borrow().get(key).cloned()
        }
        fn set(&self, key: &str, value: &str) -> Result<(), String> {
            *self.written.borrow_mut() += value.len();
            self.map.borrow_mut().insert(key.to_string(), value.to_string());
            Ok(())
        }
        fn remove(&self, key: &str) {
            self.map.borrow_mut().remove(key);
        }
    }

    /// One open tab: its slot, what it shows and what it last synced.
    struct Tab {
        slot: Slot,
        transcript: Transcript,
        state: Option<u8>,
        synced: Synced,
    }

    impl Tab {
        fn open(kv: &Memory, writer: u64) -> Tab {
            let slot = Slot::new("support", writer);
            match slot.load::<u8>(kv, "aside").expect("readable") {
                Some(r) => Tab { slot, transcript: r.transcript, state: r.state, synced: r.synced },
                None => Tab { slot, transcript: Transcript::default(), state: None, synced: Synced::default() },
            }
        }
        fn say(&mut self, kv: &Memory, text: &str) {
            self.transcript.push(Role::User, text, Status::Done);
            self.transcript.push(Role::Assistant, format!("re: {text}"), Status::Done);
            self.state = Some(self.transcript.len() as u8);
            self.save(kv);
        }
        fn save(&mut self, kv: &Memory) {
            if let Some((t, s)) =
                self.slot.save(kv, &mut self.synced, &self.transcript, self.state.as_ref()).expect("saves")
            {
                self.transcript = t;
                self.state = s;
            }
        }
        /// The storage event: an idle tab shows what another tab saved.
        fn notice(&mut self, kv: &Memory) {
            if let Some((t, s)) = self.slot.changed::<u8>(kv, &mut self.synced, &self.transcript).expect("readable") {
                self.transcript = t;
                self.state = s;
            }
        }
        fn clear(&mut self, kv: &Memory, epoch: u64) {
            self.transcript = Transcript::default();
            self.state = None;
            self.slot.clear::<u8>(kv, &mut self.synced, epoch, None).expect("clears");
        }
        fn texts(&self) -> Vec<&str> {
            self.transcript.messages.iter().map(|m| m.text.as_str()).collect()
        }
    }

    #[test]
    fn a_clear_in_one_tab_wins_over_a_longer_conversation_in_another() {
        let kv = Memory::default();
        let mut a = Tab::open(&kv, 1);
        a.say(&kv, "one");
        a.say(&kv, "two");
        let mut b = Tab::open(&kv, 2);
        assert_eq!(b.texts(), a.texts());
        b.clear(&kv, 77);
        // A has not seen the clear yet (busy, or the event is still on its way) and writes.
        a.say(&kv, "three");
        assert_eq!(a.texts(), ["three", "re: three"], "the cleared messages stay cleared");
        b.notice(&kv);
        assert_eq!(b.texts(), ["three", "re: three"]);
        assert_eq!(Tab::open(&kv, 3).texts(), ["three", "re: three"], "and after a reload");
        assert_eq!(Tab::open(&kv, 3).state, Some(6), "A's latest turn decides the dialog state");
    }

    #[test]
    fn a_clear_seen_by_an_idle_tab_empties_it() {
        let kv = Memory::default();
        let mut a = Tab::open(&kv, 1);
        a.say(&kv, "one");
        let mut b = Tab::open(&kv, 2);
        b.clear(&kv, 9);
        a.notice(&kv);
        assert!(a.texts().is_empty());
        a.save(&kv);
        assert!(Tab::open(&kv, 3).texts().is_empty());
    }

    #[test]
    fn messages_written_in_two_tabs_at_once_are_all_kept() {
        let kv = Memory::default();
        let mut a = Tab::open(&kv, 1);
        a.say(&kv, "one");
        let mut b = Tab::open(&kv, 2);
        b.say(&kv, "from b");
        a.say(&kv, "from a"); // A had not seen B's save
        assert_eq!(a.texts(), ["one", "re: one", "from b", "re: from b", "from a", "re: from a"]);
        b.notice(&kv);
        assert_eq!(b.texts(), a.texts());
        let ids: std::collections::BTreeSet<u64> = b.transcript.messages.iter().map(|m| m.id).collect();
        assert_eq!(ids.len(), 6, "ids stay unique after the merge");
    }

    #[test]
    fn a_save_rewrites_only_the_end_and_a_reader_reads_only_the_end() {
        let kv = Memory::default();
        let mut a = Tab::open(&kv, 1);
        for i in 0..1500 {
            a.say(&kv, &format!("question {i}"));
        }
        let mut b = Tab::open(&kv, 2);
        assert_eq!(b.transcript.messages, a.transcript.messages);
        *kv.written.borrow_mut() = 0;
        a.say(&kv, "one more");
        let per_save = *kv.written.borrow();
        let whole = encode(&a.transcript, a.state.as_ref()).len();
        assert!(per_save * 10 < whole, "a save wrote {per_save} bytes of a {whole}-byte conversation");
        // The reader gets the new messages without decoding the others: drop a middle
        // chunk and it still catches up.
        kv.remove("chatdeck.v2.support.5");
        b.notice(&kv);
        assert_eq!(b.transcript.messages, a.transcript.messages);
    }

    #[test]
    fn the_message_that_was_streaming_is_updated_when_it_completes() {
        let kv = Memory::default();
        let mut a = Tab::open(&kv, 1);
        for i in 0..(CHUNK_LEN / 2 - 1) {
            a.say(&kv, &format!("q{i}"));
        }
        a.transcript.push(Role::User, "story", Status::Done);
        let id = a.transcript.push(Role::Assistant, "Once", Status::Streaming);
        a.save(&kv); // the page was hidden mid-story
        let mut b = Tab::open(&kv, 2);
        assert_eq!(b.transcript.messages.last().map(|m| m.status), Some(Status::Stopped));
        if let Some(m) = a.transcript.get_mut(id) {
            m.text.push_str(" upon a time.");
            m.status = Status::Done;
        }
        a.save(&kv);
        b.notice(&kv);
        assert_eq!(b.transcript.messages, a.transcript.messages);
    }

    #[test]
    fn nothing_is_written_when_nothing_changed_so_tabs_do_not_echo() {
        let kv = Memory::default();
        let mut a = Tab::open(&kv, 1);
        a.say(&kv, "one");
        let mut b = Tab::open(&kv, 2);
        *kv.written.borrow_mut() = 0;
        b.save(&kv);
        b.notice(&kv);
        a.notice(&kv);
        a.save(&kv);
        assert_eq!(*kv.written.borrow(), 0);
    }

    #[test]
    fn the_single_document_format_is_migrated_and_unreadable_data_set_aside() {
        let kv = Memory::default();
        let mut t = Transcript::default();
        t.push(Role::User, "hi", Status::Done);
        kv.set("chatdeck.v1.support", &encode(&t, Some(&3u8))).expect("set");
        let a = Tab::open(&kv, 1);
        assert_eq!(a.transcript, t);
        assert_eq!(a.state, Some(3));
        assert_eq!(kv.get("chatdeck.v1.support"), None);
        assert_eq!(Tab::open(&kv, 2).transcript.messages, t.messages);

        kv.set("chatdeck.v2.support.0", "[{broken").expect("set");
        let slot = Slot::new("support", 5);
        let err = slot.load::<u8>(&kv, "chatdeck.unreadable.support.1").err().expect("unreadable");
        assert!(matches!(err.error, SavedError::Corrupt(_)));
        assert_eq!(err.kept_as.as_deref(), Some("chatdeck.unreadable.support.1"));
        let kept = kv.get("chatdeck.unreadable.support.1").expect("kept");
        assert!(kept.contains("[{broken"), "{kept}");
        assert_eq!(kv.get("chatdeck.v2.support"), None);
        assert!(slot.load::<u8>(&kv, "x").expect("readable").is_none(), "a new conversation starts");
    }

    #[test]
    fn a_rating_of_an_old_answer_is_saved_and_seen_by_other_tabs() {
        let kv = Memory::default();
        let mut a = Tab::open(&kv, 1);
        for i in 0..(CHUNK_LEN + 10) {
            a.say(&kv, &format!("q{i}"));
        }
        let mut b = Tab::open(&kv, 2);
        let old = a.transcript.messages[1].id;
        *kv.written.borrow_mut() = 0;
        assert!(a.transcript.set_feedback(old, Some(Feedback::NotHelpful)));
        a.save(&kv);
        let written = *kv.written.borrow();
        assert!(written > 0 && written < 10_000, "only the head and last chunk are rewritten: {written} bytes");
        assert_eq!(Tab::open(&kv, 3).transcript.feedback(old), Some(Feedback::NotHelpful), "after a reload");
        b.notice(&kv);
        assert_eq!(b.transcript.feedback(old), Some(Feedback::NotHelpful), "in an idle tab");
        // B changes its mind while A rates another answer: both ratings stay.
        b.transcript.set_feedback(old, Some(Feedback::Helpful));
        b.save(&kv);
        let other = a.transcript.messages[3].id;
        a.transcript.set_feedback(other, Some(Feedback::Helpful));
        a.say(&kv, "more");
        let c = Tab::open(&kv, 4);
        assert_eq!(c.transcript.feedback(old), Some(Feedback::Helpful));
        assert_eq!(c.transcript.feedback(other), Some(Feedback::Helpful));
    }

    #[test]
    fn heads_saved_before_ratings_still_load() {
        let kv = Memory::default();
        kv.set(
            "chatdeck.v2.support",
            r#"{"version":2,"stamp":{"epoch":1,"revision":1,"writer":1},"len":1,"state":null}"#,
        )
        .expect("set");
        kv.set("chatdeck.v2.support.0", r#"[{"id":0,"role":"user","text":"hi"}]"#).expect("set");
        let a = Tab::open(&kv, 2);
        assert_eq!(a.texts(), ["hi"]);
        assert!(a.transcript.all_feedback().is_empty());
    }

    #[test]
    fn head_keys_are_told_from_chunk_keys() {
        assert_eq!(Slot::slug_of_head_key("chatdeck.v2.customer-service"), Some("customer-service"));
        assert_eq!(Slot::slug_of_head_key("chatdeck.v2.faq.3"), None);
        assert_eq!(Slot::slug_of_head_key("chatdeck.v1.faq"), None);
        assert_eq!(Slot::slug_of_head_key("chatdeck.pref.speed"), None);
    }
}
