//! The bots: what each is called, how it greets, and how it answers.

pub mod command;
pub mod faq;
pub mod story;
pub mod support;

use serde::{Deserialize, Serialize};

use crate::engine::orders::Orders;
use crate::engine::reply::Reply;
use crate::engine::understand::Query;

/// The four bots of the deck, one per topic of the seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BotId {
    CustomerService,
    Support,
    Storyteller,
    Faq,
}

/// What the shell needs to show a bot; nothing here is behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BotInfo {
    pub id: BotId,
    /// Name in the navigation.
    pub name: &'static str,
    /// The seed's `st.title`.
    pub title: &'static str,
    /// Path segment of the bot's URL (`#/support`).
    pub slug: &'static str,
    /// The seed's `st.chat_input` placeholder.
    pub placeholder: &'static str,
    /// Avatar of the bot's assistant messages.
    pub avatar: &'static str,
    /// One line under the title: what the bot is for.
    pub tagline: &'static str,
    /// Example messages offered while the conversation is empty.
    pub examples: &'static [&'static str],
    /// True for a bot whose replies stream over time: the view offers speed controls.
    pub streams: bool,
}

pub const BOTS: [BotInfo; 4] = [
    BotInfo {
        id: BotId::CustomerService,
        name: "Customer Service",
        title: "💬 Customer Service Bot",
        slug: "customer-service",
        placeholder: "Type your message...",
        avatar: "🛎️",
        tagline: "Cancel, postpone, reschedule, track or refund an order — typos welcome.",
        examples: &["help", "cancle order", "can you track it?"],
        streams: false,
    },
    BotInfo {
        id: BotId::Support,
        name: "Support",
        title: "💬 Customer Support Chat",
        slug: "support",
        placeholder: "Ask me about your order...",
        avatar: "🎧",
        tagline: "Order status, refunds and shipping, step by step.",
        examples: &["Where is my order ABC12345?", "I want a refund", "How long is shipping?"],
        streams: false,
    },
    BotInfo {
        id: BotId::Storyteller,
        name: "Storyteller",
        title: "📖 Storyteller Bot",
        slug: "storyteller",
        placeholder: "What kind of story would you like? (space adventure, mystery, fantasy)",
        avatar: "🦉",
        tagline: "Bedtime stories, told one line at a time.",
        examples: &["space adventure", "tell me a mystery", "magical animals"],
        streams: true,
    },
    BotInfo {
        id: BotId::Faq,
        name: "FAQ",
        title: "Customer Service FAQ Bot",
        slug: "faq",
        placeholder: "Ask me anything about our services...",
        avatar: "📚",
        tagline: "Answers from the knowledge base, however you phrase the question.",
        examples: &["How do I get my money back?", "do u ship to canada", "can i pay with paypal"],
        streams: false,
    },
];

impl BotId {
    pub fn info(self) -> &'static BotInfo {
        // BOTS lists every variant once, in declaration order.
        &BOTS[self as usize]
    }

    /// The bot whose slug this is.
    pub fn from_slug(slug: &str) -> Option<BotId> {
        BOTS.iter().find(|b| b.slug == slug).map(|b| b.id)
    }
}

/// What a conversation remembers between turns, saved with its transcript.
/// Each bot uses its own part; missing parts read as their default, so data saved
/// before a bot gained state still loads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DialogState {
    #[serde(default)]
    pub support: support::SupportState,
    #[serde(default)]
    pub story: story::StoryState,
}

/// Data the bots read, loaded by the shell.
#[derive(Debug, Clone)]
pub struct Resources {
    pub orders: Orders,
    /// The seed's stories until the library file has loaded.
    pub stories: story::Library,
    pub faq: faq::Faq,
}

impl Default for Resources {
    fn default() -> Self {
        Self { orders: Orders::default(), stories: story::Library::seed(), faq: faq::Faq::default() }
    }
}

/// The answer of `bot` to `query` (what was typed, with its embedding once the
/// semantic tier is ready), updating the conversation's `state`.
/// Returns `None` for a bot that is not available yet.
pub fn reply(bot: BotId, state: &mut DialogState, resources: &Resources, query: &Query) -> Option<Reply> {
    let input = query.text;
    match bot {
        BotId::CustomerService => Some(command::reply(input)),
        BotId::Support => Some(support::reply(&mut state.support, &resources.orders, input)),
        BotId::Storyteller => Some(story::reply(&mut state.story, &resources.stories, input)),
        BotId::Faq => Some(faq::reply(&resources.faq, query)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bots_table_is_indexed_by_id() {
        for (i, bot) in BOTS.iter().enumerate() {
            assert_eq!(bot.id as usize, i);
            assert_eq!(BotId::from_slug(bot.slug), Some(bot.id));
        }
        assert_eq!(BotId::from_slug("nope"), None);
    }
}
