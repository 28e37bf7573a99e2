//! `#/report` in the app: a place for the owner's report page, which runs in a bundle
//! of its own (src/bin/report_page.rs, `ui::report`) so that visitors never download
//! it. This component downloads it the first time, says so while it arrives (and why,
//! with Retry, when it cannot), and keeps it told what the FAQ bot knows.

use std::sync::Arc;

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::engine::bots::faq::Faq;
use crate::engine::bots::Resources;
use crate::engine::chat::Transcript;
use crate::engine::report;
use crate::ui::knowledge_base::KnowledgeBaseSlot;
use crate::web::report_bundle::{self, BotFaq, Shown};

#[derive(Clone, PartialEq)]
enum Bundle {
    Loading,
    Ready,
    Failed(String),
}

/// The FAQ in use, by identity: the report reads a knowledge base again only when
/// another one is installed (not when the bot's vectors are attached to it).
#[derive(Clone, PartialEq)]
enum FaqInUse {
    Loading,
    Failed(String),
    /// The address of the file's bytes, which each install replaces.
    File(usize),
}

#[component]
pub fn ReportHost(
    resources: RwSignal<Resources>,
    knowledge: KnowledgeBaseSlot,
    /// The FAQ bot's conversation in this browser: its misses are a source of questions.
    conversation: RwSignal<Transcript>,
) -> impl IntoView {
    let bundle = RwSignal::new(Bundle::Loading);
    let root = NodeRef::<Div>::new();
    let load = move || {
        bundle.set(Bundle::Loading);
        spawn_local(async move {
            let loaded = report_bundle::load().await;
            let _ = bundle.try_set(match loaded {
                Ok(()) => Bundle::Ready,
                Err(why) => Bundle::Failed(why),
            });
        });
    };
    load();

    let in_use = Memo::new(move |_| {
        resources.with(|r| match &r.faq {
            Faq::Loading => FaqInUse::Loading,
            Faq::Failed(why) => FaqInUse::Failed(why.clone()),
            Faq::Ready(_) => match knowledge.file() {
                Some(file) => FaqInUse::File(Arc::as_ptr(&file.bytes) as usize),
                None => FaqInUse::Loading,
            },
        })
    });
    Effect::new(move |_| {
        let (Bundle::Ready, Some(root)) = (bundle.get(), root.get()) else { return };
        let faq = match in_use.get() {
            FaqInUse::Loading => BotFaq::Loading,
            FaqInUse::Failed(why) => BotFaq::Failed(why),
            FaqInUse::File(_) => match knowledge.file() {
                Some(file) => BotFaq::File { bytes: file.bytes, custom: file.custom },
                None => BotFaq::Loading,
            },
        };
        let conversation = conversation.with_untracked(report::conversation_questions);
        report_bundle::show(&Shown { root: root.into(), faq, conversation });
    });
    on_cleanup(report_bundle::close);

    view! {
        {move || match bundle.get() {
            Bundle::Loading => view! { <p class="report-loading" role="status">"Loading the report…"</p> }.into_any(),
            Bundle::Failed(why) => view! {
                <p class="report-loading" role="alert">
                    {format!("The report could not be opened: {why}. ")}
                    <button type="button" class="chip" on:click=move |_| load()>"Retry"</button>
                </p>
            }
            .into_any(),
            Bundle::Ready => ().into_any(),
        }}
        // Left empty here: the bundle draws the report in it.
        <div class="report-root" node_ref=root></div>
    }
}
