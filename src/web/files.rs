//! Reading a file the user picked or dropped.

use wasm_bindgen_futures::JsFuture;

/// The bytes of `file`, refused before reading when larger than `max_bytes`
/// (a 50 MB file is rejected at once instead of being read into memory).
pub async fn read_file(file: &web_sys::File, max_bytes: usize) -> Result<Vec<u8>, String> {
    let size = file.size();
    if size > max_bytes as f64 {
        return Err(format!("the file is {:.1} MB; the limit is {} MB", size / 1_048_576.0, max_bytes / 1_048_576));
    }
    let buffer =
        JsFuture::from(file.array_buffer()).await.map_err(|_| "the browser could not read the file".to_string())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
