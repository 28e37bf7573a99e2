//! Reading a file the user picked or dropped.

use wasm_bindgen_futures::JsFuture;

use crate::engine::text::megabytes;

/// The bytes of `file`, refused before reading when larger than `max_bytes`
/// (a 50 MB file is rejected at once instead of being read into memory).
pub async fn read_file(file: &web_sys::File, max_bytes: usize) -> Result<Vec<u8>, String> {
    // A File's size is a JS number; files larger than usize::MAX saturate, which is still too large.
    let size = file.size() as usize;
    if size > max_bytes {
        return Err(format!("the file is {}; the limit is {} MB", megabytes(size), max_bytes / 1_048_576));
    }
    let buffer =
        JsFuture::from(file.array_buffer()).await.map_err(|_| "the browser could not read the file".to_string())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
