//! The owner's report page (`#/report`) runs in a WebAssembly bundle of its own
//! (src/bin/report_page.rs), downloaded the first time the page is opened: visitors,
//! who never open it, do not download it. Both sides of that handover live here.
//!
//! The app ([`load`], [`show`], [`close`]) adds public/report_loader.js to the page,
//! which starts the bundle; the bundle ([`listen`], [`announce_ready`]) answers with
//! an event once it listens. From then on the app sends, as DOM events on `window`,
//! where to draw and what the FAQ bot knows; the two WebAssembly instances share no
//! memory, so the FAQ travels as the bytes of its file and is read again there.

use std::cell::Cell;
use std::sync::Arc;

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CustomEvent, CustomEventInit, Event, HtmlElement};

use crate::web::deadline::{within, Unsettled};

const LOADER: &str = "report_loader.js";
/// The bundle listens (sent by the bundle).
const READY: &str = "chatdeck-report-ready";
/// The bundle could not start (sent by the loader; `detail` says why).
const FAILED: &str = "chatdeck-report-failed";
/// Draw the report, or update what it knows (sent by the app).
const SHOW: &str = "chatdeck-report-show";
/// Take the report away (sent by the app).
const CLOSE: &str = "chatdeck-report-close";
/// The bundle is about 300 kB: more than a minute means the network is not going to make it.
const LOAD_MS: u32 = 60_000;

/// The FAQ bot's knowledge base, as the report page gets it.
pub enum BotFaq {
    Loading,
    Failed(String),
    /// The file it was read from; `custom` unless it is the demo.
    File {
        bytes: Arc<Vec<u8>>,
        custom: bool,
    },
}

/// What the report page is given each time it is shown or the FAQ changes.
pub struct Shown {
    /// The element to draw in (the app's, left empty for the bundle).
    pub root: HtmlElement,
    pub faq: BotFaq,
    /// The FAQ conversation's unanswered and not-helpful questions in this browser.
    pub conversation: Vec<String>,
}

thread_local! {
    static LOADED: Cell<bool> = const { Cell::new(false) };
}

// ----- the app's side

/// Downloads and starts the bundle, once; the error is a phrase for people.
pub async fn load() -> Result<(), String> {
    if LOADED.with(Cell::get) {
        return Ok(());
    }
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let mut ends = None;
    let started = Promise::new(&mut |resolve, reject| ends = Some((resolve, reject)));
    let (resolve, reject) = ends.ok_or("the browser cannot wait for the report")?;
    // The promise's own functions are the listeners: no closure to keep or to free.
    let _ = window.add_event_listener_with_callback(READY, &resolve);
    let _ = window.add_event_listener_with_callback(FAILED, &reject);
    let script = document.create_element("script").map_err(|_| "the browser cannot add a script")?;
    let _ = script.set_attribute("src", LOADER);
    let _ = script.add_event_listener_with_callback("error", &reject);
    if let Some(head) = document.head() {
        let _ = head.append_child(&script);
    }
    let outcome = within(started, LOAD_MS).await;
    let _ = window.remove_event_listener_with_callback(READY, &resolve);
    let _ = window.remove_event_listener_with_callback(FAILED, &reject);
    // Run once; a retry adds it again.
    script.remove();
    match outcome {
        Ok(_) => {
            LOADED.with(|l| l.set(true));
            Ok(())
        }
        Err(Unsettled::Late) => Err(format!("it did not arrive within {} seconds", LOAD_MS / 1000)),
        Err(Unsettled::Failed(why)) => Err(why
            .dyn_ref::<CustomEvent>()
            .and_then(|e| e.detail().as_string())
            .unwrap_or_else(|| "it could not be downloaded (the network may be down)".to_string())),
    }
}

/// Draws the report in `shown.root`, or gives the one drawn there what changed.
pub fn show(shown: &Shown) {
    let detail = Object::new();
    let set = |key: &str, value: &JsValue| {
        let _ = Reflect::set(&detail, &JsValue::from_str(key), value);
    };
    set("root", &shown.root);
    match &shown.faq {
        BotFaq::Loading => set("faq", &"loading".into()),
        BotFaq::Failed(why) => {
            set("faq", &"failed".into());
            set("why", &why.into());
        }
        BotFaq::File { bytes, custom } => {
            set("faq", &"file".into());
            set("bytes", &Uint8Array::from(bytes.as_slice()));
            set("custom", &JsValue::from_bool(*custom));
        }
    }
    set("conversation", &shown.conversation.iter().map(|q| JsValue::from_str(q)).collect::<Array>());
    dispatch(SHOW, &detail);
}

/// Takes the report away (its page was left).
pub fn close() {
    dispatch(CLOSE, &JsValue::UNDEFINED);
}

fn dispatch(name: &str, detail: &JsValue) {
    let init = CustomEventInit::new();
    init.set_detail(detail);
    if let (Some(window), Ok(event)) = (web_sys::window(), CustomEvent::new_with_event_init_dict(name, &init)) {
        let _ = window.dispatch_event(&event);
    }
}

// ----- the bundle's side

/// Calls `on_show` and `on_close` for the app's events, for as long as the page lives.
pub fn listen(on_show: impl Fn(Shown) + 'static, on_close: impl Fn() + 'static) {
    let Some(window) = web_sys::window() else { return };
    let shown = Closure::<dyn Fn(Event)>::new(move |event: Event| {
        if let Some(shown) = event.dyn_ref::<CustomEvent>().and_then(|e| decode(&e.detail())) {
            on_show(shown);
        }
    });
    let closed = Closure::<dyn Fn(Event)>::new(move |_: Event| on_close());
    let _ = window.add_event_listener_with_callback(SHOW, shown.as_ref().unchecked_ref());
    let _ = window.add_event_listener_with_callback(CLOSE, closed.as_ref().unchecked_ref());
    // Listeners for the page's lifetime.
    shown.forget();
    closed.forget();
}

/// Tells the app that the bundle listens.
pub fn announce_ready() {
    dispatch(READY, &JsValue::UNDEFINED);
}

fn decode(detail: &JsValue) -> Option<Shown> {
    let get = |key: &str| Reflect::get(detail, &JsValue::from_str(key)).ok();
    let root = get("root")?.dyn_into::<HtmlElement>().ok()?;
    let faq = match get("faq")?.as_string()?.as_str() {
        "file" => BotFaq::File {
            bytes: Arc::new(get("bytes")?.dyn_into::<Uint8Array>().ok()?.to_vec()),
            custom: get("custom")?.as_bool()?,
        },
        "failed" => BotFaq::Failed(get("why")?.as_string()?),
        _ => BotFaq::Loading,
    };
    let conversation = get("conversation")?.dyn_into::<Array>().ok()?.iter().filter_map(|q| q.as_string()).collect();
    Some(Shown { root, faq, conversation })
}
