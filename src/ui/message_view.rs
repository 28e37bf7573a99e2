//! One chat bubble: the equivalent of Streamlit's `st.chat_message(role)`.

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::engine::chat::{Message, Role, Status};
use crate::engine::markdown::plain_text;
use crate::ui::markdown_view::markdown;
use crate::web::clipboard;

const USER_AVATAR: &str = "🧑";

/// One message with its avatar; assistant messages render Markdown and can be copied.
///
/// The message is a signal of its own (the chat view sets it only when that message
/// changed), and the view reads it through memos: a streamed word changes a text node
/// of this message, and nothing of the others.
///
/// The element carrying `data-role` holds the message text and nothing else that is
/// text (the avatar is drawn by CSS from `data-avatar`, the copy button is an icon
/// with an `aria-label`), so tests and assistive technology read the message itself.
#[component]
pub fn MessageView(
    message: ReadSignal<Message>,
    /// The message's role: part of the row's key, so it never changes for a view.
    role: Role,
    bot_avatar: &'static str,
    /// Sends a suggestion the message offers, as if typed.
    on_pick: Callback<String>,
) -> impl IntoView {
    let text = Memo::new(move |_| message.with(|m| m.text.clone()));
    let status = Memo::new(move |_| message.with(|m| m.status));
    let suggestions = Memo::new(move |_| message.with(|m| m.suggestions.clone()));
    let avatar = match role {
        Role::User => USER_AVATAR,
        Role::Assistant => bot_avatar,
    };
    let body = match role {
        Role::User => view! { <p class="plain">{move || text.get()}</p> }.into_any(),
        Role::Assistant => markdown(text.into()).into_any(),
    };
    let copyable = move || role == Role::Assistant && status.get() != Status::Streaming;
    let offered = move || {
        suggestions.with(|offered| {
            (!offered.is_empty()).then(|| {
                view! {
                    <div class="suggestions" role="group" aria-label="Suggested follow-ups">
                        {offered.iter().map(|s| {
                            let (label, sent) = (s.clone(), s.clone());
                            view! { <button type="button" class="chip" on:click=move |_| on_pick.run(sent.clone())>{label}</button> }
                        }).collect_view()}
                    </div>
                }
            })
        })
    };
    let streaming = move || status.get() == Status::Streaming;
    view! {
        <div class="msg-group">
            <div class="msg" data-role=role.as_str() data-status=move || status.get().as_str() data-avatar=avatar
                aria-busy=move || if streaming() { "true" } else { "false" }>
                <div class="bubble">{body}</div>
                <Show when=copyable>
                    <CopyButton text/>
                </Show>
            </div>
            {offered}
        </div>
    }
}

/// Copies a message's text, and says so for a moment.
#[component]
fn CopyButton(text: Memo<String>) -> impl IntoView {
    let state = RwSignal::new(CopyState::Idle);
    let on_click = move |_| {
        // The message may leave the page (another bot opened, the chat cleared)
        // while this waits: then there is nothing left to update.
        spawn_local(async move {
            let Some(text) = text.try_with_untracked(|t| plain_text(t)) else { return };
            let result = clipboard::copy(&text).await;
            let _ = state.try_set(if result.is_ok() { CopyState::Copied } else { CopyState::Failed });
            TimeoutFuture::new(1_800).await;
            let _ = state.try_set(CopyState::Idle);
        });
    };
    view! {
        <button type="button" class="copy" on:click=on_click
            data-state=move || state.get().as_str()
            aria-label=move || state.get().label() title=move || state.get().label()>
            <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
                <rect x="9" y="9" width="11" height="11" rx="2" fill="none" stroke="currentColor" stroke-width="2"/>
                <path d="M5 15V6a2 2 0 0 1 2-2h9" fill="none" stroke="currentColor" stroke-width="2"/>
            </svg>
        </button>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum CopyState {
    Idle,
    Copied,
    Failed,
}

impl CopyState {
    fn as_str(self) -> &'static str {
        match self {
            CopyState::Idle => "idle",
            CopyState::Copied => "copied",
            CopyState::Failed => "failed",
        }
    }

    fn label(self) -> &'static str {
        match self {
            CopyState::Idle => "Copy message",
            CopyState::Copied => "Copied",
            CopyState::Failed => "Copy failed: the browser did not allow it",
        }
    }
}
