//! The semantic tier in the browser, page side: starts the model worker
//! (`src/bin/understand_worker.rs`), asks it to load the model (it downloads it with
//! progress, or takes it from this browser's cache), and turns embedding requests
//! into futures. The page never computes an embedding itself: typing and the UI never
//! wait on the model. The downloads and caches live in the worker ([`stored`]), so
//! their code is not part of the app's first load.

pub mod protocol;
pub mod stored;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker};

use self::protocol::{FromWorker, ToWorker, STARTED_ID};
use crate::engine::understand::DIM;

/// Trunk's loader for the worker binary (`data-loader-shim` in index.html); worker
/// files are not content-hashed, so the names are fixed. Relative: works under any base path.
const WORKER_URL: &str = "understand_worker_loader.js";
/// What the loader loads: the worker's glue and its wasm.
const WORKER_FILES: [&str; 3] = [WORKER_URL, "understand_worker.js", "understand_worker_bg.wasm"];

/// How long the worker's program may take to start. Generous (a slow connection, a
/// slow phone compiling it), but a worker whose script failed in a way the page is not
/// told of must not leave the bar loading forever. (A stalled model download is
/// given up by the worker itself.)
const START_TIMEOUT_MS: i32 = 60_000;

/// What a request that ran out of time resolves to (see [`ModelWorker::within`]).
const TIMED_OUT: &str = "timed out";

/// The model in its worker, ready to embed.
pub struct ModelWorker {
    worker: Worker,
    shared: Rc<Shared>,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(web_sys::Event)>,
}

/// What the worker's event handlers and the requests share.
struct Shared {
    /// Requests waiting for their answer, by id (a few at most: a list will do, and
    /// keeps a hash map's code out of the app's download).
    waiting: RefCell<Vec<(u32, Waiter)>>,
    /// Where the progress of a long request goes, by id.
    progress: RefCell<Vec<(u32, Observer)>>,
    next_id: Cell<u32>,
    /// Set once the worker failed for good; every later request fails with it.
    dead: RefCell<Option<String>>,
    /// Marks every request's failure as handled: a request given up before it was
    /// awaited must not show up as an uncaught error.
    handled: Closure<dyn FnMut(JsValue)>,
}

/// What follows a long request's progress (percent).
type Observer = Rc<dyn Fn(u8)>;

/// The two ends of a JS promise a request awaits.
struct Waiter {
    resolve: Function,
    reject: Function,
}

impl Shared {
    fn new() -> Self {
        Shared {
            waiting: RefCell::default(),
            progress: RefCell::default(),
            next_id: Cell::new(STARTED_ID),
            dead: RefCell::default(),
            handled: Closure::new(|_| {}),
        }
    }

    /// A promise of the answer to request `id`, registered before the request is sent.
    fn wait(&self, id: u32) -> Promise {
        let mut waiter = None;
        let promise = Promise::new(&mut |resolve, reject| waiter = Some(Waiter { resolve, reject }));
        if let Some(waiter) = waiter {
            if let Some(why) = self.dead.borrow().as_deref() {
                let _ = waiter.reject.call1(&JsValue::NULL, &JsValue::from_str(why));
            } else {
                self.waiting.borrow_mut().push((id, waiter));
            }
        }
        // A handler on a branch counts as handling the promise; awaiting it still fails.
        let _ = promise.catch(&self.handled);
        promise
    }

    fn new_id(&self) -> u32 {
        // Never STARTED_ID, which the worker's greeting uses.
        let id = self.next_id.get().wrapping_add(1).max(STARTED_ID + 1);
        self.next_id.set(id);
        id
    }

    /// A message from the worker: progress goes to its request's observer, an answer
    /// completes its request, if that still waits.
    fn answer(&self, data: JsValue) {
        let Ok(message) = FromWorker::decode(&data) else {
            return; // not ours: nothing waits for it
        };
        let id = message.id();
        if let FromWorker::Progress { percent, .. } = message {
            // Taken out of the map first: the observer may start other requests.
            let observer = self.progress.borrow().iter().find(|(i, _)| *i == id).map(|(_, o)| Rc::clone(o));
            if let Some(observer) = observer {
                observer(percent);
            }
            return;
        }
        self.progress.borrow_mut().retain(|(i, _)| *i != id);
        let waiter = take(&self.waiting, id);
        if let Some(waiter) = waiter {
            let _ = waiter.resolve.call1(&JsValue::NULL, &data);
        }
    }

