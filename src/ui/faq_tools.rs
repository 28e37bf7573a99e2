//! The FAQ page's tools for its owner: the way to the report page (`#/report`), and
//! the notice that misses are shared with the site owner when the embed asked for it
//! (`?report=URL`).

use leptos::prelude::*;

use crate::engine::chat::Transcript;
use crate::engine::report::Outbox;
use crate::web::{report_beacon, route};

/// Starts sharing the FAQ conversation's misses with the site owner when the embed
/// asked for it (`?report=URL`); returns whether it did. Nothing is sent otherwise.
pub fn share_misses(conversation: RwSignal<Transcript>) -> bool {
    let Some(url) = report_beacon::endpoint() else { return false };
    // Only what happens from now on: past questions were asked before the visitor was told.
    let outbox = StoredValue::new(conversation.with_untracked(Outbox::primed));
    Effect::new(move |_| {
        let shared = conversation.with(|t| outbox.try_update_value(|o| o.take(t))).unwrap_or_default();
        for s in shared {
            report_beacon::send(&url, &s.to_json());
        }
    });
    true
}

/// Under the knowledge-base bar: the way to the report (not for visitors of an
/// embedded chat), and the notice that misses are shared. A labelled section, so that
/// it is a landmark like the bar above it.
#[component]
pub fn FaqTools(embedded: bool, sharing: bool) -> impl IntoView {
    (!embedded || sharing).then(|| {
        view! {
            <section class="faq-tools" aria-label="About this FAQ">
                {(!embedded).then(|| view! { <a href=route::REPORT_HREF>"Which questions does my FAQ fail?"</a> })}
                {sharing.then(|| view! {
                    <p class="sharing-notice" role="note">
                        "Questions this FAQ can't answer, and answers you rate not helpful, are shared with the site owner to improve the answers."
                    </p>
                })}
            </section>
        }
    })
}
