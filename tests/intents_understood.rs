//! The Customer Service and Support bots understand customers' own words where the
//! seed's rules find nothing (issue 12, item 5), through the same understanding module
//! and model file as the FAQ. The sentences below are held out: none is a phrasing of
//! the bots' tables (`command::PHRASINGS`, `support::PHRASINGS`), and the tables were
//! not written from them. Run with `cargo test --features semantic --test intents_understood -- --nocapture`.
#![cfg(feature = "semantic")]

use chatdeck::engine::bots::command::{self, Command, FALLBACK};
use chatdeck::engine::bots::support::{self, SupportState, ASK_ORDER_ID, ASK_REFUND_REASON, GENERAL, SHIPPING};
use chatdeck::engine::bots::{needs_understanding, BotId, BotIntents, DialogState};
use chatdeck::engine::orders::Orders;
use chatdeck::engine::understand::encoder::Encoder;
use chatdeck::engine::understand::Query;

/// Held-out Customer Service messages the seed answers with its fallback, and the
/// command each asks for (`None`: nothing the bot does).
const COMMANDS: &[(&str, Option<Command>)] = &[
    ("could you push my delivery back a few days", Some(Command::Postpone)),
    ("I'd like a different day for it", Some(Command::Reschedule)),
    ("I'm away next week, please bring it later", Some(Command::Postpone)),
    ("keep it for me a little longer before you send it", Some(Command::Postpone)),
    ("can it come on Tuesday instead?", Some(Command::Reschedule)),
    ("I need to pick a new delivery slot", Some(Command::Reschedule)),
    ("I don't need this anymore, forget the order", Some(Command::Cancel)),
    ("please don't ship what I bought", Some(Command::Cancel)),
    ("has my parcel left the warehouse?", Some(Command::Status)),
    ("where's my stuff?", Some(Command::Status)),
    ("I'd like to get reimbursed for the broken lamp", Some(Command::Refund)),
    ("can I have my cash back", Some(Command::Refund)),
    ("what are you able to do?", Some(Command::Help)),
    ("how do I use this chat", Some(Command::Help)),
    ("what's the capital of France?", None),
    ("tell me a joke", None),
    ("my cat is sleeping on the sofa", None),
];

/// Held-out Support messages without the seed's keywords, and the first reply.
const SUPPORT: &[(&str, &str)] = &[
    ("nothing has shown up at my door yet", ASK_ORDER_ID),
    ("has my stuff been sent out?", ASK_ORDER_ID),
    ("can I get compensated for this?", ASK_REFUND_REASON),
    // A reason in the message is taken at once, as for keyword requests.
    (
        "this jacket is faulty, can I send it back?",
        "Refund noted: this jacket is faulty, can I send it back?. Our team will email you in 24h.",
    ),
    ("how many days until it reaches me?", SHIPPING),
    ("do you post to other countries?", SHIPPING),
    ("is there a faster option to get it?", SHIPPING),
    ("what's the capital of France?", GENERAL),
    ("tell me a joke", GENERAL),
];

fn intents_with_vectors() -> BotIntents {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/target/model");
    let model =
        std::fs::read(format!("{dir}/minilm.gguf")).expect("target/model/minilm.gguf: run tools/fetch_model.sh");
    let vocab = std::fs::read_to_string(format!("{dir}/vocab.txt")).expect("target/model/vocab.txt");
    let encoder = Encoder::load(&model, &vocab).expect("the model loads");
    let mut intents = BotIntents::default();
    let vectors = encoder.embed(&intents.texts()).expect("embeds");
    intents.attach_vectors(vectors.concat()).expect("attaches");
    ENCODER.with(|e| *e.borrow_mut() = Some(encoder));
    intents
}

thread_local! {
    static ENCODER: std::cell::RefCell<Option<Encoder>> = const { std::cell::RefCell::new(None) };
}

fn vector(text: &str) -> Vec<f32> {
    ENCODER.with(|e| e.borrow().as_ref().expect("loaded").embed(&[text]).expect("embeds").remove(0))
}

#[test]
fn held_out_messages_are_understood_where_the_seed_has_no_rule() {
    let intents = intents_with_vectors();
    let state = DialogState::default();
    let (mut right, mut lexical_right, mut wrong) = (0, 0, Vec::new());
    for &(text, expected) in COMMANDS {
        assert!(needs_understanding(BotId::CustomerService, &state, text), "the seed's rules already place {text:?}");
        let expected = expected.map_or(FALLBACK, Command::response);
        let v = vector(text);
        let semantic =
            command::reply_understood(&Query { text, vector: Some(&v) }, &intents.commands).texts().remove(0);
        let lexical = command::reply_understood(&Query::text(text), &intents.commands).texts().remove(0);
        println!("CS  {text:?}\n    semantic: {semantic}\n    lexical:  {lexical}");
        if semantic == expected {
            right += 1;
        } else if semantic != FALLBACK && !semantic.starts_with("I'm not sure") {
            wrong.push(text);
        }
        lexical_right += usize::from(lexical == expected);
    }
    let orders = Orders::default();
    for &(text, expected) in SUPPORT {
        assert!(needs_understanding(BotId::Support, &state, text), "the seed's keywords already place {text:?}");
        let v = vector(text);
        let semantic = support::reply_understood(
            &mut SupportState::default(),
            &orders,
            &Query { text, vector: Some(&v) },
            &intents.support,
        )
        .texts()
        .remove(0);
        let lexical =
            support::reply_understood(&mut SupportState::default(), &orders, &Query::text(text), &intents.support)
                .texts()
                .remove(0);
        println!("SUP {text:?}\n    semantic: {semantic}\n    lexical:  {lexical}");
        if semantic == expected {
            right += 1;
        } else if semantic != GENERAL {
            wrong.push(text);
        }
        lexical_right += usize::from(lexical == expected);
    }
    let total = COMMANDS.len() + SUPPORT.len();
    println!("semantic: {right}/{total} right, {} wrong; lexical: {lexical_right}/{total} right", wrong.len());
    // The issue's own examples, each.
    for (text, command) in [
        ("could you push my delivery back a few days", Command::Postpone),
        ("I'd like a different day for it", Command::Reschedule),
    ] {
        let v = vector(text);
        assert_eq!(
            command::reply_understood(&Query { text, vector: Some(&v) }, &intents.commands).texts(),
            [command.response()]
        );
    }
    // The Support examples of the issue: the seed's keywords ("parcel", "money") place
    // them already, and understanding must not change that.
    for (text, expected) in [("my parcel never came", ASK_ORDER_ID), ("I'd like my money back", ASK_REFUND_REASON)] {
        assert!(!needs_understanding(BotId::Support, &state, text));
        let v = vector(text);
        let mut state = SupportState::default();
        let query = Query { text, vector: Some(&v) };
        assert_eq!(support::reply_understood(&mut state, &orders, &query, &intents.support).texts(), [expected]);
    }
    assert!(right * 10 >= total * 8, "{right}/{total} understood");
    assert!(wrong.len() <= 1, "answered wrongly: {wrong:?}");
}
