//! The customer-service command bot (Topic 10.1): six commands with aliases, typos
//! understood with `difflib.get_close_matches`, the seed's replies.
//!
//! Matching runs in two stages. First the seed's own rule, unchanged: the whole
//! lower-cased, stripped message against every alias, exactly then with
//! `get_close_matches(n=1, cutoff=0.6)`. Whatever the seed finds, chatdeck finds.
//! Only when the seed finds nothing does the second stage look at the words of the
//! message, so that "I want to cancel my order" or "cancle order" are understood.
//!
//! ```
//! use chatdeck::engine::bots::command::{find_command, Command};
//! assert_eq!(find_command("canel"), Some(Command::Cancel));
//! assert_eq!(find_command("can you track it?"), Some(Command::Status));
//! assert_eq!(find_command("hello there"), None);
//! ```

use crate::engine::fuzzy::{get_close_matches, Target};
use crate::engine::markdown::escape;
use crate::engine::reply::{Reply, ReplyMessage};
use crate::engine::text::{seed_normalise, words};
use crate::engine::understand::intents::{IntentMeaning, Intents};
use crate::engine::understand::Query;

/// The seed's commands, in the seed's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Cancel,
    Postpone,
    Reschedule,
    Status,
    Refund,
    Help,
}

/// The seed's `commands` table: each command with its aliases.
pub const COMMANDS: [(Command, &[&str]); 6] = [
    (Command::Cancel, &["cancel", "stop", "abort"]),
    (Command::Postpone, &["postpone", "delay", "postpne"]),
    (Command::Reschedule, &["reschedule", "change", "move"]),
    (Command::Status, &["status", "check", "track"]),
    (Command::Refund, &["refund", "money", "return"]),
    (Command::Help, &["help", "commands", "options"]),
];

/// How customers ask for each command in their own words, for the third stage
/// (understanding, [`reply_understood`]), which runs only when no alias is found.
/// Written as customers write, not from any test sentence; no phrasing names an
/// alias, since those are already the seed's.
pub static PHRASINGS: [(Command, &[&str]); 6] = [
    (
        Command::Cancel,
        &[
            "I don't want this order anymore",
            "please call off my purchase",
            "scrap my order",
            "I no longer need what I ordered",
            "can I undo my purchase",
            "don't send it, I don't want it",
            "withdraw my order please",
            "I ordered by mistake, please drop it",
        ],
    ),
    (
        Command::Postpone,
        &[
            "can you deliver it later",
            "push back the delivery",
            "hold my package until next week",
            "I won't be home, can it come later",
            "wait a few more days before sending it",
            "put off the shipment for a while",
            "could it arrive later than planned",
            "please hold off on delivering",
        ],
    ),
    (
        Command::Reschedule,
        &[
            "pick another delivery date",
            "can I choose a different time slot",
            "deliver on another day instead",
            "switch my delivery to Friday",
            "set a new date for my delivery",
            "that date doesn't work for me",
            "rebook the delivery appointment",
            "swap the delivery day",
        ],
    ),
    (
        Command::Status,
        &[
            "where is my package",
            "has my order shipped yet",
            "when will my stuff arrive",
            "what's happening with my order",
            "is my parcel on its way",
            "my order hasn't arrived",
            "any update on my delivery",
            "did you send it yet",
        ],
    ),
    (
        Command::Refund,
        &[
            "I want to be paid back",
            "can I get reimbursed",
            "give me a credit for the broken item",
            "reverse the charge on my card",
            "I'd like to send it back for my cash",
            "compensation for a damaged item",
            "how do I get reimbursement",
            "I was charged twice, I want it back",
        ],
    ),
    (
        Command::Help,
        &[
            "what can you do",
            "how does this work",
            "I need assistance",
            "what can I ask you",
            "I'm stuck, what should I type",
            "show me the menu",
            "what are you able to help with",
            "who can help me",
        ],
    ),
];

/// The command words, as the seed lists them in its help.
fn name(command: Command) -> &'static str {
    COMMANDS.iter().find(|(c, _)| *c == command).map_or("help", |(_, aliases)| aliases[0])
}

/// The seed's fallback when no command is found.
pub const FALLBACK: &str = "I didn't understand that. Type 'help' for available commands.";

/// A word of a sentence must be this close to an alias to count as a typo of it.
/// Stricter than the seed's 0.6 for whole messages: single words are short, and at
/// 0.6 "can" would already read as "cancel".
pub const WORD_CUTOFF: f64 = 0.75;
/// Shorter words are only taken when they are an alias exactly.
pub const WORD_MIN_CHARS: usize = 4;

impl Command {
    /// The seed's reply for this command.
    pub fn response(self) -> &'static str {
        match self {
            Command::Cancel => "I can help you cancel your order. Please provide your order number.",
            Command::Postpone => "I'll help you postpone your delivery. When would you like it delivered?",
            Command::Reschedule => "Let me help you reschedule. What's your preferred new date?",
            Command::Status => "I'll check your order status. Please share your order number.",
            Command::Refund => "I can process your refund request. Please provide your order details.",
            Command::Help => "Available commands: cancel, postpone, reschedule, status, refund, help",
        }
    }

    fn of_alias(alias: &str) -> Option<Command> {
        COMMANDS.iter().find(|(_, aliases)| aliases.contains(&alias)).map(|(cmd, _)| *cmd)
    }
}

fn all_aliases() -> Vec<&'static str> {
    COMMANDS.iter().flat_map(|(_, aliases)| aliases.iter().copied()).collect()
}

