//! The model files and the knowledge bases' vectors, kept in this browser with the
//! Cache API so that the semantic tier works offline and a reload does not embed a
//! knowledge base again. Used by the model worker (it runs in a worker or a page alike).
//!
//! The cache has its own name, outside the service worker's `chatdeck-<build>`
//! caches: the service worker deletes those of older builds when a new build takes
//! over, and a 25 MB model must survive an update of the app that does not change it.
//! Model files are kept under their content hash (from `model/manifest.json`, written
//! at build time by tools/model_manifest.py), so a build with another model downloads
//! it instead of using the old one.

use js_sys::{Array, ArrayBuffer, Float32Array, Uint8Array};
use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    AbortController, Cache, ReadableStreamDefaultReader, ReadableStreamReadResult, Request, RequestInit, Response,
};

use crate::web::deadline::{within, Unsettled};

/// The cache of the semantic tier. Not `chatdeck-…`: see the module comment.
const CACHE_NAME: &str = "chatdeck.understanding.v1";

/// A download that delivers no byte for this long is given up (a stalled proxy, a
/// captive portal); a slow but moving one may take as long as it needs.
const STALL_MS: u32 = 30_000;

/// Build-time vectors are small and the app's own: a server this slow to send them is
/// slower than embedding the phrasings here.
const BUILD_VECTORS_STALL_MS: u32 = 10_000;

/// A cache call that has not answered after this long is taken as failed: everything
/// works without the cache, only not offline. (Reading a kept body may take as long as
/// a stalled download: a 25 MB model on a slow phone.)
const CACHE_MS: u32 = 10_000;

/// How many knowledge bases' vectors are kept; older ones are dropped.
const KEPT_VECTOR_SETS: usize = 4;

/// Where vectors are kept, relative to the page (the Cache API keys by URL; nothing
/// is ever fetched from there).
const VECTORS_PATH: &str = "understanding-vectors/";

/// What the build says about its model files (tools/model_manifest.py).
#[derive(Deserialize)]
struct Manifest {
    model: FileInfo,
    vocab: FileInfo,
}

#[derive(Deserialize)]
struct FileInfo {
    file: String,
    bytes: u64,
    sha256: String,
}

/// The model and its vocabulary, as the worker needs them.
pub struct ModelFiles {
    pub model: ArrayBuffer,
    pub vocab: String,
}

/// The cache, when this browser offers one (not on plain http except localhost, nor
/// in some private modes): without it everything works online, just not offline.
async fn open() -> Option<Cache> {
    let caches = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("caches")).ok()?;
    let caches: web_sys::CacheStorage = caches.dyn_into().ok()?;
    within(caches.open(CACHE_NAME), CACHE_MS).await.ok()?.dyn_into().ok()
}

/// The body of the cached response for `url`, if any.
async fn cached(cache: &Cache, url: &str) -> Option<ArrayBuffer> {
    let hit = within(cache.match_with_str(url), CACHE_MS).await.ok()?;
    let response: Response = hit.dyn_into().ok()?;
    within(response.array_buffer().ok()?, STALL_MS).await.ok()?.dyn_into().ok()
}

async fn keep(cache: &Cache, url: &str, body: &js_sys::Object) -> Result<(), ()> {
    let response = Response::new_with_opt_buffer_source(Some(body)).map_err(|_| ())?;
    within(cache.put_with_str(url, &response), CACHE_MS).await.map(|_| ()).map_err(|_| ())
}

/// The URLs of everything kept, in the order they were stored.
async fn kept_urls(cache: &Cache) -> Vec<Request> {
    let Ok(keys) = within(cache.keys(), CACHE_MS).await else {
        return Vec::new();
    };
    Array::from(&keys).iter().filter_map(|r| r.dyn_into::<Request>().ok()).collect()
}

