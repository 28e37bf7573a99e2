//! Leptos components. Nothing here knows what a bot says: the app wires the
//! engine's replies into one generic chat view.

pub mod app;
pub mod chat_view;
pub mod composer;
pub mod faq_tools;
pub mod knowledge_base;
pub mod markdown_view;
pub mod message_view;
pub mod notices;
pub mod player;
pub mod report;
pub mod report_host;
pub mod understanding;