    /// The worker failed (its script did not load, the model trapped): every waiting
    /// request fails, and so will every later one.
    fn die(&self, why: String) {
        self.dead.replace(Some(why.clone()));
        self.progress.borrow_mut().clear();
        let waiting: Vec<(u32, Waiter)> = self.waiting.borrow_mut().drain(..).collect();
        for (_, waiter) in waiting {
            let _ = waiter.reject.call1(&JsValue::NULL, &JsValue::from_str(&why));
        }
    }

    fn forget(&self, id: u32) {
        take(&self.waiting, id);
        self.progress.borrow_mut().retain(|(i, _)| *i != id);
    }
}

/// Removes request `id`'s waiter from the list, if it is there.
fn take(waiting: &RefCell<Vec<(u32, Waiter)>>, id: u32) -> Option<Waiter> {
    let mut waiting = waiting.borrow_mut();
    let at = waiting.iter().position(|(i, _)| *i == id)?;
    Some(waiting.swap_remove(at).1)
}

/// The answer a request's promise resolved to, or why there is none.
async fn answer_of(promise: Promise) -> Result<FromWorker, String> {
    let data = JsFuture::from(promise)
        .await
        .map_err(|why| why.as_string().unwrap_or_else(|| "the model stopped".to_string()))?;
    if data.is_undefined() {
        return Err(TIMED_OUT.to_string());
    }
    match FromWorker::decode(&data)? {
        FromWorker::Failed { why, .. } => Err(why),
        answer => Ok(answer),
    }
}

/// A promise that resolves to `undefined` after `ms`.
fn delay(ms: i32) -> Promise {
    Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    })
}

impl ModelWorker {
    /// Starts the worker and loads the model into it. `on_progress` gets the percent
    /// of the model downloaded (100 at once when it comes from this browser's cache).
    pub async fn start(on_progress: impl Fn(u8) + 'static) -> Result<ModelWorker, String> {
        let worker = Worker::new(WORKER_URL).map_err(|_| "this browser cannot start the model worker".to_string())?;
        let shared = Rc::new(Shared::new());
        let on_message = {
            let shared = Rc::clone(&shared);
            Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| shared.answer(event.data()))
        };
        let on_error = {
            let shared = Rc::clone(&shared);
            Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
                // Handled here (the page starts a new worker or tells the failure): not
                // also reported as an uncaught error of the page, as it otherwise is.
                event.prevent_default();
                // An ErrorEvent when the worker's code threw; a plain Event when its
                // script could not even be loaded.
                let detail = event.dyn_ref::<web_sys::ErrorEvent>().map(|e| e.message()).filter(|m| !m.is_empty());
                shared.die(match detail {
                    Some(detail) => format!("the model stopped ({detail})"),
                    None => "the model's program could not be loaded".to_string(),
                });
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let model_worker = ModelWorker { worker, shared, _on_message: on_message, _on_error: on_error };
        // Registered before anything else can run: the greeting must find its waiter.
        let started = model_worker.shared.wait(STARTED_ID);
        model_worker.within(started, STARTED_ID, START_TIMEOUT_MS, "the model's program did not start").await?;
        let id = model_worker.shared.new_id();
        let loaded = model_worker.request(ToWorker::Load { id }, Some(Rc::new(on_progress)))?;
        match answer_of(loaded).await? {
            FromWorker::Loaded { .. } => {
                keep_worker_offline();
                Ok(model_worker)
            }
            _ => Err("the model worker answered out of turn".to_string()),
        }
    }

    /// The vectors of a knowledge base's phrasings (`DIM` floats each, one after the
    /// other): kept ones when the worker embedded these before, else embedded with
    /// `on_progress` (percent) and kept. A newer call stops an older one.
    pub async fn embed_knowledge(
        &self,
        texts: Vec<String>,
        on_progress: impl Fn(u8) + 'static,
    ) -> Result<Vec<f32>, String> {
        let expected = texts.len() * DIM;
        let id = self.shared.new_id();
        let answer = self.request(ToWorker::Embed { id, texts, keep: true }, Some(Rc::new(on_progress)))?;
        match answer_of(answer).await? {
            FromWorker::Embedded { vectors, .. } if vectors.length() as usize == expected => Ok(vectors.to_vec()),
            _ => Err("the model answered with the wrong number of values".to_string()),
        }
    }