/// The seed's `find_command`, to the letter.
pub fn seed_find_command(input: &str) -> Option<Command> {
    let input = seed_normalise(input);
    if let Some(cmd) = Command::of_alias(&input) {
        return Some(cmd);
    }
    get_close_matches(&input, &all_aliases(), 1, 0.6).first().and_then(|alias| Command::of_alias(alias))
}

/// The seed's rule, then the best command named (or misspelt) by a word of the message.
/// Among words, an exact alias beats a typo, a closer typo beats a farther one, and
/// the earlier word wins a tie.
pub fn find_command(input: &str) -> Option<Command> {
    seed_find_command(input).or_else(|| find_in_words(input))
}

fn find_in_words(input: &str) -> Option<Command> {
    let aliases = all_aliases();
    let mut best: Option<(f64, Command)> = None;
    for word in words(input) {
        let candidate = if let Some(cmd) = Command::of_alias(&word) {
            Some((1.0, cmd))
        } else if word.chars().count() >= WORD_MIN_CHARS {
            let target = Target::new(&word);
            get_close_matches(&word, &aliases, 1, WORD_CUTOFF)
                .first()
                .and_then(|alias| Command::of_alias(alias).map(|cmd| (target.ratio(alias), cmd)))
        } else {
            None
        };
        if let Some((score, cmd)) = candidate {
            if best.is_none_or(|(best_score, _)| score > best_score) {
                best = Some((score, cmd));
            }
        }
    }
    best.map(|(_, cmd)| cmd)
}

/// The bot's answer to one message (the bot keeps no state between messages),
/// with the seed's rule and the words of the message only.
pub fn reply(input: &str) -> Reply {
    Reply::text(find_command(input).map_or(FALLBACK, Command::response))
}

/// The bot's answer when it may also understand the message ([`PHRASINGS`] through
/// `intents`, semantically once the query has a vector): only where the seed's rule
/// and the words find no command. A message that could mean one of a few commands
/// is asked about, with the commands offered; one that means none gets the seed's fallback.
pub fn reply_understood(query: &Query, intents: &Intents<Command>) -> Reply {
    if let Some(command) = find_command(query.text) {
        return Reply::text(command.response());
    }
    match intents.meaning(query) {
        IntentMeaning::Is(command, _) => Reply::text(command.response()),
        IntentMeaning::OneOf(commands, _) => {
            let names: Vec<String> = commands.iter().map(|c| name(*c).to_string()).collect();
            let list: Vec<String> = names.iter().map(|n| format!("• {}", escape(n))).collect();
            let text = format!("I'm not sure which you need. Did you mean:\n{}", list.join("\n"));
            Reply { messages: vec![ReplyMessage::instant(text).with_suggestions(names)] }
        }
        IntentMeaning::Unknown => Reply::text(FALLBACK),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_examples() {
        assert_eq!(find_command("canel"), Some(Command::Cancel));
        assert_eq!(find_command("  HELP "), Some(Command::Help));
        assert_eq!(find_command("postpne"), Some(Command::Postpone));
        assert_eq!(seed_find_command("cancle order"), None);
        assert_eq!(reply("xyzzy").texts(), [FALLBACK]);
    }

    #[test]
    fn commands_inside_sentences_and_typos_there() {
        assert_eq!(find_command("cancle order"), Some(Command::Cancel));
        assert_eq!(find_command("I want to cancel my order"), Some(Command::Cancel));
        assert_eq!(find_command("can you track it?"), Some(Command::Status));
        assert_eq!(find_command("I'd like my money back please"), Some(Command::Refund));
        assert_eq!(find_command("could you pospone the delivery"), Some(Command::Postpone));
        assert_eq!(find_command("plz reshedule"), Some(Command::Reschedule));
    }

    #[test]
    fn exact_word_beats_typo_and_short_words_need_to_be_exact() {
        // "stopp" is a typo of "stop" (cancel), "track" is exact (status).
        assert_eq!(find_command("stopp or track"), Some(Command::Status));
        assert_eq!(find_command("can you do it"), None);
        assert_eq!(find_command("hello, is anyone there?"), None);
    }

    #[test]
    fn understanding_answers_only_where_the_rules_find_nothing() {
        let intents = Intents::new(&PHRASINGS);
        let ask = |text: &str| reply_understood(&Query::text(text), &intents).texts();
        // The seed's rule and the words decide first, as before.
        for (cmd, aliases) in COMMANDS {
            for alias in aliases {
                assert_eq!(ask(alias), [cmd.response()]);
            }
        }
        assert_eq!(ask("cancle order"), [Command::Cancel.response()]);
        // Then the phrasings, lexically here (no vector).
        assert_eq!(ask("can you hold my parcel until next week?"), [Command::Postpone.response()]);
        assert_eq!(ask("I would like to pick another date"), [Command::Reschedule.response()]);
        assert_eq!(ask("what can you do for me"), [Command::Help.response()]);
        assert_eq!(ask("the weather is lovely today"), [FALLBACK]);
        assert_eq!(ask("xyzzy"), [FALLBACK]);
    }

    #[test]
    fn no_phrasing_is_an_alias_the_seed_already_knows() {
        for (_, phrasings) in PHRASINGS.iter() {
            for phrasing in phrasings.iter() {
                assert_eq!(seed_find_command(phrasing), None, "{phrasing}");
            }
        }
    }

    #[test]
    fn every_reply_is_the_seeds() {
        for (cmd, aliases) in COMMANDS {
            for alias in aliases {
                assert_eq!(reply(alias).texts(), [cmd.response()]);
            }
        }
    }
}
