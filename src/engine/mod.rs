//! The functional core: pure Rust, no web-sys, no Leptos. Everything here is
//! deterministic and tested natively with `cargo test`.

pub mod bots;
pub mod chat;
pub mod csv;
pub mod export;
pub mod faq;
pub mod fuzzy;
pub mod input;
pub mod markdown;
pub mod orders;
pub mod playback;
pub mod reply;
pub mod report;
pub mod saved;
pub mod text;
pub mod understand;
