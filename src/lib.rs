//! chatdeck: four chat bots that run entirely in the browser.
//!
//! [`engine`] is the pure core (matching, parsing, the bots as state machines);
//! the browser shell (`ui`, `web`) exists only when compiled to wasm32.
//! See ARCHITECTURE.md for the map.

pub mod engine;

#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod web;