/// The model files at `dir` (relative to the worker's script, which is beside the
/// page): from this browser's cache when this build's model was downloaded before,
/// else downloaded (`on_progress` gets the percent of the model) and kept. The error
/// is a short phrase for people.
pub async fn model_files(dir: &str, on_progress: &dyn Fn(u8)) -> Result<ModelFiles, String> {
    let cache = open().await;
    let manifest = match download(&format!("{dir}manifest.json"), None, STALL_MS, &|_, _| {}).await {
        Ok(bytes) => serde_json::from_slice::<Manifest>(&Uint8Array::new(&bytes).to_vec())
            .map_err(|e| format!("the model's manifest is unreadable: {e}")),
        Err(why) => Err(why),
    };
    let manifest = match manifest {
        Ok(manifest) => manifest,
        // Offline (the manifest is never cached: it must name this build's model): any
        // model kept from an earlier visit is better than none.
        Err(why) => return newest_kept(cache.as_ref(), dir).await.ok_or(why),
    };
    let model_url = versioned(dir, &manifest.model);
    let vocab_url = versioned(dir, &manifest.vocab);
    let model = file(cache.as_ref(), &model_url, &manifest.model, &|received| {
        on_progress((received.min(manifest.model.bytes) * 100 / manifest.model.bytes.max(1)) as u8)
    })
    .await?;
    let vocab = file(cache.as_ref(), &vocab_url, &manifest.vocab, &|_| {}).await?;
    let vocab = String::from_utf8(Uint8Array::new(&vocab).to_vec()).map_err(|_| "the vocabulary is not text")?;
    if let Some(cache) = &cache {
        // Files of other models are of no more use.
        for old in kept_urls(cache).await {
            let url = old.url();
            if url.contains(dir) && !url.ends_with(&model_url) && !url.ends_with(&vocab_url) {
                let _ = within(cache.delete_with_request(&old), CACHE_MS).await;
            }
        }
    }
    Ok(ModelFiles { model, vocab })
}

/// `dir/file?v=<hash>`: a static host ignores the query; the cache keys by all of it.
fn versioned(dir: &str, info: &FileInfo) -> String {
    format!("{dir}{}?v={}", info.file, info.sha256.get(..16).unwrap_or(&info.sha256))
}

/// One model file, from the cache or downloaded (then kept), checked against its size.
async fn file(
    cache: Option<&Cache>,
    url: &str,
    info: &FileInfo,
    on_progress: &dyn Fn(u64),
) -> Result<ArrayBuffer, String> {
    if let Some(cache) = cache {
        if let Some(body) = cached(cache, url).await.filter(|b| u64::from(b.byte_length()) == info.bytes) {
            on_progress(info.bytes);
            return Ok(body);
        }
    }
    let body = download(url, Some(info.bytes), STALL_MS, &|received, _| on_progress(received)).await?;
    if u64::from(body.byte_length()) != info.bytes {
        return Err(format!("{} arrived incomplete", info.file));
    }
    if let Some(cache) = cache {
        // A full quota only costs the offline copy: the model works for this visit.
        let _ = keep(cache, url, &body).await;
    }
    Ok(body)
}

/// The newest model and vocabulary kept in the cache, whatever their version.
async fn newest_kept(cache: Option<&Cache>, dir: &str) -> Option<ModelFiles> {
    let cache = cache?;
    let urls: Vec<String> = kept_urls(cache).await.iter().map(Request::url).filter(|u| u.contains(dir)).collect();
    let newest = |name: &str| urls.iter().rev().find(|u| u.contains(&format!("{dir}{name}?"))).cloned();
    let model = cached(cache, &newest("minilm.gguf")?).await?;
    let vocab = cached(cache, &newest("vocab.txt")?).await?;
    let vocab = String::from_utf8(Uint8Array::new(&vocab).to_vec()).ok()?;
    Some(ModelFiles { model, vocab })
}

