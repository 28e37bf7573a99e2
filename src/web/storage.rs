//! Conversations in `localStorage`, one key per bot. Unreadable data is never
//! dropped: it is moved aside under a `chatdeck.unreadable.*` key and reported.

use serde::{de::DeserializeOwned, Serialize};

use crate::engine::chat::Transcript;
use crate::engine::saved::{self, SavedError};
use crate::engine::text::megabytes;

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Where conversations of this saved-data version live: the prefix, then the bot's slug.
fn key_prefix() -> String {
    format!("chatdeck.v{}.", saved::VERSION)
}

fn key(slug: &str) -> String {
    key_prefix() + slug
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

const CUSTOM_FAQ_KEY: &str = "chatdeck.faq.custom";

/// A knowledge base the user loaded, remembered for the next visit.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct SavedFaq {
    pub name: String,
    pub csv: String,
}

/// The remembered knowledge base; unreadable data is moved aside and reported.
pub fn load_custom_faq() -> Result<Option<SavedFaq>, String> {
    let Some(storage) = local_storage() else {
        return Ok(None);
    };
    let Ok(Some(text)) = storage.get_item(CUSTOM_FAQ_KEY) else {
        return Ok(None);
    };
    serde_json::from_str(&text).map(Some).map_err(|e| {
        let aside = format!("chatdeck.unreadable.faq.{}", js_sys::Date::now() as u64);
        if storage.set_item(&aside, &text).is_ok() {
            let _ = storage.remove_item(CUSTOM_FAQ_KEY);
        }
        format!("the saved copy is unreadable ({e}); it was kept under \"{aside}\"")
    })
}

/// Remembers a knowledge base; the error says why it will last for this visit only.
pub fn save_custom_faq(faq: &SavedFaq) -> Result<(), String> {
    let storage = local_storage().ok_or("this browser does not allow saving")?;
    let text = serde_json::to_string(faq).map_err(|e| e.to_string())?;
    storage
        .set_item(CUSTOM_FAQ_KEY, &text)
        .map_err(|_| format!("it is too big for this browser's storage ({})", megabytes(text.len())))
}

/// Forgets the user's knowledge base (back to the demo).
pub fn forget_custom_faq() {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(CUSTOM_FAQ_KEY);
    }
}

/// Calls `on_change(slug, transcript, state)` when another tab saves a conversation,
/// so that two open tabs do not overwrite each other's newer messages.
pub fn on_other_tab_save<T: DeserializeOwned + 'static>(on_change: impl Fn(&str, Transcript, Option<T>) + 'static) {
    let prefix = key_prefix();
    let handle = leptos::prelude::window_event_listener(leptos::ev::storage, move |ev: web_sys::StorageEvent| {
        let (Some(key), Some(value)) = (ev.key(), ev.new_value()) else { return };
        let Some(slug) = key.strip_prefix(&prefix) else { return };
        if let Ok((transcript, state)) = saved::decode::<T>(&value) {
            on_change(slug, transcript, state);
        }
    });
    // The listener lives as long as the page.
    std::mem::forget(handle);
}
