//! Registers the service worker (offline use) and tells the app when a new build
//! is installed and waiting, so the user can switch to it when they choose.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};

/// Registers `sw.js` (relative, so it works under any base path). `on_update` runs
/// when a newer build is installed and waiting.
pub fn register(on_update: impl Fn() + 'static) {
    let Some(container) = container() else {
        return; // no service workers (Firefox private mode, plain http): the app works online
    };
    // Taken now, before any data file is asked for (they are all asked for by the app,
    // which starts after this): when the page starts without a worker in control, what
    // it loads goes past the worker, which must be given it again once it takes control.
    let controlled_from_start = container.controller().is_some();
    let on_update = std::rc::Rc::new(on_update);
    wasm_bindgen_futures::spawn_local(async move {
        page_copies_kept().await;
        let Ok(registration) = JsFuture::from(container.register("sw.js")).await else {
            return; // refused (file://, blocked by policy): the app works online
        };
        let Ok(registration) = registration.dyn_into::<ServiceWorkerRegistration>() else {
            return; // an automation or privacy layer answered with something else
        };
        let has_controller = container.controller().is_some();
        if registration.waiting().is_some() && has_controller {
            on_update();
        }
        if !controlled_from_start {
            keep_used_data_once_controlled(&container);
        }
        let registration_for_closure = registration.clone();
        let found = Closure::<dyn Fn()>::new(move || {
            let Some(worker) = registration_for_closure.installing() else { return };
            let worker_for_closure = worker.clone();
            let on_update = on_update.clone();
            let changed = Closure::<dyn Fn()>::new(move || {
                let has_controller =
                    web_sys::window().and_then(|w| w.navigator().service_worker().controller()).is_some();
                if worker_for_closure.state() == ServiceWorkerState::Installed && has_controller {
                    on_update();
                }
            });
            worker.set_onstatechange(Some(changed.as_ref().unchecked_ref()));
            changed.forget(); // lives as long as the worker
        });
        registration.set_onupdatefound(Some(found.as_ref().unchecked_ref()));
        found.forget(); // lives as long as the page
    });
}

/// A first visit: when the new worker takes control, the data files the page already
/// loaded are asked for again (usually from the HTTP cache) so that it keeps them; the
/// data files are not precached, each is loaded when its bot is opened. Nothing orders
/// the answer to the registration before the worker's taking control: when it is already
/// in control, no `controllerchange` is coming, and they are asked for at once.
fn keep_used_data_once_controlled(container: &web_sys::ServiceWorkerContainer) {
    if container.controller().is_some() {
        fetch_used_data_again();
        return;
    }
    let fetch_again = Closure::once_into_js(fetch_used_data_again);
    let options = web_sys::AddEventListenerOptions::new();
    options.set_once(true);
    let _ = container.add_event_listener_with_callback_and_add_event_listener_options(
        "controllerchange",
        fetch_again.unchecked_ref(),
        &options,
    );
}

/// Asks again for every data file the page has asked for, through the worker now in
/// control, which keeps what passes through it.
fn fetch_used_data_again() {
    let Some(window) = web_sys::window() else { return };
    for url in crate::web::fetch::used_data() {
        // The answer itself is not needed, and a failure (the page navigating away
        // meanwhile) is no error here.
        let request = window.fetch_with_str(&url);
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(request).await;
        });
    }
}

/// On a first visit, index.html's early script keeps a copy of the wasm the page
/// downloaded for the worker's install to take (tools/post_build.py, step 1): the worker
/// is registered once it is kept, or it would download the wasm again. A build without
/// that script (none is made without it) registers at once.
async fn page_copies_kept() {
    let Some(window) = web_sys::window() else { return };
    let kept = js_sys::Reflect::get(&window, &JsValue::from_str("chatdeckKept")).ok();
    if let Some(kept) = kept.and_then(|k| k.dyn_into::<js_sys::Promise>().ok()) {
        let _ = JsFuture::from(kept).await;
    }
}

/// `navigator.serviceWorker`, when this browser context has one: web-sys's getter
/// assumes it always exists, but it is `undefined` in insecure or private contexts.
fn container() -> Option<web_sys::ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    let value = js_sys::Reflect::get(&navigator, &JsValue::from_str("serviceWorker")).ok()?;
    value.dyn_into().ok()
}

/// Switches to the waiting build: the new worker takes over, then the page reloads.
pub fn apply_update() {
    let Some(container) = container() else { return };
    let reload = Closure::<dyn Fn()>::new(|| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
    reload.forget();
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(registration) = JsFuture::from(container.get_registration()).await {
            let registration: Option<ServiceWorkerRegistration> = registration.dyn_into().ok();
            if let Some(waiting) = registration.and_then(|r| r.waiting()) {
                let _ = ServiceWorker::post_message(&waiting, &JsValue::from_str("skip-waiting"));
            }
        }
    });
}
