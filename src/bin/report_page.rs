//! The owner's report page (`#/report`, `chatdeck::ui::report`) as a bundle of its own,
//! so that visitors of the chat never download it. A thin shell: the app adds it when
//! the report is first opened and then tells it, by DOM events
//! (`chatdeck::web::report_bundle`), where to draw and which FAQ the bot uses; this
//! reads that FAQ's file with the same engine code as the app, and mounts the page.
//! Trunk builds it (index.html, `data-type="worker"`, which gives the classic-script
//! glue that public/report_loader.js starts).

#[cfg(target_arch = "wasm32")]
mod page {
    use std::any::Any;
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use std::sync::Arc;

    use chatdeck::engine::bots::faq::{Faq, SEED_TOPICS};
    use chatdeck::engine::faq::KnowledgeBase;
    use chatdeck::ui::report::ReportPage;
    use chatdeck::web::report_bundle::{self, BotFaq, Shown};
    use leptos::prelude::*;
    use web_sys::HtmlElement;

    /// The report on screen: dropping `_mounted` takes it away and disposes of its
    /// reactive state; `faq` is how a newer FAQ reaches it.
    struct Open {
        _mounted: Box<dyn Any>,
        root: HtmlElement,
        faq: RwSignal<Faq>,
    }

    thread_local! {
        static OPEN: RefCell<Option<Open>> = const { RefCell::new(None) };
    }

    pub fn run() {
        report_bundle::listen(show, close);
        report_bundle::announce_ready();
    }

    /// The FAQ the bot uses, read as the app read it (the demo with the seed's topics).
    fn read(faq: BotFaq) -> Faq {
        match faq {
            BotFaq::Loading => Faq::Loading,
            BotFaq::Failed(why) => Faq::Failed(why),
            BotFaq::File { bytes, custom } => {
                let topics: &[&str] = if custom { &[] } else { &SEED_TOPICS };
                match KnowledgeBase::from_csv(&bytes, topics) {
                    Ok(kb) => Faq::Ready(Arc::new(kb)),
                    // The app read the same bytes without a problem: only a bug gets here.
                    Err(why) => Faq::Failed(format!("the report could not read it: {why}")),
                }
            }
        }
    }

    fn show(shown: Shown) {
        let faq = read(shown.faq);
        // Shown again in the same place: the report stays (with the owner's files and
        // filters), and only the FAQ it checks against changes.
        let same_place = OPEN.with(|open| open.borrow().as_ref().filter(|o| o.root == shown.root).map(|o| o.faq));
        if let Some(signal) = same_place {
            if signal.try_set(faq.clone()).is_none() {
                return;
            }
        }
        close();
        let conversation = Arc::new(shown.conversation);
        let handed = Rc::new(Cell::new(None::<RwSignal<Faq>>));
        let signal = Rc::clone(&handed);
        let mounted = leptos::mount::mount_to(shown.root.clone(), move || {
            // Made inside: the page's owner disposes of it with the page.
            let bot_faq = RwSignal::new(faq);
            signal.set(Some(bot_faq));
            view! { <ReportPage bot_faq conversation/> }
        });
        if let Some(faq) = handed.get() {
            let open = Open { _mounted: Box::new(mounted), root: shown.root, faq };
            OPEN.with(|slot| *slot.borrow_mut() = Some(open));
        }
    }

    fn close() {
        // Taken out first: dropping it runs Leptos cleanups, which must not find OPEN borrowed.
        let open = OPEN.with(|open| open.borrow_mut().take());
        drop(open);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    page::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("report_page runs in the browser, where the app loads it on #/report (Trunk builds it; see index.html)");
}
