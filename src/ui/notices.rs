//! Messages about the app itself (storage trouble, unreadable saved data), shown
//! above the chat until dismissed.

use leptos::prelude::*;

/// The list of notices; any component may push to it.
#[derive(Clone, Copy)]
pub struct Notices(pub RwSignal<Vec<(u32, String)>>);

impl Notices {
    pub fn new() -> Self {
        Self(RwSignal::new(Vec::new()))
    }

    /// Shows `text` unless the same text is already shown.
    pub fn push(self, text: impl Into<String>) {
        let text = text.into();
        self.0.update(|list| {
            if !list.iter().any(|(_, t)| *t == text) {
                let id = list.iter().map(|(id, _)| id + 1).max().unwrap_or(0);
                list.push((id, text));
            }
        });
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
        <div class="notices" role="status">
            <For each=move || notices.0.get() key=|(id, _)| *id let:notice>
                <div class="notice">
                    <span>{notice.1.clone()}</span>
                    <button type="button" aria-label="Dismiss"
                        on:click=move |_| notices.0.update(|l| l.retain(|(id, _)| *id != notice.0))>"×"</button>
                </div>
            </For>
        </div>
    }
}
