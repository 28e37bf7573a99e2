//! Conversations in `localStorage`, one key per bot. Unreadable data is never
//! dropped: it is moved aside under a `chatdeck.unreadable.*` key and reported.

use serde::{de::DeserializeOwned, Serialize};

use crate::engine::chat::Transcript;
use crate::engine::saved::{self, SavedError};

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn key(slug: &str) -> String {
    format!("chatdeck.v{}.{slug}", saved::VERSION)
}

/// What loading found.
pub enum Loaded<T> {
    Nothing,
    Restored(Transcript, Option<T>),
    /// The data could not be used; `kept_as` names where it was moved.
    Unreadable {
        error: SavedError,
        kept_as: Option<String>,
    },
}

/// Loads the saved conversation of the bot with this slug.
pub fn load<T: DeserializeOwned>(slug: &str) -> Loaded<T> {
    let Some(storage) = local_storage() else {
        return Loaded::Nothing;
    };
    let key = key(slug);
    let Ok(Some(text)) = storage.get_item(&key) else {
        return Loaded::Nothing;
    };
    match saved::decode::<T>(&text) {
        Ok((transcript, state)) => Loaded::Restored(transcript, state),
        Err(error) => {
            let aside = format!("chatdeck.unreadable.{slug}.{}", js_sys::Date::now() as u64);
            let kept_as = storage.set_item(&aside, &text).ok().map(|_| aside);
            if kept_as.is_some() {
                let _ = storage.remove_item(&key);
            }
            Loaded::Unreadable { error, kept_as }
        }
    }
}

/// Saves a conversation; the error is for the user (quota full, storage disabled).
pub fn save<T: Serialize>(slug: &str, transcript: &Transcript, state: Option<&T>) -> Result<(), String> {
    let storage = local_storage().ok_or("this browser does not allow saving (private mode?)")?;
    storage
        .set_item(&key(slug), &saved::encode(transcript, state))
        .map_err(|_| "the browser's storage is full".to_string())
}

/// A small user preference (e.g. the story speed), or `None` when unset or unreadable.
pub fn load_pref(name: &str) -> Option<String> {
    local_storage()?.get_item(&format!("chatdeck.pref.{name}")).ok().flatten()
}

/// Remembers a preference; failing to is harmless (it lasts for this visit).
pub fn save_pref(name: &str, value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(&format!("chatdeck.pref.{name}"), value);
    }
}

/// The reader asked the system for less motion.
pub fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|m| m.matches())
}
