//! Messages about the app itself (storage trouble, unreadable saved data, a new
//! version ready), shown above the chat until dismissed; a notice may offer actions,
//! or ask a question the app waits for ([`Notices::ask`]).

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::web::{fetch, storage};

/// One notice, optionally with actions ("Reload", or "Use it" and "Don't use it").
#[derive(Clone)]
pub struct Notice {
    id: u32,
    text: String,
    actions: Vec<(&'static str, Callback<()>)>,
    /// Runs when the reader dismisses the notice with ×.
    on_dismiss: Option<Callback<()>>,
}

/// The list of notices; any component may push to it.
#[derive(Clone, Copy)]
pub struct Notices(RwSignal<Vec<Notice>>);

impl Notices {
    pub fn new() -> Self {
        Self(RwSignal::new(Vec::new()))
    }

    /// Shows `text` unless the same text is already shown.
    pub fn push(self, text: impl Into<String>) {
        self.add(text.into(), Vec::new(), None, true);
    }

    /// Shows `text` with a button that runs `action` (and dismisses the notice).
    pub fn push_action(self, text: impl Into<String>, label: &'static str, action: Callback<()>) {
        self.add(text.into(), vec![(label, action)], None, true);
    }

    /// Asks a yes-or-no question with two buttons and waits for the answer;
    /// dismissing the notice with × answers no.
    pub async fn ask(self, text: impl Into<String>, yes: &'static str, no: &'static str) -> bool {
        // The answer arrives through a JS promise: the buttons' callbacks resolve it.
        let resolve = StoredValue::new_local(None::<js_sys::Function>);
        let promise = js_sys::Promise::new(&mut |ok, _| resolve.set_value(Some(ok)));
        let answer = move |value: bool| {
            if let Some(ok) = resolve.try_update_value(Option::take).flatten() {
                let _ = ok.call1(&JsValue::NULL, &JsValue::from_bool(value));
            }
        };
        self.add(
            text.into(),
            vec![(yes, Callback::new(move |()| answer(true))), (no, Callback::new(move |()| answer(false)))],
            Some(Callback::new(move |()| answer(false))),
            // Every question shows, even one asked twice: each waits for its own answer.
            false,
        );
        wasm_bindgen_futures::JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()).unwrap_or(false)
    }

    fn add(
        self,
        text: String,
        actions: Vec<(&'static str, Callback<()>)>,
        on_dismiss: Option<Callback<()>>,
        dedupe: bool,
    ) {
        self.0.update(|list| {
            if !dedupe || !list.iter().any(|n| n.text == text) {
                let id = list.iter().map(|n| n.id + 1).max().unwrap_or(0);
                list.push(Notice { id, text, actions, on_dismiss });
            }
        });
    }

    fn dismiss(self, id: u32) {
        self.0.update(|l| l.retain(|n| n.id != id));
    }
}

impl Default for Notices {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether data at `url` may be used: always for the page's own origin; for another
/// origin only once the reader said so ("Order data from example.com — use it?"),
/// which is remembered for that origin. A crafted link must not make a bot report
/// what a stranger chose without the reader seeing where it comes from.
pub async fn consent_to_source(notices: Notices, what: &str, url: &str) -> bool {
    let Some(origin) = fetch::foreign_origin(url) else {
        return true;
    };
    if storage::is_trusted_origin(&origin) {
        return true;
    }
    let question = format!("{what} from {} — use it?", fetch::host_of(&origin));
    let yes = notices.ask(question, "Use it", "Don't use it").await;
    if yes {
        storage::trust_origin(&origin);
    }
    yes
}

#[component]
pub fn NoticeList(notices: Notices) -> impl IntoView {
    view! {
        <section class="notices" aria-label="Notices">
            <div role="status">
            <For each=move || notices.0.get() key=|n| n.id let:notice>
                <div class="notice">
                    <span>{notice.text.clone()}</span>
                    {notice.actions.iter().map(|&(label, action)| view! {
                        <button type="button" class="chip" on:click=move |_| {
                            notices.dismiss(notice.id);
                            action.run(());
                        }>{label}</button>
                    }).collect_view()}
                    <button type="button" class="dismiss" aria-label="Dismiss" on:click=move |_| {
                        notices.dismiss(notice.id);
                        if let Some(on_dismiss) = notice.on_dismiss {
                            on_dismiss.run(());
                        }
                    }>"×"</button>
                </div>
            </For>
            </div>
        </section>
    }
}
