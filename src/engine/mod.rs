//! The functional core: pure Rust, no web-sys, no Leptos. Everything here is
//! deterministic and tested natively with `cargo test`.

pub mod fuzzy;
