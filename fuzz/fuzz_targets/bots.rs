//! Each bot's state machine over a conversation of arbitrary messages, one per
//! line, with the demo data loaded. Every message gets a reply with text, and the
//! dialog state survives the save/restore round trip the app does after each turn.
#![no_main]

use std::sync::{Arc, OnceLock};

use chatdeck::engine::bots::faq::{Faq, SEED_TOPICS};
use chatdeck::engine::bots::story::Library;
use chatdeck::engine::bots::{self, BotId, DialogState, Resources, BOTS};
use chatdeck::engine::chat::Transcript;
use chatdeck::engine::faq::KnowledgeBase;
use chatdeck::engine::orders::{OrderBook, Orders};
use chatdeck::engine::saved;
use chatdeck::engine::understand::Query;
use libfuzzer_sys::fuzz_target;

fn resources() -> &'static Resources {
    static RESOURCES: OnceLock<Resources> = OnceLock::new();
    RESOURCES.get_or_init(|| {
        let orders = OrderBook::from_bytes(include_bytes!("../../public/orders.csv")).expect("demo orders");
        let stories = Library::from_json(include_bytes!("../../public/stories.json")).expect("demo stories");
        let faq = KnowledgeBase::from_csv(include_bytes!("../../public/faq_data.csv"), &SEED_TOPICS).expect("demo FAQ");
        Resources { orders: Orders::Ready(orders), stories, faq: Faq::Ready(Arc::new(faq)), intents: Default::default() }
    })
}

fuzz_target!(|data: &[u8]| {
    let [bot, rest @ ..] = data else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let bot: BotId = BOTS[usize::from(*bot) % BOTS.len()].id;
    let mut state = DialogState::default();
    for message in text.split('\n') {
        let reply = bots::reply(bot, &mut state, resources(), &Query::text(message));
        assert!(!reply.messages.is_empty(), "no reply to {message:?}");
        assert!(reply.texts().iter().all(|t| !t.trim().is_empty()), "an empty message in reply to {message:?}");
        let encoded = saved::encode(&Transcript::default(), Some(&state));
        let (_, restored) = saved::decode::<DialogState>(&encoded).expect("saved state decodes");
        assert_eq!(restored.as_ref(), Some(&state), "state lost in the save round trip");
    }
});
