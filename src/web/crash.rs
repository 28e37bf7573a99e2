//! A visible message instead of a frozen page when the app panics.
//!
//! The release build aborts on a panic at once (`panic=immediate-abort`, see
//! tools/prelude.sh): the wasm traps and nothing more runs in it, so the message is
//! drawn by a listener in index.html that sees the trap (`WebAssembly.RuntimeError`).
//! Other builds also print the panic to the console first.

/// Sends panic messages to the console (in builds that format them). Call once, first thing.
pub fn install_panic_hook() {
    console_error_panic_hook::set_once();
}

/// Panics on purpose, so that the crash message can be checked in a real browser
/// (`wasmBindings.chatdeckCrashTest()` from the console or a test). Not reachable
/// from the UI; it does nothing a user could not do by closing the tab.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = chatdeckCrashTest)]
pub fn crash_test() {
    panic!("crash test requested from the console");
}
