//! The storyteller (Topic 10.3): a theme in, an intro message and a story streamed
//! segment by segment out, 3 s apart as in the seed.
//!
//! Stories come from a library (`public/stories.json`, validated here) whose first
//! story of each theme is the seed's; the seed's own five stories are built in, so
//! the bot tells them even when the library cannot be loaded. Better than the seed:
//! themes are found in sentences and through typos ("a spce adventure please"), and
//! "one more" tells a story of the same theme not told yet in this conversation.
//!
//! ```
//! use chatdeck::engine::bots::story::{reply, Library, StoryState};
//! let mut state = StoryState::default();
//! let texts = reply(&mut state, &Library::seed(), "mystery").texts();
//! assert_eq!(texts[0], "Let me tell you a mystery story...");
//! assert!(texts[1].starts_with("Detective Chen examined the locked room"));
//! ```

use serde::{Deserialize, Serialize};

use crate::engine::fuzzy::ratio;
use crate::engine::reply::{Reply, ReplyMessage, Segment};
use crate::engine::text::{seed_normalise, words};

/// The seed's `time.sleep(3)` between segments.
pub const SEGMENT_PAUSE_MS: u32 = 3000;
/// How close a word must be to a theme keyword to count as a typo of it.
const KEYWORD_CUTOFF: f64 = 0.8;
/// A prompt longer than this is not repeated in the intro of the default story.
const MAX_ECHO_CHARS: usize = 40;
const MORE_PHRASES: &[&str] = &[
    "another",
    "another one",
    "another story",
    "one more",
    "one more story",
    "more",
    "again",
    "next",
    "tell me another",
    "tell me another one",
    "just one more",
    "just one more story",
    "another please",
    "one more please",
];

/// A story: a title (for the library's authors) and its segments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Story {
    pub title: String,
    pub segments: Vec<String>,
}

/// A theme and the words that name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    pub name: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub stories: Vec<Story>,
}

/// All stories the bot can tell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Library {
    pub themes: Vec<Theme>,
    pub default_stories: Vec<Story>,
}

/// What the storyteller remembers: the last theme and the stories already told.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryState {
    /// Name of the last theme told, "" for the default stories.
    #[serde(default)]
    pub last_theme: Option<String>,
    /// `theme/title` of every story told in this conversation.
    #[serde(default)]
    pub told: Vec<String>,
}

fn story(title: &str, segments: [&str; 4]) -> Story {
    Story { title: title.into(), segments: segments.iter().map(|s| s.to_string()).collect() }
}

impl Library {
    /// The seed's stories, word for word.
    pub fn seed() -> Self {
        let theme = |name: &str, title: &str, segments| Theme {
            name: name.into(),
            keywords: Vec::new(),
            stories: vec![story(title, segments)],
        };
        Library {
            themes: vec![
                theme("space adventure", "The Crystal Planet", [
                    "Captain Maya adjusted her helmet as the spaceship approached the mysterious planet.",
                    "The surface was covered in crystalline structures that pulsed with an eerie blue light.",
                    "As she stepped out of the airlock, the ground beneath her feet hummed with energy.",
                    "Suddenly, one of the crystals began to glow brighter, revealing an ancient message.",
                ]),
                theme("mystery", "The Locked Room", [
                    "Detective Chen examined the locked room where the victim was found.",
                    "There were no signs of forced entry, yet the window was open to the rain.",
                    "On the desk lay a half-finished letter with just two words: 'Trust nobody.'",
                    "As thunder rolled overhead, Chen noticed something strange about the bookshelf.",
                ]),
                theme("fantasy", "The Wizard's Tower", [
                    "The old wizard's tower stood crooked against the stormy sky.",
                    "Elara clutched her staff tighter as she climbed the winding stone steps.",
                    "Each door she passed was marked with glowing runes that whispered secrets.",
                    "At the top, she found not a wizard, but a dragon reading an ancient book.",
                ]),
                theme("magical animals", "Luna the Unicorn", [
                    "In the heart of the Enchanted Forest, a shimmering unicorn named Luna appeared.",
                    "Her mane sparkled with the colors of the rainbow, and she spoke in a gentle, musical voice.",
                    "Luna invited the young adventurer to follow her to a hidden glade filled with talking animals.",
                    "Together, they solved riddles, discovered magical treasures, and made friends that would last a lifetime.",
                ]),
            ],
            default_stories: vec![story("A Great Adventure", [
                "Once upon a time, in a place far from here, something unusual happened.",
                "The main character faced a challenge they had never encountered before.",
                "With determination and courage, they began their journey.",
                "And that's how their greatest adventure began.",
            ])],
        }
    }