/// The body at `url`, read as a stream so that `on_progress` can follow it (bytes
/// received, and the total: `expected`, else what the server declares).
async fn download(
    url: &str,
    expected: Option<u64>,
    stall_ms: u32,
    on_progress: &dyn Fn(u64, Option<u64>),
) -> Result<ArrayBuffer, String> {
    let controller = AbortController::new().map_err(|_| "the browser cannot download")?;
    let init = RequestInit::new();
    init.set_signal(Some(&controller.signal()));
    let request = Request::new_with_str_and_init(url, &init).map_err(|_| format!("the address {url} is not valid"))?;
    // Each step (the headers, every chunk) may take up to `stall_ms`; a slow but moving
    // download may take as long as it needs.
    let failed = |why: Unsettled, plain: &str| {
        controller.abort();
        match why {
            Unsettled::Late => format!("the download stalled for {} seconds", stall_ms / 1000),
            Unsettled::Failed(_) => plain.to_string(),
        }
    };
    let response = within(fetch(&request)?, stall_ms).await.map_err(|why| failed(why, "the network is unreachable"))?;
    let response: Response = response.dyn_into().map_err(|_| "the browser returned no response")?;
    if !response.ok() {
        // Without the version query: it says nothing to people.
        let shown = url.split('?').next().unwrap_or(url);
        return Err(format!("HTTP {} for {shown}", response.status()));
    }
    let header = |name: &str| response.headers().get(name).ok().flatten();
    if header("content-type").is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("text/html")) {
        // A host's home page for a missing file, or a Wi-Fi login page: never a model.
        controller.abort();
        return Err("the server sent a web page instead of the model".to_string());
    }
    let total = expected.or_else(|| header("content-length").and_then(|l| l.trim().parse::<u64>().ok()));
    let body = response.body().ok_or("the response has no body")?;
    let reader: ReadableStreamDefaultReader =
        body.get_reader().dyn_into().map_err(|_| "the browser cannot read the response")?;
    let mut chunks = Vec::new();
    let mut received: u64 = 0;
    on_progress(0, total);
    loop {
        let chunk = within(reader.read(), stall_ms).await.map_err(|why| failed(why, "the download was interrupted"))?;
        let chunk: ReadableStreamReadResult = chunk.unchecked_into();
        if chunk.get_done().unwrap_or(true) {
            break;
        }
        let part = Uint8Array::new(&chunk.get_value());
        received += u64::from(part.length());
        chunks.push(part);
        on_progress(received, total);
    }
    let whole = Uint8Array::new_with_length(u32::try_from(received).map_err(|_| "the file is too large")?);
    let mut at = 0;
    for part in &chunks {
        whole.set(part, at);
        at += part.length();
    }
    Ok(whole.buffer())
}

/// `fetch` of the page or of a worker, whichever runs this.
fn fetch(request: &Request) -> Result<js_sys::Promise, String> {
    if let Some(window) = web_sys::window() {
        return Ok(window.fetch_with_request(request));
    }
    let scope: web_sys::WorkerGlobalScope = js_sys::global().dyn_into().map_err(|_| "no way to download here")?;
    Ok(scope.fetch_with_request(request))
}

fn vectors_url(key: &str) -> String {
    format!("{VECTORS_PATH}{key}")
}

/// The vectors kept under `key`, if there are exactly `floats` of them.
pub async fn vectors(key: &str, floats: usize) -> Option<Float32Array> {
    let cache = open().await?;
    let body = cached(&cache, &vectors_url(key)).await?;
    let vectors = Float32Array::new(&body);
    (vectors.length() as usize == floats).then_some(vectors)
}

/// Vectors computed at build time for a set of phrasings the app ships (the demo
/// FAQ, the bots' intents: `src/bin/build_vectors.rs`), at `url`, when the build has
/// them and they have the expected length. Anything else (another FAQ: a 404; offline)
/// is `None`, and the worker embeds the phrasings itself.
pub async fn build_vectors(url: &str, floats: usize) -> Option<Float32Array> {
    let body = download(url, Some((floats * 4) as u64), BUILD_VECTORS_STALL_MS, &|_, _| {}).await.ok()?;
    let vectors = Float32Array::new(&body);
    (vectors.length() as usize == floats).then_some(vectors)
}

/// Keeps `vectors` under `key`, and drops the oldest sets beyond the few kept.
/// Failing (no cache, a full quota) only means they are computed again next time.
pub async fn keep_vectors(key: &str, vectors: &Float32Array) {
    let Some(cache) = open().await else { return };
    if keep(&cache, &vectors_url(key), vectors).await.is_err() {
        return;
    }
    let sets: Vec<Request> = kept_urls(&cache).await.into_iter().filter(|r| r.url().contains(VECTORS_PATH)).collect();
    // keys() lists in insertion order (a put of a key already there re-inserts it at
    // the end): the first are the oldest.
    for old in sets.iter().take(sets.len().saturating_sub(KEPT_VECTOR_SETS)) {
        let _ = within(cache.delete_with_request(old), CACHE_MS).await;
    }
}
