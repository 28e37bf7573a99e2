//! "Which questions does my FAQ fail?" (`#/report`): the owner gives a file of real
//! customer questions (or this browser's own FAQ misses), and the page shows what the
//! FAQ bot does with each, as the engine decides it (`engine::report`). This module
//! only displays: it runs the engine in chunks so that 10,000 questions never freeze
//! the page, and offers the table as a CSV.
//!
//! It is not part of the app's download: src/bin/report_page.rs mounts it, in a bundle
//! of its own, where the app's `ReportHost` (src/ui/report_host.rs) asks.

use std::sync::Arc;

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::engine::bots::faq::Faq;
use crate::engine::faq::KnowledgeBase;
use crate::engine::report::{self, Column, Decision, Row, View};
use crate::web::{clipboard, download::download, files};

/// Questions checked between two yields to the event loop: about 10 ms of work on the
/// demo FAQ, 80 ms on a 10k-row one, so that the page keeps answering input.
const CHUNK: usize = 200;
/// Rows the table lays out at a time; the CSV holds every row the filter keeps.
const PAGE: usize = 200;
/// Themes listed in the summary.
const THEMES: usize = 10;

/// Compares knowledge bases by identity: a new one (another file, vectors attached)
/// means the questions are checked again.
#[derive(Clone)]
struct Kb(Arc<KnowledgeBase>);

impl PartialEq for Kb {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Where the questions came from, and the questions.
#[derive(Clone, PartialEq)]
struct Questions {
    source: String,
    list: Arc<Vec<String>>,
}

/// How far a run is.
#[derive(Clone, Copy, PartialEq)]
enum Progress {
    Idle,
    Running { done: usize, total: usize },
    Cancelled { done: usize, total: usize },
}

/// The file of the first `<input type="file">` of an event, and the input emptied (so
/// that picking the same file again is a change).
fn picked_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    let input: web_sys::HtmlInputElement = ev.target()?.dyn_into().ok()?;
    let file = input.files().and_then(|f| f.get(0));
    input.set_value("");
    file
}