    /// Reads and validates a library; the error says what to fix.
    pub fn from_json(bytes: &[u8]) -> Result<Self, String> {
        // As text first: the app parses all its JSON from `&str`, so that one copy of
        // serde_json's reader is compiled into the wasm instead of two.
        let text = std::str::from_utf8(bytes)
            .map_err(|_| "it is not a valid story library (it is not UTF-8 text)".to_string())?;
        let library: Library =
            serde_json::from_str(text).map_err(|e| format!("it is not a valid story library ({e})"))?;
        library.validate()?;
        Ok(library)
    }

    fn validate(&self) -> Result<(), String> {
        if self.default_stories.is_empty() {
            return Err("it has no default stories".into());
        }
        for theme in &self.themes {
            if theme.name.trim().is_empty() {
                return Err("a theme has no name".into());
            }
            if theme.stories.is_empty() {
                return Err(format!("the theme \"{}\" has no stories", theme.name));
            }
        }
        let stories = self.themes.iter().flat_map(|t| t.stories.iter().map(move |s| (t.name.as_str(), s)));
        for (theme, story) in stories.chain(self.default_stories.iter().map(|s| ("default", s))) {
            if story.segments.is_empty() || story.segments.iter().any(|s| s.trim().is_empty()) {
                return Err(format!("the {theme} story \"{}\" has an empty segment or none", story.title));
            }
        }
        Ok(())
    }

    fn theme(&self, name: &str) -> Option<&Theme> {
        self.themes.iter().find(|t| t.name == name)
    }
}

/// The theme a prompt asks for: the seed's exact lookup first, then the theme
/// whose name or keywords the prompt's words match best (typos allowed).
pub fn match_theme<'a>(library: &'a Library, prompt: &str) -> Option<&'a Theme> {
    let exact = seed_normalise(prompt);
    if let Some(theme) = library.themes.iter().find(|t| t.name == exact) {
        return Some(theme);
    }
    let prompt_words = words(prompt);
    let mut best: Option<(f64, &Theme)> = None;
    for theme in &library.themes {
        let keywords: Vec<String> =
            theme.name.split_whitespace().map(str::to_string).chain(theme.keywords.iter().cloned()).collect();
        let score: f64 = prompt_words
            .iter()
            .filter(|w| w.chars().count() >= 3)
            .map(|w| {
                keywords
                    .iter()
                    .map(|k| if *w == *k { 1.0 } else { ratio(w, k) })
                    .filter(|&r| r >= KEYWORD_CUTOFF)
                    .fold(0.0, f64::max)
            })
            .sum();
        if score > 0.0 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, theme));
        }
    }
    best.map(|(_, theme)| theme)
}

fn is_more_request(prompt: &str) -> bool {
    let p = seed_normalise(prompt);
    let p = p.trim_end_matches(['!', '.', '?']);
    MORE_PHRASES.contains(&p)
}

fn key(theme: &str, story: &Story) -> String {
    format!("{theme}/{}", story.title)
}

/// The first story of `stories` not told yet; all told: the first again, and say so.
fn pick<'a>(state: &mut StoryState, theme: &str, stories: &'a [Story]) -> Option<(&'a Story, bool)> {
    let fresh = stories.iter().find(|s| !state.told.contains(&key(theme, s)));
    let (story, repeat) = match fresh {
        Some(s) => (s, false),
        None => {
            state.told.retain(|k| !k.starts_with(&format!("{theme}/")));
            (stories.first()?, true)
        }
    };
    state.told.push(key(theme, story));
    state.last_theme = Some(theme.to_string());
    Some((story, repeat))
}

/// The streamed story message: the seed yields `part + "\n\n"` and sleeps 3 s after each.
fn streamed(story: &Story) -> ReplyMessage {
    ReplyMessage {
        suggestions: Vec::new(),
        segments: story
            .segments
            .iter()
            .enumerate()
            .map(|(i, part)| Segment {
                delay_ms: if i == 0 { 0 } else { SEGMENT_PAUSE_MS },
                text: format!("{part}\n\n"),
            })
            .collect(),
    }
}

/// The intro line: the seed's `Let me tell you a {prompt} story...`, naming the theme
/// when the prompt was a sentence around it.
fn intro(prompt: &str, theme: Option<&Theme>) -> String {
    let asked = prompt.trim();
    let named = match theme {
        Some(t) if seed_normalise(asked) != t.name => t.name.as_str(),
        _ => asked,
    };
    if named.chars().count() > MAX_ECHO_CHARS || named.contains(['\n', '*']) {
        "Let me tell you a story...".to_string()
    } else {
        format!("Let me tell you a {named} story...")
    }
}

