//! Conversations in `localStorage` (the layout and the rules between tabs are the
//! engine's, see [`crate::engine::saved`]). Unreadable data is never dropped: it is
//! moved aside under a `chatdeck.unreadable.*` key and reported.

use serde::{de::DeserializeOwned, Serialize};

use crate::engine::chat::Transcript;
use crate::engine::saved::{KeyValue, Restored, SavedError, Slot, Synced};
use crate::engine::text::megabytes;

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// `localStorage` as the engine's key-value store.
struct Local(web_sys::Storage);

impl KeyValue for Local {
    fn get(&self, key: &str) -> Option<String> {
        self.0.get_item(key).ok().flatten()
    }

    fn set(&self, key: &str, value: &str) -> Result<(), String> {
        self.0.set_item(key, value).map_err(|_| "the browser's storage is full".to_string())
    }

    fn remove(&self, key: &str) {
        let _ = self.0.remove_item(key);
    }
}

fn local() -> Result<Local, String> {
    local_storage().map(Local).ok_or_else(|| "this browser does not allow saving (private mode?)".to_string())
}

/// A number for this page, different in every tab: it tells this tab's saves from
/// another's. Random, so no coordination between tabs is needed.
pub fn random_id() -> u64 {
    (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64
}

/// What loading found.
pub enum Loaded<T> {
    Nothing,
    Restored(Restored<T>),
    /// The data could not be used; `kept_as` names where it was moved.
    Unreadable {
        error: SavedError,
        kept_as: Option<String>,
    },
}

/// Loads the saved conversation of a slot.
pub fn load<T: Serialize + DeserializeOwned + Default>(slot: &Slot, slug: &str) -> Loaded<T> {
    let Ok(storage) = local() else {
        return Loaded::Nothing;
    };
    let aside = format!("chatdeck.unreadable.{slug}.{}", js_sys::Date::now() as u64);
    match slot.load::<T>(&storage, &aside) {
        Ok(Some(restored)) => Loaded::Restored(restored),
        Ok(None) => Loaded::Nothing,
        Err(unreadable) => Loaded::Unreadable { error: unreadable.error, kept_as: unreadable.kept_as },
    }
}

/// Saves a conversation on top of what is stored; `Some` is the conversation to
/// show when another tab had saved meanwhile. The error is for the user.
pub fn save<T: Serialize + DeserializeOwned + Clone + Default>(
    slot: &Slot,
    synced: &mut Synced,
    transcript: &Transcript,
    state: &T,
) -> Result<Option<(Transcript, Option<T>)>, String> {
    slot.save(&local()?, synced, transcript, Some(state))
}

/// Clears a conversation in every tab.
pub fn clear<T: Serialize + DeserializeOwned + Default>(slot: &Slot, synced: &mut Synced) -> Result<(), String> {
    slot.clear::<T>(&local()?, synced, random_id(), Some(&T::default()))
}

/// What another tab saved of this conversation, when this tab does not have it yet.
pub fn changed<T: Serialize + DeserializeOwned + Default>(
    slot: &Slot,
    synced: &mut Synced,
    local_transcript: &Transcript,
) -> Option<(Transcript, Option<T>)> {
    slot.changed::<T>(&local().ok()?, synced, local_transcript).ok().flatten()
}

/// Calls `on_change(slug)` when another tab saves a conversation. Only the small
/// head of a conversation is looked at here; the chunks are read on demand.
pub fn on_other_tab_save(on_change: impl Fn(&str) + 'static) {
    let handle = leptos::prelude::window_event_listener(leptos::ev::storage, move |ev: web_sys::StorageEvent| {
        if let Some(slug) = ev.key().as_deref().and_then(Slot::slug_of_head_key) {
            on_change(slug);
        }
    });
    // The listener lives as long as the page.
    std::mem::forget(handle);
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

const TRUSTED_ORIGINS_KEY: &str = "chatdeck.trusted-origins";

fn trusted_origins(storage: &web_sys::Storage) -> Vec<String> {
    storage
        .get_item(TRUSTED_ORIGINS_KEY)
        .ok()
        .flatten()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// The reader agreed to use data from this origin (`?orders=`, `?faq=`) before.
pub fn is_trusted_origin(origin: &str) -> bool {
    local_storage().is_some_and(|s| trusted_origins(&s).iter().any(|o| o == origin))
}

/// Remembers that the reader agreed to use data from this origin; failing to is
/// harmless (they are asked again next visit).
pub fn trust_origin(origin: &str) {
    if let Some(storage) = local_storage() {
        let mut origins = trusted_origins(&storage);
        if !origins.iter().any(|o| o == origin) {
            origins.push(origin.to_string());
            if let Ok(text) = serde_json::to_string(&origins) {
                let _ = storage.set_item(TRUSTED_ORIGINS_KEY, &text);
            }
        }
    }
}
