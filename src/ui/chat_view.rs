//! The chat view shared by every bot: the log of messages and the composer.
//! It knows a bot only through its `BotInfo` (names, placeholder, avatar).

use std::collections::HashMap;

use leptos::html;
use leptos::prelude::*;

use crate::engine::bots::BotInfo;
use crate::engine::chat::{Message, Role, Status, Transcript};
use crate::engine::export;
use crate::engine::playback::Speed;
use crate::ui::composer::Composer;
use crate::ui::message_view::MessageView;
use crate::ui::understanding::Understanding;
use crate::web::download::download;

/// Pixels from the bottom within which the reader counts as "at the latest message".
const PINNED_SLACK_PX: i32 = 48;
/// Messages the log renders when it opens, and keeps while it follows the
/// conversation: a conversation of thousands of messages lays out only these, so a
/// reply costs the same at the 3,000th question as at the first. Earlier ones are
/// rendered when the reader scrolls up to them (or asks with the button).
const SHOWN: usize = 200;
/// New messages that may pile up above `SHOWN` before the oldest are let go, all at
/// once, so that the top of the log does not change with every message.
const TRIM_STEP: usize = 100;
/// Pixels from the top within which scrolling up renders earlier messages.
const EARLIER_SLACK_PX: i32 = 400;

/// How many of the oldest messages of a `len`-message conversation are left out
/// when the log shows its latest ones.
fn hidden_for(len: usize) -> usize {
    len.saturating_sub(SHOWN)
}