/// The bot's answer to one message; remembers the theme and the stories told.
pub fn reply(state: &mut StoryState, library: &Library, prompt: &str) -> Reply {
    let (theme_name, intro_text, stories) = if is_more_request(prompt) && state.last_theme.is_some() {
        let last = state.last_theme.clone().unwrap_or_default();
        match library.theme(&last) {
            Some(theme) => (last.clone(), format!("Here's another {last} story..."), theme.stories.as_slice()),
            None => (String::new(), "Here's another story...".to_string(), library.default_stories.as_slice()),
        }
    } else {
        match match_theme(library, prompt) {
            Some(theme) => (theme.name.clone(), intro(prompt, Some(theme)), theme.stories.as_slice()),
            None => (String::new(), intro(prompt, None), library.default_stories.as_slice()),
        }
    };
    let Some((story, repeat)) = pick(state, &theme_name, stories) else {
        return Reply::text("I'm out of stories right now. Please try another theme.");
    };
    let intro_text = if repeat {
        let which = if theme_name.is_empty() { String::new() } else { format!("{theme_name} ") };
        format!("That's every {which}story I know! Here's the first one again...")
    } else {
        intro_text
    };
    Reply { messages: vec![ReplyMessage::instant(intro_text), streamed(story)] }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library() -> Library {
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/public/stories.json")).unwrap_or_default();
        Library::from_json(&bytes).unwrap_or_else(|e| panic!("public/stories.json: {e}"))
    }

    #[test]
    fn the_library_starts_each_theme_with_the_seeds_story() {
        let (seed, library) = (Library::seed(), library());
        for theme in &seed.themes {
            let loaded = library.theme(&theme.name).unwrap_or_else(|| panic!("theme {}", theme.name));
            assert_eq!(loaded.stories[0], theme.stories[0]);
            assert!(loaded.stories.len() >= 3, "several stories per theme");
        }
        assert_eq!(library.default_stories[0], seed.default_stories[0]);
    }

    #[test]
    fn seed_reply_shape_and_pacing() {
        let mut state = StoryState::default();
        let reply = reply(&mut state, &Library::seed(), "fantasy");
        assert_eq!(reply.messages.len(), 2);
        assert!(reply.messages[0].is_instant());
        let delays: Vec<u32> = reply.messages[1].segments.iter().map(|s| s.delay_ms).collect();
        assert_eq!(delays, [0, 3000, 3000, 3000]);
        assert!(reply.messages[1].segments.iter().all(|s| s.text.ends_with(".\n\n")));
        let mut state = StoryState::default();
        let texts = super::reply(&mut state, &Library::seed(), "pirates").texts();
        assert_eq!(texts[0], "Let me tell you a pirates story...");
        assert!(texts[1].starts_with("Once upon a time, in a place far from here"));
    }

    #[test]
    fn themes_in_sentences_and_with_typos() {
        let library = library();
        let name = |p: &str| match_theme(&library, p).map(|t| t.name.as_str());
        assert_eq!(name("Space Adventure"), Some("space adventure"));
        assert_eq!(name("a spce adventure please"), Some("space adventure"));
        assert_eq!(name("tell me a mystery"), Some("mystery"));
        assert_eq!(name("something with a dragn and a wizard"), Some("fantasy"));
        assert_eq!(name("a unicorn story"), Some("magical animals"));
        assert_eq!(name("pirates"), None);
        assert_eq!(name("a"), None);
        let mut state = StoryState::default();
        assert_eq!(reply(&mut state, &library, "tell me a mystery").texts()[0], "Let me tell you a mystery story...");
    }

    #[test]
    fn one_more_tells_untold_stories_then_says_it_repeats() {
        let library = library();
        let mut state = StoryState::default();
        let first = reply(&mut state, &library, "mystery").texts()[1].clone();
        let second = reply(&mut state, &library, "one more").texts();
        let third = reply(&mut state, &library, "Another one!").texts();
        assert_eq!(second[0], "Here's another mystery story...");
        assert!(first != second[1] && second[1] != third[1] && first != third[1]);
        let fourth = reply(&mut state, &library, "one more").texts();
        assert_eq!(fourth[0], "That's every mystery story I know! Here's the first one again...");
        assert_eq!(fourth[1], first);
    }

    #[test]
    fn malformed_libraries_are_explained() {
        assert!(Library::from_json(b"{").is_err_and(|e| e.contains("not a valid story library")));
        let latin1 = Library::from_json(b"{\"themes\":{\"caf\xe9\":[]}}").err();
        assert_eq!(latin1.as_deref(), Some("it is not a valid story library (it is not UTF-8 text)"));
        let empty_theme =
            br#"{"themes":[{"name":"x","stories":[]}],"default_stories":[{"title":"d","segments":["a"]}]}"#;
        assert_eq!(Library::from_json(empty_theme).err().as_deref(), Some("the theme \"x\" has no stories"));
        let blank = br#"{"themes":[],"default_stories":[{"title":"d","segments":[" "]}]}"#;
        assert!(Library::from_json(blank).is_err_and(|e| e.contains("empty segment")));
    }

    #[test]
    fn long_or_marked_up_prompts_are_not_echoed() {
        let mut state = StoryState::default();
        let long = "x".repeat(200);
        assert_eq!(reply(&mut state, &Library::seed(), &long).texts()[0], "Let me tell you a story...");
    }
}
