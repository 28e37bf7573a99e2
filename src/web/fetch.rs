//! Loading data files over HTTP, with failures put in words a user understands.

use std::cell::Cell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Request, RequestInit, Response};

/// How long a data file may take, headers and body together. A server that never
/// answers (a captive portal, a stalled proxy) must not leave a bot loading forever.
pub const TIMEOUT_MS: u32 = 15_000;

/// The bytes at `url` (relative URLs resolve against the page, so data files work
/// under any base path). The error is a short phrase: "HTTP 404", "the network is
/// unreachable", …
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let init = RequestInit::new();
    let controller = AbortController::new().ok();
    if let Some(controller) = &controller {
        init.set_signal(Some(&controller.signal()));
    }
    let timed_out = Rc::new(Cell::new(false));
    // Dropping the guard at the end of this function cancels the timer.
    let _guard = controller.map(|controller| {
        let timed_out = Rc::clone(&timed_out);
        Timeout::new(TIMEOUT_MS, move || {
            timed_out.set(true);
            controller.abort();
        })
    });
    let failed = |plain: &str| {
        if timed_out.get() {
            format!("the server did not answer within {} seconds", TIMEOUT_MS / 1000)
        } else {
            plain.to_string()
        }
    };

    let request = Request::new_with_str_and_init(url, &init).map_err(|_| format!("the address {url} is not valid"))?;
    let response =
        JsFuture::from(window.fetch_with_request(&request)).await.map_err(|_| failed("the network is unreachable"))?;
    let response: Response = response.dyn_into().map_err(|_| "the browser returned no response")?;
    if !response.ok() {
        return Err(format!("HTTP {} for {url}", response.status()));
    }
    let content_type = response.headers().get("content-type").ok().flatten().unwrap_or_default();
    if is_web_page(&content_type) {
        // What a host sends for a missing file when it falls back to its home page,
        // or a Wi-Fi login page: never data.
        return Err("the server sent a web page instead of the data file".to_string());
    }
    let buffer = response.array_buffer().map_err(|_| "the response has no body")?;
    let buffer = JsFuture::from(buffer).await.map_err(|_| failed("the download was interrupted"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

fn is_web_page(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("text/html") || essence.eq_ignore_ascii_case("application/xhtml+xml")
}

/// The value of a query parameter of the page's address (`?orders=…`).
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get(name).filter(|v| !v.trim().is_empty())
}
