//! The message input fixed at the bottom: the equivalent of `st.chat_input`.
//! Enter sends, Shift+Enter starts a new line; blank drafts are ignored and an
//! over-long one stays in the box with an explanation. While a reply streams, the
//! send button becomes Stop (Esc too); sending then completes the reply first.

use leptos::prelude::*;
use web_sys::KeyboardEvent;

use crate::engine::input::{check_draft, MAX_MESSAGE_CHARS};

/// From this length on, the composer shows how many characters are left.
const SHOW_COUNT_FROM: usize = MAX_MESSAGE_CHARS * 4 / 5;

#[component]
pub fn Composer(
    placeholder: &'static str,
    label: String,
    /// The draft lives with the conversation, so switching bots keeps it.
    draft: RwSignal<String>,
    busy: Signal<bool>,
    on_send: Callback<String>,
    on_stop: Callback<()>,
) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
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
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            submit();
        } else if ev.key() == "Escape" && busy.get_untracked() {
            ev.prevent_default();
            on_stop.run(());
        }
    };
    let count = move || draft.with(|d| (d.len() >= SHOW_COUNT_FROM).then(|| d.chars().count()));
    let over = move || count().is_some_and(|c| c > MAX_MESSAGE_CHARS);
    view! {
        <form class="composer" on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <div class="composer-row">
                <textarea rows="1" placeholder=placeholder aria-label=label
                    aria-invalid=move || if over() { "true" } else { "false" }
                    aria-describedby="composer-hint"
                    prop:value=move || draft.get()
                    on:input=move |ev| { draft.set(event_target_value(&ev)); problem.set(None); }
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
