//! Plays bot replies into a transcript. The timing logic is the engine's pure
//! [`Playhead`]; this module only feeds it real time from `gloo-timers` ticks and
//! applies its events. Measured time (not tick counts) drives it, so a background
//! tab whose timers are throttled catches up instead of falling behind.

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::engine::chat::{Role, Status, Transcript};
use crate::engine::playback::{Event, Playhead, Speed};
use crate::engine::reply::Reply;

/// Interval between two checks of the playhead: short enough for word-by-word text.
const TICK_MS: u32 = 30;

/// The playback of one conversation's replies; one reply plays at a time.
#[derive(Clone, Copy)]
pub struct Player {
    transcript: RwSignal<Transcript>,
    busy: RwSignal<bool>,
    head: StoredValue<Option<Playhead>>,
    /// The message being written, if any.
    open: StoredValue<Option<u64>>,
    /// Bumped whenever a playback ends, so that its timer task stops.
    generation: StoredValue<u64>,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Player {
    pub fn new(transcript: RwSignal<Transcript>) -> Self {
        Self {
            transcript,
            busy: RwSignal::new(false),
            head: StoredValue::new(None),
            open: StoredValue::new(None),
            generation: StoredValue::new(0),
        }
    }

    /// True while a reply is still arriving.
    pub fn busy(self) -> Signal<bool> {
        self.busy.into()
    }

    /// [`Player::busy`] now, without subscribing.
    pub fn is_busy(self) -> bool {
        self.busy.try_get_untracked().unwrap_or(false)
    }

    /// Plays `reply`. Whatever still plays is completed first (never lost, never
    /// interleaved). Instant replies are applied before this returns.
    ///
    /// `speed` must outlive the views (the app owns it): the timer task reads it
    /// after the chat view that started the reply may be gone.
    pub fn play(self, reply: Reply, speed: RwSignal<Speed>, word_by_word: bool) {
        self.skip();
        let mut head = Playhead::new(&reply, word_by_word);
        self.apply(head.advance(0.0, speed.try_get_untracked().unwrap_or_default()));
        if head.is_done() {
            return;
        }
        self.head.set_value(Some(head));
        self.busy.set(true);
        let generation = self.generation.get_value();
        spawn_local(async move {
            let mut last = now_ms();
            loop {
                TimeoutFuture::new(TICK_MS).await;
                if self.generation.try_get_value() != Some(generation) {
                    return; // stopped, skipped, or the app is gone
                }
                let now = now_ms();
                let (events, done) = self
                    .head
                    .try_update_value(|h| {
                        let speed = speed.try_get_untracked().unwrap_or_default();
                        h.as_mut().map(|h| (h.advance(now - last, speed), h.is_done()))
                    })
                    .flatten()
                    .unwrap_or_default();
                last = now;
                self.apply(events);
                if done {
                    self.finish();
                    return;
                }
            }
        });
    }

    /// Shows the rest of the playing reply at once.
    pub fn skip(self) {
        if let Some(mut head) = self.head.try_update_value(Option::take).flatten() {
            self.apply(head.skip());
            self.finish();
        }
    }

    /// Ends the playing reply here; what arrived stays, marked as stopped.
    pub fn stop(self) {
        if let Some(mut head) = self.head.try_update_value(Option::take).flatten() {
            if head.stop() {
                if let Some(id) = self.open.try_update_value(Option::take).flatten() {
                    self.transcript.update(|t| {
                        if let Some(m) = t.get_mut(id) {
                            m.status = Status::Stopped;
                        }
                    });
                }
            }
            self.finish();
        }
    }

    fn finish(self) {
        self.head.set_value(None);
        self.generation.update_value(|g| *g += 1);
        self.busy.set(false);
    }

    fn apply(self, events: Vec<Event>) {
        if events.is_empty() {
            return;
        }
        self.transcript.update(|t| {
            for event in events {
                match event {
                    Event::Open => {
                        let id = t.push(Role::Assistant, "", Status::Streaming);
                        self.open.set_value(Some(id));
                    }
                    Event::Append(text) => {
                        if let Some(m) = self.open.get_value().and_then(|id| t.get_mut(id)) {
                            m.text.push_str(&text);
                        }
                    }
                    Event::Suggest(suggestions) => {
                        if let Some(m) = self.open.get_value().and_then(|id| t.get_mut(id)) {
                            m.suggestions = suggestions;
                        }
                    }
                    Event::Close => {
                        if let Some(m) = self.open.get_value().and_then(|id| t.get_mut(id)) {
                            m.status = Status::Done;
                        }
                        self.open.set_value(None);
                    }
                }
            }
        });
    }
}
