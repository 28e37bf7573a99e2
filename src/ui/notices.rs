//! Messages about the app itself (storage trouble, unreadable saved data, a new
//! version ready), shown above the chat until dismissed.

use leptos::prelude::*;

/// One notice, optionally with one action ("Reload").
#[derive(Clone)]
pub struct Notice {
    id: u32,
    text: String,
    action: Option<(&'static str, Callback<()>)>,
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
        self.add(text.into(), None);
    }

    /// Shows `text` with a button that runs `action` (and dismisses the notice).
    pub fn push_action(self, text: impl Into<String>, label: &'static str, action: Callback<()>) {
        self.add(text.into(), Some((label, action)));
    }

    fn add(self, text: String, action: Option<(&'static str, Callback<()>)>) {
        self.0.update(|list| {
            if !list.iter().any(|n| n.text == text) {
                let id = list.iter().map(|n| n.id + 1).max().unwrap_or(0);
                list.push(Notice { id, text, action });
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

#[component]
pub fn NoticeList(notices: Notices) -> impl IntoView {
    view! {
        <section class="notices" aria-label="Notices">
            <div role="status">
            <For each=move || notices.0.get() key=|n| n.id let:notice>
                <div class="notice">
                    <span>{notice.text.clone()}</span>
                    {notice.action.map(|(label, action)| view! {
                        <button type="button" class="chip" on:click=move |_| {
                            notices.dismiss(notice.id);
                            action.run(());
                        }>{label}</button>
                    })}
                    <button type="button" class="dismiss" aria-label="Dismiss" on:click=move |_| notices.dismiss(notice.id)>"×"</button>
                </div>
            </For>
            </div>
        </section>
    }
}
