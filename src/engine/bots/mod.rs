//! The bots: what each is called, how it greets, and how it answers.

pub mod command;
pub mod faq;
pub mod story;
pub mod support;

use serde::{Deserialize, Serialize};

use crate::engine::orders::Orders;
use crate::engine::reply::Reply;
use crate::engine::understand::intents::Intents;
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
        // Paraphrases both tiers answer right (checked with tools/faq_eval.sh, with and
        // without --lexical): the first question may come before the model has loaded.
        examples: &["how long does delivery take", "i want to return something", "how do i make an account"],
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
    /// What the Customer Service and Support bots understand beyond the seed's rules.
    pub intents: BotIntents,
}

impl Default for Resources {
    fn default() -> Self {
        Self {
            orders: Orders::default(),
            stories: story::Library::seed(),
            faq: faq::Faq::default(),
            intents: BotIntents::default(),
        }
    }
}

impl Resources {
    /// Whether `bot`'s data is still on its way: a message sent before the app started
    /// waits for it, so that it is answered from the data rather than told to wait.
    pub fn loading_for(&self, bot: BotId) -> bool {
        match bot {
            BotId::Support => self.orders == Orders::Loading,
            BotId::Faq => matches!(self.faq, faq::Faq::Loading),
            // The seed's stories answer until the library has loaded; the rules need no data.
            BotId::Storyteller | BotId::CustomerService => false,
        }
    }
}

/// The intents of the bots that understand free text where their rules find nothing.
#[derive(Debug, Clone)]
pub struct BotIntents {
    pub commands: Intents<command::Command>,
    pub support: Intents<support::Intent>,
}

impl Default for BotIntents {
    fn default() -> Self {
        Self { commands: Intents::new(&command::PHRASINGS), support: Intents::new(&support::PHRASINGS) }
    }
}

impl BotIntents {
    /// Every phrasing of both bots, in order: what to embed for [`BotIntents::attach_vectors`].
    pub fn texts(&self) -> Vec<&str> {
        self.commands.candidates().texts().chain(self.support.candidates().texts()).collect()
    }

    pub fn has_vectors(&self) -> bool {
        self.commands.candidates().has_vectors() && self.support.candidates().has_vectors()
    }

    /// The embeddings of [`BotIntents::texts`], in order.
    pub fn attach_vectors(&mut self, mut flat: Vec<f32>) -> Result<(), String> {
        let split = self.commands.candidates().len() * crate::engine::understand::DIM;
        if flat.len() < split {
            return Err(format!("expected more than {split} floats, got {}", flat.len()));
        }
        let support = flat.split_off(split);
        self.support.candidates_mut().attach_vectors(support)?;
        self.commands
            .candidates_mut()
            .attach_vectors(flat)
            .inspect_err(|_| self.support.candidates_mut().detach_vectors())
    }
}

/// Whether a message to `bot` is one its own rules cannot place, so that
/// understanding it (the semantic tier) would help: the shell starts loading the
/// model then, not before.
pub fn needs_understanding(bot: BotId, state: &DialogState, text: &str) -> bool {
    match bot {
        BotId::CustomerService => command::find_command(text).is_none(),
        BotId::Support => {
            state.support.waiting_for.is_none()
                && !support::is_cancel(text)
                && support::detect_intent(text) == support::Intent::General
                && support::find_order_id(text).is_none()
        }
        BotId::Faq => true,
        BotId::Storyteller => false,
    }
}

/// The answer of `bot` to `query` (what was typed, with its embedding once the
/// semantic tier is ready), updating the conversation's `state`. Every bot always
/// answers: data still loading or unavailable is told in the reply.
pub fn reply(bot: BotId, state: &mut DialogState, resources: &Resources, query: &Query) -> Reply {
    match bot {
        BotId::CustomerService => command::reply_understood(query, &resources.intents.commands),
        BotId::Support => {
            support::reply_understood(&mut state.support, &resources.orders, query, &resources.intents.support)
        }
        BotId::Storyteller => story::reply(&mut state.story, &resources.stories, query.text),
        BotId::Faq => faq::reply(&resources.faq, query),
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

    #[test]
    fn a_bot_waits_only_for_its_own_data() {
        let mut r = Resources::default();
        assert!(r.loading_for(BotId::Support) && r.loading_for(BotId::Faq));
        assert!(!r.loading_for(BotId::CustomerService) && !r.loading_for(BotId::Storyteller));
        r.orders = Orders::Failed("offline".into());
        assert!(!r.loading_for(BotId::Support), "a failure is an answer too: the bot says so");
        assert!(r.loading_for(BotId::Faq));
        r.faq = faq::Faq::Failed("offline".into());
        assert!(!r.loading_for(BotId::Faq));
    }
}
