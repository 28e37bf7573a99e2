//! Loading data files over HTTP, with failures put in words a user understands.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

/// The bytes at `url` (relative URLs resolve against the page, so data files work
/// under any base path). The error is a short phrase: "HTTP 404", "offline", …
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let init = RequestInit::new();
    let request = Request::new_with_str_and_init(url, &init).map_err(|_| format!("the address {url} is not valid"))?;
    let response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| "the network is unreachable".to_string())?;
    let response: Response = response.dyn_into().map_err(|_| "the browser returned no response")?;
    if !response.ok() {
        return Err(format!("HTTP {} for {url}", response.status()));
    }
    let buffer = response.array_buffer().map_err(|_| "the response has no body")?;
    let buffer = JsFuture::from(buffer).await.map_err(|_| "the download was interrupted".to_string())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The value of a query parameter of the page's address (`?orders=…`).
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get(name).filter(|v| !v.trim().is_empty())
}
