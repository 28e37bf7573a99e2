//! Where the FAQ bot's knowledge comes from: the demo `faq_data.csv`, a CSV the user
//! loads (file picker or drag and drop, remembered in this browser), or a `?faq=URL`.
//! A file that cannot be used is explained and the knowledge base in use stays.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::engine::bots::faq::{Faq, SEED_TOPICS};
use crate::engine::bots::Resources;
use crate::engine::faq::{self, KnowledgeBase, MAX_FILE_BYTES};
use crate::ui::notices::{self, Notices};
use crate::ui::understanding::UnderstandingProgress;
use crate::web::{fetch, files, storage};

/// The demo knowledge base, relative to the page.
const DEMO_URL: &str = "faq_data.csv";

/// What the knowledge-base bar shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Source {
    /// "demo FAQ", a file name or a URL.
    pub name: String,
    /// Distinct answers (the questions they are filed under).
    pub questions: usize,
    /// Rows: every phrasing of every question.
    pub phrasings: usize,
    /// True when it replaces the demo (the bar then offers to go back).
    pub custom: bool,
    /// True while a file is being read or fetched.
    pub loading: bool,
}

/// The knowledge base and its description, shared by the bar and the loaders.
#[derive(Clone, Copy)]
pub struct KnowledgeBaseSlot {
    resources: RwSignal<Resources>,
    source: RwSignal<Source>,
    notices: Notices,
    /// Numbers the loads in the order they started; a result is dropped when a load
    /// started after it has already been installed, so a late demo fetch never
    /// replaces the CSV the user has just loaded (and a failed newer load does not
    /// stop an older one from arriving).
    started: StoredValue<u64>,
    /// The number of the load whose knowledge base is in use.
    installed: StoredValue<u64>,
    /// The file the knowledge base in use was read from, for the report page, which
    /// runs in a bundle of its own and reads it again (src/web/report_bundle.rs).
    file: StoredValue<Option<FaqFile>>,
}

/// The bytes of the knowledge base in use, and whether it replaces the demo (the demo
/// is read with the seed's extra topics: `SEED_TOPICS`).
#[derive(Clone)]
pub struct FaqFile {
    pub bytes: Arc<Vec<u8>>,
    pub custom: bool,
}

impl KnowledgeBaseSlot {
    pub fn new(resources: RwSignal<Resources>, notices: Notices) -> Self {
        Self {
            resources,
            source: RwSignal::new(Source { loading: true, ..Source::default() }),
            notices,
            started: StoredValue::new(0),
            installed: StoredValue::new(0),
            file: StoredValue::new(None),
        }
    }

    /// Starts a load and returns its number.
    fn begin(self) -> u64 {
        self.started.update_value(|n| *n += 1);
        self.started.get_value()
    }

    /// A load started after this one is already in use (or the app is gone).
    fn is_stale(self, ticket: u64) -> bool {
        self.installed.try_get_value().is_none_or(|installed| installed > ticket)
    }

    fn install(self, ticket: u64, kb: KnowledgeBase, name: String, bytes: Vec<u8>, custom: bool) {
        self.installed.set_value(ticket);
        self.file.set_value(Some(FaqFile { bytes: Arc::new(bytes), custom }));
        self.source.set(Source { name, questions: kb.answer_count(), phrasings: kb.len(), custom, loading: false });
        self.resources.update(|r| r.faq = Faq::Ready(Arc::new(kb)));
    }

    /// Loads what this browser should use: `?faq=URL` (from another site only if the
    /// reader agrees), else the remembered file, else the demo. Runs after start-up:
    /// a remembered file of up to 20 MB is parsed once the page is on screen.
    pub fn load_initial(self) {
        let ticket = self.begin();
        spawn_local(async move {
            // A macrotask later: the first paint does not wait for the parse.
            gloo_timers::future::TimeoutFuture::new(0).await;
            if let Some(url) = fetch::query_param("faq") {
                if notices::consent_to_source(self.notices, "FAQ data", &url).await {
                    self.fetch_into(ticket, url, true).await;
                    return;
                }
            }
            if self.is_stale(ticket) {
                return;
            }
            match storage::load_custom_faq() {
                Ok(Some(saved)) => match KnowledgeBase::from_csv(saved.csv.as_bytes(), &[]) {
                    Ok(kb) => self.install(ticket, kb, saved.name, saved.csv.into_bytes(), true),
                    Err(e) => {
                        self.notices.push(format!(
                            "Your knowledge base \"{}\" could not be used ({e}); the demo FAQ is used instead.",
                            saved.name
                        ));
                        self.fetch_into(ticket, DEMO_URL.to_string(), false).await;
                    }
                },
                Ok(None) => self.fetch_into(ticket, DEMO_URL.to_string(), false).await,
                Err(why) => {
                    self.notices.push(format!(
                        "Your knowledge base could not be restored: {why}. The demo FAQ is used instead."
                    ));
                    self.fetch_into(ticket, DEMO_URL.to_string(), false).await;
                }
            }
        });
    }

    fn load_url(self, url: String, custom: bool) {
        let ticket = self.begin();
        spawn_local(self.fetch_into(ticket, url, custom));
    }

