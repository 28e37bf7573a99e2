//! Awaiting a browser call for a bounded time. An aborted `fetch` is meant to reject,
//! and a cache call to answer, but nothing guarantees either: a deadline that rejects
//! on its own timer, raced against the call, ends the wait whatever the browser does.
//! Added after a CI run in which WebKit never finished embedding a knowledge base (not
//! reproduced since; a call that never settles is the one way to wait forever there).

use gloo_timers::callback::Timeout;
use js_sys::{Array, Promise};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// What the deadline rejects with (never a value a browser API gives).
const LATE: &str = "chatdeck: no answer in time";

/// Why a raced call gave no value.
pub enum Unsettled {
    /// It rejected (the network failed, the call was refused or aborted), with this.
    Failed(JsValue),
    /// The deadline passed first.
    Late,
}

/// A point in time, `ms` from its creation; dropping it cancels its timer.
pub struct Deadline {
    passed: Promise,
    _timer: Option<Timeout>,
}

impl Deadline {
    pub fn after(ms: u32) -> Self {
        let mut reject = None;
        let passed = Promise::new(&mut |_, rejecter| reject = Some(rejecter));
        let timer = reject.map(|reject| {
            Timeout::new(ms, move || {
                let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(LATE));
            })
        });
        Deadline { passed, _timer: timer }
    }

    /// `call`'s value, unless it rejects or the deadline passes first.
    pub async fn race(&self, call: Promise) -> Result<JsValue, Unsettled> {
        JsFuture::from(Promise::race(&Array::of2(&call, &self.passed))).await.map_err(|why| {
            if why.as_string().as_deref() == Some(LATE) {
                Unsettled::Late
            } else {
                Unsettled::Failed(why)
            }
        })
    }
}

/// `call`'s value, if it settles within `ms`.
pub async fn within(call: Promise, ms: u32) -> Result<JsValue, Unsettled> {
    Deadline::after(ms).race(call).await
}
