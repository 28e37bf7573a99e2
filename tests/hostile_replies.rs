//! What each bot answers to the hostile inputs of `tests/data/hostile.txt`, sent in
//! order in one conversation with the demo data loaded, as a reader sees it
//! (Markdown rendered to plain text): `tests/data/hostile_replies.json`.
//!
//! The browser test `tests/e2e/security.test.mjs` compares the page with that file,
//! so a message shown other than as sent, a reply lost, attached to another message
//! or shown with its markup interpreted fails there. This test keeps the file true
//! to the engine; after a deliberate change of a bot, rewrite it with
//! `UPDATE_EXPECTED=1 cargo test --test hostile_replies` and review the diff.

use std::sync::Arc;

use chatdeck::engine::bots::faq::{Faq, SEED_TOPICS};
use chatdeck::engine::bots::story::Library;
use chatdeck::engine::bots::{self, BotId, DialogState, Resources};
use chatdeck::engine::faq::KnowledgeBase;
use chatdeck::engine::markdown::plain_text;
use chatdeck::engine::orders::{OrderBook, Orders};
use chatdeck::engine::understand::Query;
use serde::Serialize;

const EXPECTED: &str = "tests/data/hostile_replies.json";

#[derive(Serialize)]
struct Exchange {
    /// The message as the bot receives it: trimmed, and with any lone UTF-16
    /// surrogate (which a JavaScript string may hold) replaced by U+FFFD, as the
    /// conversion to a Rust string does.
    input: String,
    /// The assistant messages of the reply, as plain text.
    replies: Vec<String>,
}

fn read(path: &str) -> Vec<u8> {
    let path = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A line of the corpus with its `\n` and `\uXXXX` escapes decoded, as the browser
/// test decodes it (into UTF-16, where a lone surrogate can exist).
fn decode(line: &str) -> String {
    let line = line.replace("\\n", "\n");
    let mut units: Vec<u16> = Vec::new();
    let mut rest = line.as_str();
    while let Some(at) = rest.find("\\u") {
        units.extend(rest[..at].encode_utf16());
        let escape = rest.get(at + 2..at + 6).and_then(|hex| u16::from_str_radix(hex, 16).ok());
        match escape {
            Some(unit) => {
                units.push(unit);
                rest = &rest[at + 6..];
            }
            None => {
                units.extend("\\u".encode_utf16());
                rest = &rest[at + 2..];
            }
        }
    }
    units.extend(rest.encode_utf16());
    String::from_utf16_lossy(&units)
}

/// The data every bot starts with in the app: the demo files of `public/`.
fn demo_resources() -> Resources {
    let orders = OrderBook::from_bytes(&read("public/orders.csv")).expect("demo orders");
    let stories = Library::from_json(&read("public/stories.json")).expect("demo stories");
    let faq = KnowledgeBase::from_csv(&read("public/faq_data.csv"), &SEED_TOPICS).expect("demo FAQ");
    Resources { orders: Orders::Ready(orders), stories, faq: Faq::Ready(Arc::new(faq)), intents: Default::default() }
}

fn expected_text() -> String {
    let corpus = String::from_utf8(read("tests/data/hostile.txt")).expect("UTF-8 corpus");
    let inputs: Vec<String> = corpus
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| decode(l).trim().to_string())
        .filter(|input| !input.is_empty()) // blank messages are not sent
        .collect();
    let resources = demo_resources();
    let mut bots = serde_json::Map::new();
    for bot in [BotId::CustomerService, BotId::Support, BotId::Storyteller, BotId::Faq] {
        let mut state = DialogState::default();
        let exchanges: Vec<Exchange> = inputs
            .iter()
            .map(|input| {
                let reply = bots::reply(bot, &mut state, &resources, &Query::text(input));
                Exchange { input: input.clone(), replies: reply.texts().iter().map(|t| plain_text(t)).collect() }
            })
            .collect();
        bots.insert(bot.info().slug.to_string(), serde_json::to_value(exchanges).expect("serialisable"));
    }
    serde_json::to_string_pretty(&bots).expect("serialisable") + "\n"
}

#[test]
fn the_expected_replies_are_the_engines() {
    let expected = expected_text();
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        let path = format!("{}/{EXPECTED}", env!("CARGO_MANIFEST_DIR"));
        std::fs::write(&path, &expected).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let committed = String::from_utf8(read(EXPECTED)).expect("UTF-8");
    assert!(
        committed == expected,
        "{EXPECTED} is not what the bots answer; if the change is deliberate, run \
         UPDATE_EXPECTED=1 cargo test --test hostile_replies and review the diff"
    );
}

#[test]
fn corpus_escapes_decode_as_in_javascript() {
    assert_eq!(decode("a\\nb"), "a\nb");
    assert_eq!(decode("\\u0000\\u001b[0m"), "\u{0}\u{1b}[0m");
    assert_eq!(decode("\\ud83d\\ude00"), "😀", "a surrogate pair is one character");
    assert_eq!(decode("\\ud83d lone"), "\u{FFFD} lone");
    assert_eq!(decode("\\uzz"), "\\uzz");
}
