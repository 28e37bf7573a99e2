//! Copying text for the user.

use wasm_bindgen_futures::JsFuture;

/// Writes `text` to the clipboard; the error says why not (insecure page, denied).
pub async fn copy(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let promise = window.navigator().clipboard().write_text(text);
    JsFuture::from(promise).await.map(|_| ()).map_err(|e| e.as_string().unwrap_or_else(|| "the browser refused".into()))
}
