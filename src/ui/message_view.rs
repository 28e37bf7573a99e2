//! One chat bubble: the equivalent of Streamlit's `st.chat_message(role)`.

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::engine::chat::{Feedback, Message, Role, Status, Transcript};
use crate::engine::markdown::plain_text;
use crate::engine::report::{classify, Said};
use crate::ui::markdown_view::markdown;
use crate::web::clipboard;

const USER_AVATAR: &str = "🧑";

/// The FAQ bot's conversation, provided by the app: its answers can be rated, and the
/// rating is kept with it (saved and exported). Only the FAQ bot writes answers (see
/// [`classify`]), so a message of another bot never reaches it.
#[derive(Clone, Copy)]
pub struct FaqFeedback(pub RwSignal<Transcript>);

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
    let id = message.with_untracked(|m| m.id);
    let rating = use_context::<FaqFeedback>().filter(|_| role == Role::Assistant).map(|target| {
        let is_answer = Memo::new(move |_| text.with(|t| classify(t) == Said::Answer));
        let rateable = move || is_answer.get() && status.get() == Status::Done;
        view! {
            <Show when=rateable>
                <FeedbackButtons target id/>
            </Show>
        }
    });
    view! {
        <div class="msg-group">
            <div class="msg" data-role=role.as_str() data-status=move || status.get().as_str() data-avatar=avatar
                aria-busy=move || if streaming() { "true" } else { "false" }>
                <div class="bubble">{body}</div>
                <Show when=copyable>
                    <CopyButton text/>
                </Show>
            </div>
            {rating}
            {offered}
        </div>
    }
}

/// "Helpful" / "Not helpful" under an FAQ answer: one click rates it, a click on the
/// other changes the rating, a click on the pressed one clears it.
#[component]
fn FeedbackButtons(target: FaqFeedback, id: u64) -> impl IntoView {
    let current = Memo::new(move |_| target.0.with(|t| t.feedback(id)));
    let choose = move |choice: Feedback| {
        let next = if current.get_untracked() == Some(choice) { None } else { Some(choice) };
        target.0.update(|t| {
            // Only an answer of the FAQ conversation is rated (ids are per conversation).
            if t.get(id).is_some_and(|m| classify(&m.text) == Said::Answer) {
                t.set_feedback(id, next);
            }
        });
    };
    let button = move |choice: Feedback, label: &'static str, icon: &'static str| {
        let pressed = move || if current.get() == Some(choice) { "true" } else { "false" };
        view! {
            <button type="button" class="chip rate" data-choice=choice.as_str() aria-pressed=pressed
                on:click=move |_| choose(choice)>
                <span aria-hidden="true">{icon}</span>" "{label}
            </button>
        }
    };
    view! {
        <div class="feedback" role="group" aria-label="Was this answer helpful?">
            {button(Feedback::Helpful, "Helpful", "👍")}
            {button(Feedback::NotHelpful, "Not helpful", "👎")}
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
