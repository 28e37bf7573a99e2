//! The message input fixed at the bottom: the equivalent of `st.chat_input`.
//! Enter sends, Shift+Enter starts a new line; blank drafts are ignored and an
//! over-long one stays in the box with an explanation. While a reply streams, the
//! send button becomes Stop (Esc too); sending then completes the reply first.

use leptos::prelude::*;
use web_sys::KeyboardEvent;

use crate::engine::input::{check_draft, MAX_MESSAGE_CHARS};

/// From this length on, the composer shows how many characters are left.
const SHOW_COUNT_FROM: usize = MAX_MESSAGE_CHARS * 4 / 5;
/// Drafts longer than this are not questions to complete.
const MAX_SUGGEST_DRAFT: usize = 300;

#[component]
pub fn Composer(
    placeholder: &'static str,
    label: String,
    /// The draft lives with the conversation, so switching bots keeps it.
    draft: RwSignal<String>,
    busy: Signal<bool>,
    on_send: Callback<String>,
    on_stop: Callback<()>,
    /// Questions matching the draft, offered under the input (keyboard navigable).
    suggest: Option<Callback<String, Vec<String>>>,
) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    // Suggestions: recomputed as the draft changes (the engine answers in well under
    // a frame); Escape hides them until the next keystroke.
    let hidden = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let suggestions = Memo::new(move |_| match suggest {
        Some(suggest) if !hidden.get() => {
            draft.with(|d| if d.len() > MAX_SUGGEST_DRAFT { Vec::new() } else { suggest.run(d.clone()) })
        }
        _ => Vec::new(),
    });
    let pick = move |question: String| {
        draft.set(String::new());
        active.set(None);
        problem.set(None);
        on_send.run(question);
    };
    let submit = move || {
        let text = draft.get_untracked();
        match check_draft(&text) {
            Ok(()) => {
                draft.set(String::new());
                problem.set(None);
                on_send.run(text.trim().to_string());
            }
            Err(p) => problem.set(p.explain()),
        }
    };
    let on_keydown = move |ev: KeyboardEvent| {
        let offered = suggestions.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" if offered > 0 => {
                ev.prevent_default();
                let down = ev.key() == "ArrowDown";
                active.update(|a| {
                    *a = match (*a, down) {
                        (None, true) => Some(0),
                        (None, false) => Some(offered - 1),
                        (Some(i), true) => Some((i + 1) % offered),
                        (Some(i), false) => Some((i + offered - 1) % offered),
                    }
                });
            }
            "Enter" if !ev.shift_key() && !ev.is_composing() => {
                ev.prevent_default();
                let chosen = active.get_untracked().and_then(|i| suggestions.with_untracked(|s| s.get(i).cloned()));
                match chosen {
                    Some(question) => pick(question),
                    None => submit(),
                }
            }
            "Escape" if offered > 0 => {
                ev.prevent_default();
                hidden.set(true);
                active.set(None);
            }
            "Escape" if busy.get_untracked() => {
                ev.prevent_default();
                on_stop.run(());
            }
            _ => {}
        }
    };
    let count = move || draft.with(|d| (d.len() >= SHOW_COUNT_FROM).then(|| d.chars().count()));
    let over = move || count().is_some_and(|c| c > MAX_MESSAGE_CHARS);
    view! {
        <form class="composer" on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <Show when=move || suggestions.with(|s| !s.is_empty())>
                <ul id="composer-suggestions" class="typeahead" role="listbox" aria-label="Matching questions">
                    {move || suggestions.get().into_iter().enumerate().map(|(i, question)| {
                        let chosen = question.clone();
                        view! {
                            <li id=format!("composer-suggestion-{i}") role="option"
                                aria-selected=move || if active.get() == Some(i) { "true" } else { "false" }
                                on:mousedown=move |ev| { ev.prevent_default(); pick(chosen.clone()); }>
                                {question}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
            <div class="composer-row">
                <textarea rows="1" placeholder=placeholder aria-label=label
                    aria-invalid=move || if over() { "true" } else { "false" }
                    aria-describedby="composer-hint"
                    prop:value=move || draft.get()
                    on:input=move |ev| {
                        draft.set(event_target_value(&ev));
                        problem.set(None);
                        hidden.set(false);
                        active.set(None);
                    }
                    aria-autocomplete=suggest.map(|_| "list")
                    aria-controls=suggest.map(|_| "composer-suggestions")
                    aria-activedescendant=move || active.get().map(|i| format!("composer-suggestion-{i}"))
                    on:keydown=on_keydown></textarea>
                <Show when=move || busy.get() fallback=|| view! {
                    <button type="submit" class="send" aria-label="Send">
                        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
                            <path d="M3 20.5 21 12 3 3.5l2.5 7L15 12l-9.5 1.5z" fill="currentColor"/>
                        </svg>
                    </button>
                }>
                    <button type="button" class="send stop" aria-label="Stop" title="Stop (Esc)"
                        on:click=move |_| on_stop.run(())>
                        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
                            <rect x="6" y="6" width="12" height="12" rx="2" fill="currentColor"/>
                        </svg>
                    </button>
                </Show>
            </div>
            <p id="composer-hint" class="composer-hint" aria-live="polite">
                {move || problem.get()}
                {move || count().map(|c| format!(" {c} / {MAX_MESSAGE_CHARS}"))}
            </p>
        </form>
    }
}