#[component]
pub fn ChatView(
    info: &'static BotInfo,
    transcript: RwSignal<Transcript>,
    draft: RwSignal<String>,
    busy: Signal<bool>,
    on_send: Callback<String>,
    on_stop: Callback<()>,
    on_skip: Callback<()>,
    /// The reader's playback speed, offered for bots whose replies stream.
    speed: RwSignal<Speed>,
    /// Suggestions for a draft, for bots that offer them while the user types.
    suggest: Option<Callback<String, Vec<String>>>,
    /// Empties the conversation (after the user confirmed).
    on_clear: Callback<()>,
) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let export_problem = RwSignal::new(None::<String>);
    // Exports read the whole transcript, not the part the log renders.
    let save_as = move |extension: &'static str| {
        let (text, mime) = transcript.with_untracked(|t| match extension {
            "json" => (export::to_json(info.name, t), "application/json"),
            _ => (export::to_markdown(info.name, t), "text/markdown"),
        });
        let result = download(&format!("chatdeck-{}.{extension}", info.slug), mime, &text);
        export_problem.set(result.err().map(|why| format!("The export failed: {why}.")));
    };
    let log_ref = NodeRef::<html::Div>::new();
    // Follow new messages only while the reader is at the bottom; otherwise offer a jump.
    // The log's `data-following` says which (tests wait on it).
    let pinned = RwSignal::new(true);
    let unseen = RwSignal::new(false);
    // The oldest messages that are not rendered (see SHOWN).
    let hidden = RwSignal::new(transcript.with_untracked(|t| hidden_for(t.len())));
    // Where the view itself last scrolled the log. The browser reports a scroll one
    // frame later, and by then more messages may have arrived: measured against them,
    // the log's own scroll to the end would look like the reader leaving the bottom
    // (that stopped the follow when replies came quickly). Only a scroll to another
    // place is the reader's.
    let own_top = StoredValue::new(None::<i32>);
    let scroll_to_end = move || {
        if let Some(log) = log_ref.try_get_untracked().flatten() {
            log.set_scroll_top(log.scroll_height());
            own_top.set_value(Some(log.scroll_top()));
        }
    };
    let follow_in_next_frame = move || {
        // Checked again in the frame: a scroll by the reader (whose event the
        // browser dispatches before animation frames) cancels the follow. By
        // then the view may be gone (another bot opened while a story streams).
        request_animation_frame(move || {
            if pinned.try_get_untracked() == Some(true) {
                scroll_to_end();
            }
        });
    };
    Effect::new(move |_| {
        let len = transcript.with(Transcript::len);
        let left_out = hidden.get_untracked();
        if len < left_out {
            // Cleared, or replaced by a shorter conversation.
            hidden.set(hidden_for(len));
        } else if pinned.get_untracked() && len - left_out > SHOWN + TRIM_STEP {
            hidden.set(hidden_for(len));
        }
        if pinned.get_untracked() {
            follow_in_next_frame();
        } else {
            unseen.set(true);
        }
    });
    // The reader is shown earlier messages where they are reading: the log keeps its
    // distance from the bottom while they are added above.
    // One batch at a time: more scrolling of the same gesture waits for the first.
    let adding_earlier = StoredValue::new(false);
    let show_earlier = move || {
        let Some(log) = log_ref.get_untracked() else { return };
        if hidden.get_untracked() == 0 || adding_earlier.get_value() {
            return;
        }
        adding_earlier.set_value(true);
        let from_bottom = log.scroll_height() - log.scroll_top();
        hidden.update(|h| *h = h.saturating_sub(SHOWN));
        request_animation_frame(move || {
            let _ = adding_earlier.try_set_value(false);
            if let Some(log) = log_ref.try_get_untracked().flatten() {
                log.set_scroll_top(log.scroll_height() - from_bottom);
                let _ = own_top.try_set_value(Some(log.scroll_top()));
            }
        });
    };
    let on_scroll = move |_| {
        let Some(log) = log_ref.get_untracked() else { return };
        let top = log.scroll_top();
        if own_top.get_value() == Some(top) {
            return;
        }
        own_top.set_value(None);
        let near = log.scroll_height() - top - log.client_height() < PINNED_SLACK_PX;
        pinned.set(near);
        if near {
            unseen.set(false);
        } else if top < EARLIER_SLACK_PX {
            show_earlier();
        }
    };
    // A smaller log (a phone keyboard opening) must not hide the latest message.
    let resized = window_event_listener(leptos::ev::resize, move |_| {
        if pinned.try_get_untracked() == Some(true) {
            scroll_to_end();
        }
    });
    on_cleanup(move || resized.remove());
    let send = Callback::new(move |text: String| {
        pinned.set(true);
        unseen.set(false);
        // At the end at once, not only in the next frame: a scroll the browser has not
        // reported yet (a flick up just before Enter) is reported then, and its handler
        // reads where the log is by then. Left where the reader flicked it, it would
        // count as the reader leaving the bottom, and stop the follow this send asks for.
        scroll_to_end();
        on_send.run(text);
    });
    let jump = move |_| {
        pinned.set(true);
        unseen.set(false);
        let len = transcript.with_untracked(Transcript::len);
        if len - hidden.get_untracked().min(len) > SHOWN + TRIM_STEP {
            hidden.set(hidden_for(len));
        }
        scroll_to_end();
        follow_in_next_frame();
    };
    // The rendered rows: the latest messages, keyed by id (and role, which a row
    // never changes). Ids increase along a transcript; one that does not (only
    // hand-edited storage has such) is skipped rather than given a second row.
    let rows = Memo::new(move |_| {
        let from = hidden.get();
        transcript.with(|t| {
            let mut last = None;
            t.messages[from.min(t.len())..]
                .iter()
                .filter(|m| {
                    let new = last.is_none_or(|last| m.id > last);
                    if new {
                        last = Some(m.id);
                    }
                    new
                })
                .map(|m| (m.id, m.role))
                .collect::<Vec<_>>()
        })
    });
    // Each row's message is a signal of its own, set only when that message changed
    // (a word streamed into it, a transcript replaced by another tab's): comparing the
    // rendered messages is plain Rust, and only the changed row updates its DOM.
    let live = StoredValue::new(HashMap::<u64, RwSignal<Message>>::new());
    Effect::new(move |_| {
        let changed: Vec<(RwSignal<Message>, Message)> = transcript.with(|t| {
            live.with_value(|live| {
                live.iter()
                    .filter_map(|(id, row)| {
                        let m = t.get(*id)?;
                        row.with_untracked(|shown| shown != m).then(|| (*row, m.clone()))
                    })
                    .collect()
            })
        });
        for (row, m) in changed {
            row.set(m);
        }
    });
    let row = move |(id, role): (u64, Role)| {
        let current = transcript.with_untracked(|t| t.get(id).cloned());
        let message = RwSignal::new(current.unwrap_or_else(|| Message {
            id,
            role,
            text: String::new(),
            status: Status::Done,
            suggestions: Vec::new(),
        }));
        live.update_value(|live| {
            live.insert(id, message);
        });
        on_cleanup(move || {
            // A row of the same id may have replaced this one already.
            let _ = live.try_update_value(|live| {
                if live.get(&id) == Some(&message) {
                    live.remove(&id);
                }
            });
        });
        view! { <MessageView message=message.read_only() role bot_avatar=info.avatar on_pick=send/> }
    };
    let empty = move || transcript.with(Transcript::is_empty);
    // Which tier answers the next question, for tests and the curious.
    let understanding = use_context::<Understanding>();
    let tier = move || understanding.map(|u| u.tier(info.id));
    // Busy while a question waits for its vector (a few ms), so that nobody reads the
    // log as complete just before the answer lands.
    let answering = move || understanding.is_some_and(|u| u.answering(info.id)).then_some("true");
    view! {
        <main class="chat">
            // Above the log, not in it: in a long conversation, scrolling up to them
            // would render earlier messages above the reader's place and move them away.
            <Show when=move || !empty()>
                <section class="conversation-bar" aria-label="This conversation">
                    <div class="conversation-actions">
                        <button type="button" class="link" on:click=move |_| save_as("md")>"Export Markdown"</button>
                        <button type="button" class="link" on:click=move |_| save_as("json")>"Export JSON"</button>
                        <button type="button" class="link" on:click=move |_| confirming.set(true)>"Clear conversation"</button>
                    </div>
                    <Show when=move || confirming.get()>
                        <div class="confirm" role="alertdialog" aria-label="Clear this conversation?">
                            <span>"Clear this conversation? This cannot be undone; export it first to keep a copy."</span>
                            <button type="button" class="chip danger" on:click=move |_| { confirming.set(false); on_clear.run(()); }>"Clear"</button>
                            <button type="button" class="chip" on:click=move |_| confirming.set(false)>"Keep it"</button>
                        </div>
                    </Show>
                    <p class="composer-hint" role="status">{move || export_problem.get()}</p>
                </section>
            </Show>
            <div class="log" role="log" aria-label=format!("Conversation with the {} bot", info.name)
                data-understanding=tier aria-busy=answering node_ref=log_ref on:scroll=on_scroll
                data-following=move || if pinned.get() { "true" } else { "false" }>
                <div class="log-inner">
                    <header class="chat-title">
                        <h1>{info.title}</h1>
                        <p>{info.tagline}</p>
                    </header>
                    <Show when=empty>
                        <div class="examples">
                            <span>"Try:"</span>
                            {info.examples.iter().map(|example| view! {
                                <button type="button" class="chip" on:click=move |_| send.run(example.to_string())>{*example}</button>
                            }).collect_view()}
                        </div>
                    </Show>
                    <Show when=move || hidden.get() != 0>
                        <button type="button" class="link earlier" on:click=move |_| show_earlier()>
                            {move || {
                                let n = hidden.get().min(SHOWN);
                                if n == 1 { "Show 1 earlier message".to_string() } else { format!("Show {n} earlier messages") }
                            }}
                        </button>
                    </Show>
                    <For each=move || rows.get() key=|row| *row children=row/>
                </div>
            </div>
            <Show when=move || unseen.get()>
                <button type="button" class="jump" on:click=jump>"Jump to latest ↓"</button>
            </Show>
            <Show when=move || info.streams>
                <div class="playback">
                    <Show when=move || busy.get()>
                        <span class="playback-live">"Telling…"</span>
                        <button type="button" class="chip" on:click=move |_| on_skip.run(())>"Skip to the end"</button>
                    </Show>
                    <div class="speed" role="radiogroup" aria-label="Story speed">
                        <span aria-hidden="true">"Speed"</span>
                        {Speed::ALL.into_iter().map(|s| view! {
                            <button type="button" role="radio" class="speed-option"
                                aria-checked=move || if speed.get() == s { "true" } else { "false" }
                                on:click=move |_| speed.set(s)>{s.label()}</button>
                        }).collect_view()}
                    </div>
                </div>
            </Show>
            <Composer placeholder=info.placeholder label=format!("Message the {} bot", info.name)
                draft busy on_send=send on_stop suggest/>
        </main>
    }
}
