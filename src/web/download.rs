//! Saving text as a file on the user's machine.

use wasm_bindgen::JsCast;

/// Offers `text` as a download named `file_name`.
pub fn download(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|_| "the browser refused")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "the browser refused")?;
    let link: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|_| "the browser refused")?.dyn_into().map_err(|_| "no link")?;
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