    /// The vector of one question, or an error when it takes longer than `within_ms`
    /// (the question is then answered without it; the late vector is dropped).
    pub async fn embed_query(&self, text: &str, within_ms: i32) -> Result<Vec<f32>, String> {
        let id = self.shared.new_id();
        let answer = self.request(ToWorker::Embed { id, texts: vec![text.to_string()], keep: false }, None)?;
        match self.within(answer, id, within_ms, "the model took too long").await? {
            FromWorker::Embedded { vectors, .. } if vectors.length() as usize == DIM => Ok(vectors.to_vec()),
            _ => Err("the model answered with the wrong number of values".to_string()),
        }
    }

    /// Sends `message` (request `id`) and returns the promise of its answer.
    fn request(&self, message: ToWorker, on_progress: Option<Observer>) -> Result<Promise, String> {
        let id = match &message {
            ToWorker::Load { id } | ToWorker::Embed { id, .. } => *id,
        };
        if let Some(why) = self.shared.dead.borrow().as_deref() {
            return Err(why.to_string());
        }
        let answer = self.shared.wait(id);
        if let Some(on_progress) = on_progress {
            self.shared.progress.borrow_mut().push((id, on_progress));
        }
        if self.worker.post_message(&message.encode()).is_err() {
            self.shared.forget(id);
            return Err("the model worker cannot be reached".to_string());
        }
        Ok(answer)
    }

    /// Awaits request `id`'s answer for at most `ms`; after that the request is
    /// forgotten, so that its answer, if it ever comes, is dropped.
    async fn within(&self, answer: Promise, id: u32, ms: i32, too_late: &str) -> Result<FromWorker, String> {
        let race = Promise::race(&js_sys::Array::of2(&answer, &delay(ms)));
        answer_of(race).await.map_err(|why| {
            if why == TIMED_OUT {
                self.shared.forget(id);
                too_late.to_string()
            } else {
                why
            }
        })
    }

    /// Whether the worker failed for good (a new one must be started).
    pub fn is_dead(&self) -> bool {
        self.shared.dead.borrow().is_some()
    }
}

/// Makes sure the service worker holds the model worker's files, so that the semantic
/// tier starts offline next time. It caches them when they pass through it, but on a
/// first visit the worker may start before the service worker controls the page: then
/// they are asked for again (from the HTTP cache, usually) once it does.
fn keep_worker_offline() {
    let Some(window) = web_sys::window() else { return };
    let Ok(container) = js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("serviceWorker")) else {
        return;
    };
    let Ok(container) = container.dyn_into::<web_sys::ServiceWorkerContainer>() else {
        return; // no service workers here (plain http, private mode): nothing is cached
    };
    let fetch_all = move || {
        if let Some(window) = web_sys::window() {
            for file in WORKER_FILES {
                // The service worker keeps what passes; the answer itself is not needed.
                // A failure (the page navigating away meanwhile) is no error here.
                let request = window.fetch_with_str(file);
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = JsFuture::from(request).await;
                });
            }
        }
    };
    if container.controller().is_some() {
        fetch_all();
        return;
    }
    // Also after an update hands over (the page then reloads anyway): harmless.
    let on_control = Closure::<dyn Fn()>::new(fetch_all);
    let _ = container.add_event_listener_with_callback("controllerchange", on_control.as_ref().unchecked_ref());
    on_control.forget(); // lives as long as the page
}

/// A point tasks can wait at until another task opens it, once (a JS promise: the
/// app's futures already run on promises, so this adds no executor code).
#[derive(Clone)]
pub struct Gate {
    opened: Promise,
    /// Always set: a promise's executor runs before `Promise::new` returns.
    open: Option<Function>,
}

impl Gate {
    pub fn new() -> Self {
        let mut open = None;
        let opened = Promise::new(&mut |resolve, _| open = Some(resolve));
        Gate { opened, open }
    }

    /// Lets every waiter go on (later waiters too).
    pub fn open(&self) {
        if let Some(open) = &self.open {
            let _ = open.call0(&JsValue::NULL);
        }
    }

    pub async fn wait(&self) {
        let _ = JsFuture::from(self.opened.clone()).await;
    }
}

impl Default for Gate {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for ModelWorker {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
        // Nothing can still await a request (they borrow the worker): just let them go.
        self.shared.dead.replace(Some("the model was stopped".to_string()));
        self.shared.waiting.borrow_mut().clear();
        self.shared.progress.borrow_mut().clear();
    }
}
