//! The chat view shared by every bot: the log of messages and the composer.
//! It knows a bot only through its `BotInfo` (names, placeholder, avatar).

use leptos::html;
use leptos::prelude::*;

use crate::engine::bots::BotInfo;
use crate::engine::chat::Transcript;
use crate::engine::export;
use crate::engine::playback::Speed;
use crate::ui::composer::Composer;
use crate::ui::message_view::MessageView;
use crate::web::download::download;

/// Pixels from the bottom within which the reader counts as "at the latest message".
const PINNED_SLACK_PX: i32 = 48;

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
    let pinned = RwSignal::new(true);
    let unseen = RwSignal::new(false);
    let scroll_to_end = move || {
        if let Some(log) = log_ref.try_get_untracked().flatten() {
            log.set_scroll_top(log.scroll_height());
        }
    };
    Effect::new(move |_| {
        transcript.track();
        if pinned.get_untracked() {
            // Checked again in the frame: a scroll by the reader (whose event the
            // browser dispatches before animation frames) cancels the follow. By
            // then the view may be gone (another bot opened while a story streams).
            request_animation_frame(move || {
                if pinned.try_get_untracked() == Some(true) {
                    scroll_to_end();
                }
            });
        } else {
            unseen.set(true);
        }
    });
    let on_scroll = move |_| {
        if let Some(log) = log_ref.get_untracked() {
            let near = log.scroll_height() - log.scroll_top() - log.client_height() < PINNED_SLACK_PX;
            pinned.set(near);
            if near {
                unseen.set(false);
            }
        }
    };
    let send = Callback::new(move |text: String| {
        pinned.set(true);
        unseen.set(false);
        on_send.run(text);
    });
    let jump = move |_| {
        pinned.set(true);
        unseen.set(false);
        scroll_to_end();
    };
    let empty = move || transcript.with(Transcript::is_empty);
    view! {
        <main class="chat">
            <div class="log" role="log" aria-label=format!("Conversation with the {} bot", info.name)
                node_ref=log_ref on:scroll=on_scroll>
                <div class="log-inner">
                    <header class="chat-title">
                        <h1>{info.title}</h1>
                        <p>{info.tagline}</p>
                        <Show when=move || !empty()>
                            <div class="conversation-actions">
                                <button type="button" class="link" on:click=move |_| save_as("md")>"Export Markdown"</button>
                                <button type="button" class="link" on:click=move |_| save_as("json")>"Export JSON"</button>
                                <button type="button" class="link" on:click=move |_| confirming.set(true)>"Clear conversation"</button>
                            </div>
                        </Show>
                        <Show when=move || confirming.get()>
                            <div class="confirm" role="alertdialog" aria-label="Clear this conversation?">
                                <span>"Clear this conversation? This cannot be undone; export it first to keep a copy."</span>
                                <button type="button" class="chip danger" on:click=move |_| { confirming.set(false); on_clear.run(()); }>"Clear"</button>
                                <button type="button" class="chip" on:click=move |_| confirming.set(false)>"Keep it"</button>
                            </div>
                        </Show>
                        <p class="composer-hint" role="status">{move || export_problem.get()}</p>
                    </header>
                    <Show when=empty>
                        <div class="examples">
                            <span>"Try:"</span>
                            {info.examples.iter().map(|example| view! {
                                <button type="button" class="chip" on:click=move |_| send.run(example.to_string())>{*example}</button>
                            }).collect_view()}
                        </div>
                    </Show>
                    <For each=move || transcript.with(|t| t.messages.clone())
                        key=|m| (m.id, m.text.len(), m.status) let:message>
                        <MessageView message bot_avatar=info.avatar on_pick=send/>
                    </For>
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