    /// Fetches and installs a knowledge base, unless a load started after it is in use by then.
    async fn fetch_into(self, ticket: u64, url: String, custom: bool) {
        let loaded = match fetch::fetch_data(&url, MAX_FILE_BYTES).await {
            Ok(fetched) => {
                let topics: &[&str] = if custom { &[] } else { &SEED_TOPICS };
                KnowledgeBase::from_csv(&fetched.bytes, topics)
                    .map(|kb| (kb, fetched.bytes, fetched.offline_copy_from))
                    .map_err(|e| format!("it is not a usable FAQ file: {e}"))
            }
            Err(why) => Err(format!("it could not be loaded: {why}")),
        };
        if self.is_stale(ticket) {
            return; // a newer load (the user's file, a reset) owns the knowledge base now
        }
        match loaded {
            Ok((kb, bytes, offline_copy_from)) => {
                if let Some(when) = offline_copy_from {
                    self.notices.push(format!("Offline: showing the FAQ as of {when}."));
                }
                self.install(ticket, kb, if custom { url } else { "demo FAQ".to_string() }, bytes, custom);
            }
            Err(why) => {
                self.source.update(|s| s.loading = false);
                let in_use = self.resources.with_untracked(|r| matches!(r.faq, Faq::Ready(_)));
                if !in_use {
                    self.resources.update(|r| r.faq = Faq::Failed(format!("the knowledge base {url} {why}")));
                }
                self.notices.push_action(
                    format!("The knowledge base {url} is unavailable: {why}."),
                    "Retry",
                    Callback::new(move |()| self.load_url(url.clone(), custom)),
                );
            }
        }
    }

    /// Reads a file the user chose; on success it replaces the knowledge base in use
    /// and is remembered, on failure the one in use stays.
    pub fn load_file(self, file: web_sys::File) {
        let name = file.name();
        self.source.update(|s| s.loading = true);
        let ticket = self.begin();
        spawn_local(async move {
            let result = match files::read_file(&file, MAX_FILE_BYTES).await {
                Ok(bytes) => KnowledgeBase::from_csv(&bytes, &[]).map(|kb| (kb, bytes)).map_err(|e| e.to_string()),
                Err(why) => Err(why),
            };
            if self.is_stale(ticket) {
                return; // another file or a reset came after this one and is in use
            }
            match result {
                Ok((kb, bytes)) => {
                    let csv = String::from_utf8_lossy(&bytes).into_owned();
                    if let Err(why) = storage::save_custom_faq(&storage::SavedFaq { name: name.clone(), csv }) {
                        self.notices
                            .push(format!("\"{name}\" is in use for this visit but cannot be remembered: {why}."));
                    }
                    self.install(ticket, kb, name, bytes, true);
                }
                Err(why) => {
                    self.source.update(|s| s.loading = false);
                    let current = self.source.with_untracked(|s| s.name.clone());
                    self.notices.push(format!(
                        "\"{name}\" cannot be used: {why}. The knowledge base in use ({current}) stays."
                    ));
                }
            }
        });
    }

    /// Goes back to the demo knowledge base.
    pub fn reset(self) {
        storage::forget_custom_faq();
        self.source.update(|s| s.loading = true);
        self.load_url(DEMO_URL.to_string(), false);
    }

    /// The file of the knowledge base in use, once one is (not tracked: the FAQ in
    /// `Resources` is what changes with it).
    pub fn file(self) -> Option<FaqFile> {
        self.file.get_value()
    }

    /// Questions matching a draft (for the composer).
    pub fn suggest(self) -> Callback<String, Vec<String>> {
        let resources = self.resources;
        Callback::new(move |draft: String| {
            resources.with_untracked(|r| crate::engine::bots::faq::suggestions(&r.faq, &draft, 4))
        })
    }
}

/// The bar above the FAQ chat: which knowledge base answers, and how to change it.
/// Files can also be dropped anywhere on the FAQ page (see [`on_drop`]).
#[component]
pub fn KnowledgeBaseBar(knowledge: KnowledgeBaseSlot) -> impl IntoView {
    let source = knowledge.source;
    let on_change = move |ev: leptos::ev::Event| {
        let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
        if let Some(input) = input {
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                knowledge.load_file(file);
            }
            input.set_value("");
        }
    };
    view! {
        <section class="kb-bar" aria-label="Knowledge base">
            <span class="kb-name">
                {move || source.with(|s| if s.loading && s.questions == 0 {
                    "Loading the knowledge base…".to_string()
                } else {
                    format!("Knowledge base: {} · {}", s.name, faq::size_label(s.questions, s.phrasings))
                })}
            </span>
            <label class="chip kb-load">
                "Load CSV…"
                <input type="file" accept=".csv,text/csv" class="visually-hidden" on:change=on_change/>
            </label>
            <Show when=move || source.with(|s| s.custom)>
                <button type="button" class="chip" on:click=move |_| knowledge.reset()>"Use the demo FAQ"</button>
            </Show>
            <span class="kb-hint">"or drop a CSV with Question and Answer columns here"</span>
            <UnderstandingProgress/>
        </section>
    }
}

/// Handles a file dropped on the FAQ page.
pub fn on_drop(slot: KnowledgeBaseSlot, ev: web_sys::DragEvent) {
    ev.prevent_default();
    if let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
        slot.load_file(file);
    }
}
