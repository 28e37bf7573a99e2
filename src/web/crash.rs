//! A visible message instead of a frozen page when the app panics. The panic
//! still goes to the console (for developers); the page tells the user what to do.

use wasm_bindgen::JsCast;

/// Installs the panic hook. Call once, first thing.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_crash_message();
    }));
}

/// Panics on purpose, so that the crash message can be checked in a real browser
/// (`wasmBindings.chatdeckCrashTest()` from the console or a test). Not reachable
/// from the UI; it does nothing a user could not do by closing the tab.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = chatdeckCrashTest)]
pub fn crash_test() {
    panic!("crash test requested from the console");
}

fn show_crash_message() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else {
        return;
    };
    if document.get_element_by_id("chatdeck-crash").is_some() {
        return;
    }
    let Ok(banner) = document.create_element("div") else {
        return;
    };
    banner.set_id("chatdeck-crash");
    let _ = banner.set_attribute("role", "alert");
    banner.set_text_content(Some(
        "Something went wrong inside chatdeck and it stopped. Your conversations up to the last message are saved in this browser. ",
    ));
    if let Ok(link) = document.create_element("a") {
        let _ = link.set_attribute("href", "");
        link.set_text_content(Some("Reload the page"));
        let _ = banner.append_child(&link);
    }
    if let Ok(element) = banner.dyn_into::<web_sys::HtmlElement>() {
        let _ = body.prepend_with_node_1(&element);
    }
}