#[component]
pub fn ReportPage(
    /// The FAQ the FAQ bot uses (it may still be loading).
    bot_faq: RwSignal<Faq>,
    /// The FAQ conversation's unanswered and not-helpful questions in this browser
    /// (`report::conversation_questions`): a source of questions.
    conversation: Arc<Vec<String>>,
) -> impl IntoView {
    // The FAQ the bot uses, unless the owner picked another one here.
    let bot_kb = Memo::new(move |_| {
        bot_faq.with(|faq| match faq {
            Faq::Ready(kb) => Some(Kb(kb.clone())),
            Faq::Loading | Faq::Failed(_) => None,
        })
    });
    let own_kb = RwSignal::new(None::<(String, Kb)>);
    let kb = Memo::new(move |_| own_kb.with(|own| own.as_ref().map(|(_, kb)| kb.clone())).or_else(|| bot_kb.get()));
    let kb_problem = RwSignal::new(None::<String>);
    let questions = RwSignal::new(None::<Questions>);
    let questions_problem = RwSignal::new(None::<String>);
    let rows = RwSignal::new(Arc::new(Vec::<Row>::new()));
    let progress = RwSignal::new(Progress::Idle);
    let run_id = StoredValue::new(0u64);
    let view_state = RwSignal::new(View::default());
    let shown_len = RwSignal::new(PAGE);
    let download_problem = RwSignal::new(None::<String>);

    // Every time the questions or the FAQ change, the questions are checked again; a
    // newer run (or Cancel) stops an older one at its next chunk.
    Effect::new(move |_| {
        let (Some(kb), Some(qs)) = (kb.get(), questions.get()) else { return };
        run_id.update_value(|n| *n += 1);
        let ticket = run_id.get_value();
        let total = qs.list.len();
        progress.set(Progress::Running { done: 0, total });
        spawn_local(async move {
            let mut out = Vec::with_capacity(total);
            for chunk in qs.list.chunks(CHUNK) {
                for q in chunk {
                    out.push(report::assess(&kb.0, out.len() + 1, q));
                }
                // A yield to the event loop: input, paint, and the Cancel button run.
                let _ = progress.try_set(Progress::Running { done: out.len(), total });
                TimeoutFuture::new(0).await;
                if run_id.try_get_value() != Some(ticket) {
                    return;
                }
            }
            let _ = rows.try_set(Arc::new(out));
            let _ = shown_len.try_set(PAGE);
            let _ = progress.try_set(Progress::Idle);
        });
    });
    let cancel = move |_| {
        run_id.update_value(|n| *n += 1);
        if let Progress::Running { done, total } = progress.get_untracked() {
            progress.set(Progress::Cancelled { done, total });
        }
    };

    let on_faq_file = move |ev: leptos::ev::Event| {
        let Some(file) = picked_file(&ev) else { return };
        let name = file.name();
        spawn_local(async move {
            let loaded = match files::read_file(&file, crate::engine::faq::MAX_FILE_BYTES).await {
                Ok(bytes) => KnowledgeBase::from_csv(&bytes, &[]).map_err(|e| e.to_string()),
                Err(why) => Err(why),
            };
            match loaded {
                Ok(kb) => {
                    let _ = kb_problem.try_set(None);
                    let _ = own_kb.try_set(Some((name, Kb(Arc::new(kb)))));
                }
                Err(why) => {
                    let _ = kb_problem.try_set(Some(format!("\"{name}\" cannot be used: {why}.")));
                }
            }
        });
    };
    let on_questions_file = move |ev: leptos::ev::Event| {
        let Some(file) = picked_file(&ev) else { return };
        let name = file.name();
        spawn_local(async move {
            let parsed = match files::read_file(&file, report::MAX_FILE_BYTES).await {
                Ok(bytes) => report::parse_questions(&name, &bytes).map_err(|e| e.to_string()),
                Err(why) => Err(why),
            };
            match parsed {
                Ok(list) => {
                    let _ = questions_problem.try_set(None);
                    let _ = questions.try_set(Some(Questions { source: name, list: Arc::new(list) }));
                }
                Err(why) => {
                    let _ = questions_problem.try_set(Some(format!("\"{name}\" cannot be used: {why}.")));
                }
            }
        });
    };
    let use_conversation = move |_| {
        let list = conversation.clone();
        if list.is_empty() {
            questions_problem.set(Some(
                "This browser's FAQ conversation has no unanswered or not-helpful questions yet.".to_string(),
            ));
            return;
        }
        questions_problem.set(None);
        questions.set(Some(Questions { source: "this browser's FAQ conversation".to_string(), list }));
    };

    let kb_label =
        move || match (own_kb.with(|o| o.as_ref().map(|(n, kb)| (n.clone(), kb.0.size_label()))), bot_kb.get()) {
            (Some((name, size)), _) => format!("FAQ: {name} · {size}"),
            (None, Some(kb)) => format!("FAQ: the one the FAQ bot uses · {}", kb.0.size_label()),
            (None, None) => bot_faq.with(|faq| match faq {
                Faq::Failed(why) => format!("FAQ: the FAQ bot has none ({why}); use another FAQ CSV"),
                _ => "FAQ: loading the FAQ bot's knowledge base…".to_string(),
            }),
        };
    let summary = Memo::new(move |_| rows.with(|r| report::summarize(r, THEMES)));
    let visible = Memo::new(move |_| rows.with(|r| view_state.with(|v| report::visible(r, v))));

    let save_csv = move |_| {
        let csv = rows.with_untracked(|r| visible.with_untracked(|order| report::to_csv(r, order)));
        // A byte-order mark, so that Excel reads the file as UTF-8 (chatdeck skips it).
        let result = download("chatdeck-faq-report.csv", "text/csv", &format!("\u{feff}{csv}"));
        download_problem.set(result.err().map(|why| format!("The download failed: {why}.")));
    };

    let header = move |column: Column| {
        let sorted = move || view_state.with(|v| (v.sort == column).then_some(v.ascending));
        let aria_sort = move || match sorted() {
            Some(true) => "ascending",
            Some(false) => "descending",
            None => "none",
        };
        let on_click = move |_| {
            view_state.update(|v| {
                if v.sort == column {
                    v.ascending = !v.ascending;
                } else {
                    v.sort = column;
                    // Most sure, and the last in the file, first: what one wants to see.
                    v.ascending = !matches!(column, Column::Confidence);
                }
            });
        };
        let arrow = move || match sorted() {
            Some(true) => "▲",
            Some(false) => "▼",
            None => "",
        };
        view! {
            <th scope="col" aria-sort=aria_sort>
                <button type="button" class="sort" on:click=on_click>
                    {column.label()}<span aria-hidden="true">{arrow}</span>
                </button>
            </th>
        }
    };
    let row_view = move |index: usize| {
        let Some(row) = rows.with_untracked(|r| r.get(index).cloned()) else {
            return ().into_any();
        };
        let copied = RwSignal::new(None::<bool>);
        let line = report::faq_row(&row.question);
        let copy = move |_| {
            let line = line.clone();
            spawn_local(async move {
                let ok = clipboard::copy(&line).await.is_ok();
                let _ = copied.try_set(Some(ok));
                TimeoutFuture::new(1_800).await;
                let _ = copied.try_set(None);
            });
        };
        let action = (row.decision != Decision::Answered).then(|| {
            view! {
                <button type="button" class="chip" on:click=copy>
                    {move || match copied.get() {
                        None => "Copy as FAQ row",
                        Some(true) => "Copied",
                        Some(false) => "Copy failed",
                    }}
                </button>
            }
        });
        view! {
            <tr data-decision=row.decision.slug()>
                {Column::ALL.iter().map(|c| view! { <td>{c.cell(&row)}</td> }).collect_view()}
                <td>{action}</td>
            </tr>
        }
        .into_any()
    };
    let decision_filter = move |label: &'static str, decision: Option<Decision>| {
        let checked = move || view_state.with(|v| v.decision == decision);
        view! {
            <button type="button" role="radio" class="chip"
                aria-checked=move || if checked() { "true" } else { "false" }
                on:click=move |_| { view_state.update(|v| v.decision = decision); shown_len.set(PAGE); }>
                {label}
            </button>
        }
    };
    let more_rows = move || visible.with(Vec::len) > shown_len.get();
    let themes = move |pick: fn(&report::Summary) -> &Vec<report::Theme>| {
        summary.with(|s| pick(s).iter().map(|t| format!("{} ({})", t.term, t.count)).collect::<Vec<_>>().join(", "))
    };

    view! {
        <main class="report">
            <h1>"Which questions does my FAQ fail?"</h1>
            <p>"Give chatdeck the questions your customers really ask, and see which ones the FAQ bot answers, which it is unsure about, and which it cannot answer. Everything runs in this browser: nothing is uploaded."</p>
            <section class="report-inputs" aria-label="Inputs">
                <div class="report-input">
                    <span class="report-kb">{kb_label}</span>
                    <label class="chip">
                        "Use another FAQ CSV…"
                        <input type="file" accept=".csv,text/csv" class="visually-hidden" on:change=on_faq_file/>
                    </label>
                    <Show when=move || own_kb.with(Option::is_some)>
                        <button type="button" class="chip" on:click=move |_| own_kb.set(None)>"Use the FAQ bot's FAQ"</button>
                    </Show>
                    <p class="report-problem" role="alert">{move || kb_problem.get()}</p>
                </div>
                <div class="report-input">
                    <span>{move || questions.with(|q| match q {
                        Some(q) => format!("Questions: {} from {}", q.list.len(), q.source),
                        None => "Questions: one per line, or a CSV with a Question (or Message, Text, Body, Subject) column".to_string(),
                    })}</span>
                    <label class="chip">
                        "Load questions…"
                        <input type="file" accept=".csv,.txt,text/csv,text/plain" class="visually-hidden"
                            aria-label="Load a file of customer questions" on:change=on_questions_file/>
                    </label>
                    <button type="button" class="chip" on:click=use_conversation>"Use questions from this browser's FAQ conversation"</button>
                    <p class="report-problem" role="alert">{move || questions_problem.get()}</p>
                </div>
            </section>
            {move || match progress.get() {
                Progress::Running { done, total } => view! {
                    <div class="report-progress" role="status">
                        <label>
                            {format!("Checked {done} of {total} questions")}
                            <progress max=total.to_string() value=done.to_string() aria-label="Questions checked"></progress>
                        </label>
                        <button type="button" class="chip" on:click=cancel>"Cancel"</button>
                    </div>
                }.into_any(),
                Progress::Cancelled { done, total } => view! {
                    <p class="report-progress" role="status">{format!("Cancelled after {done} of {total} questions.")}</p>
                }.into_any(),
                Progress::Idle => ().into_any(),
            }}
            <Show when=move || rows.with(|r| !r.is_empty())>
                <section class="report-summary" aria-label="Summary">
                    {move || summary.with(|s| {
                        let share = |n: usize| format!("{n} ({}%)", report::percent(n, s.total));
                        view! {
                            <p>
                                <strong>{format!("{} questions: ", s.total)}</strong>
                                {format!("{} answered · {} did you mean · {} not answered",
                                    share(s.answered), share(s.did_you_mean), share(s.not_answered))}
                            </p>
                        }
                    })}
                    <Show when=move || summary.with(|s| !s.words.is_empty())>
                        <p>"Most frequent words in unanswered questions: "<span class="themes">{move || themes(|s| &s.words)}</span></p>
                    </Show>
                    <Show when=move || summary.with(|s| !s.phrases.is_empty())>
                        <p>"Most frequent phrases: "<span class="themes">{move || themes(|s| &s.phrases)}</span></p>
                    </Show>
                </section>
                <div class="report-controls">
                    <div role="radiogroup" aria-label="Show">
                        {decision_filter("All", None)}
                        {Decision::ALL.into_iter().map(|d| decision_filter(d.label(), Some(d))).collect_view()}
                    </div>
                    <input type="search" placeholder="Filter questions" aria-label="Filter questions"
                        prop:value=move || view_state.with(|v| v.text.clone())
                        on:input=move |ev| { view_state.update(|v| v.text = event_target_value(&ev)); shown_len.set(PAGE); }/>
                    <button type="button" class="chip" on:click=save_csv>"Download CSV"</button>
                    <span role="status">{move || download_problem.get()}</span>
                </div>
                <p class="report-count" role="status">{move || {
                    let (n, all) = (visible.with(Vec::len), rows.with(|r| r.len()));
                    if n == all { format!("{n} rows") } else { format!("{n} of {all} rows") }
                }}</p>
                <div class="report-table">
                    <table>
                        <thead>
                            <tr>
                                {Column::ALL.into_iter().map(header).collect_view()}
                                <th scope="col">"Action"</th>
                            </tr>
                        </thead>
                        <tbody>
                            // Not keyed: a page of rows is rebuilt when the view changes, which
                            // costs less wasm than a keyed list and is quick at 200 rows.
                            {move || visible.with(|v| v.iter().take(shown_len.get()).map(|&i| row_view(i)).collect_view())}
                        </tbody>
                    </table>
                </div>
                <Show when=more_rows>
                    <button type="button" class="link" on:click=move |_| shown_len.update(|n| *n += PAGE)>
                        {move || format!("Show {} more rows", (visible.with(Vec::len) - shown_len.get()).min(PAGE))}
                    </button>
                </Show>
            </Show>
        </main>
    }
}
