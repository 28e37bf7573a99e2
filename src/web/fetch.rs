//! Loading data files over HTTP, with failures put in words a user understands.

use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortController, ReadableStreamDefaultReader, ReadableStreamReadResult, Request, RequestInit, Response};

use crate::engine::text::megabytes;
use crate::web::deadline::{Deadline, Unsettled};

/// How long a data file may take, headers and body together. A server that never
/// answers (a captive portal, a stalled proxy) must not leave a bot loading forever.
pub const TIMEOUT_MS: u32 = 15_000;

/// The header the service worker adds when the network failed and it answered with
/// the copy it kept (see sw.template.js); the value is when that copy was fetched,
/// in milliseconds since 1970.
const OFFLINE_COPY_HEADER: &str = "x-chatdeck-offline-copy";

/// A data file as it arrived.
pub struct Fetched {
    pub bytes: Vec<u8>,
    /// When the network was unreachable and this is the copy kept from an earlier
    /// visit: when that copy was fetched, as a local date and time for people.
    pub offline_copy_from: Option<String>,
}

/// The bytes at `url` (relative URLs resolve against the page, so data files work
/// under any base path), refused once they pass `max_bytes`: the body is read as a
/// stream and the download stops at the limit, so a 90 MB file never fills memory.
/// The error is a short phrase: "HTTP 404", "the network is unreachable", …
pub async fn fetch_data(url: &str, max_bytes: usize) -> Result<Fetched, String> {
    // Noted before it is sent: one still in flight when the service worker takes control
    // went past it, and must be asked for again too.
    USED.with(|used| used.borrow_mut().push(url.to_string()));
    fetch_limited(url, max_bytes).await
}

thread_local! {
    /// The data files this page asked for (see [`used_data`]).
    static USED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// The data files this page has asked for. On a first visit they are fetched before the
/// service worker controls the page, so it has not kept them: the page asks for them
/// again once it does (src/web/service_worker.rs), for the bots to work offline later.
pub fn used_data() -> Vec<String> {
    USED.with(|used| used.borrow().clone())
}

async fn fetch_limited(url: &str, max_bytes: usize) -> Result<Fetched, String> {
    let window = web_sys::window().ok_or("no window")?;
    let init = RequestInit::new();
    let controller = AbortController::new().ok();
    if let Some(controller) = &controller {
        init.set_signal(Some(&controller.signal()));
    }
    // For the headers and the body together; dropped (its timer cancelled) on return.
    let deadline = Deadline::after(TIMEOUT_MS);
    let failed = |why: Unsettled, plain: &str| {
        if let Some(controller) = &controller {
            controller.abort();
        }
        match why {
            Unsettled::Late => format!("the server did not answer within {} seconds", TIMEOUT_MS / 1000),
            Unsettled::Failed(_) => plain.to_string(),
        }
    };
    // Stops the download (a refused body is not worth the bandwidth).
    let abort = || {
        if let Some(controller) = &controller {
            controller.abort();
        }
    };
    let limit_mb = max_bytes / 1_048_576;
    let too_big = || format!("the file is larger than the limit of {limit_mb} MB");

    let request = Request::new_with_str_and_init(url, &init).map_err(|_| format!("the address {url} is not valid"))?;
    let response = deadline
        .race(window.fetch_with_request(&request))
        .await
        .map_err(|why| failed(why, "the network is unreachable"))?;
    let response: Response = response.dyn_into().map_err(|_| "the browser returned no response")?;
    if !response.ok() {
        return Err(format!("HTTP {} for {url}", response.status()));
    }
    let header = |name: &str| response.headers().get(name).ok().flatten();
    if is_web_page(&header("content-type").unwrap_or_default()) {
        // What a host sends for a missing file when it falls back to its home page,
        // or a Wi-Fi login page: never data.
        abort();
        return Err("the server sent a web page instead of the data file".to_string());
    }
    // A declared length over the limit is refused before any of the body is read
    // (compressed bodies declare their compressed length, which is smaller still).
    if let Some(declared) = header("content-length").and_then(|l| l.trim().parse::<usize>().ok()) {
        if declared > max_bytes {
            abort();
            return Err(format!("the file is {}; the limit is {limit_mb} MB", megabytes(declared)));
        }
    }
    // JavaScript reads the number: Rust's float parser would add 5 kB to the wasm.
    let offline_copy_from =
        header(OFFLINE_COPY_HEADER).map(|ms| js_sys::parse_float(&ms)).filter(|ms| ms.is_finite()).map(local_time);
    let Some(body) = response.body() else {
        return Ok(Fetched { bytes: Vec::new(), offline_copy_from });
    };
    let reader: ReadableStreamDefaultReader =
        body.get_reader().dyn_into().map_err(|_| "the browser cannot read the response")?;
    let mut bytes = Vec::new();
    loop {
        let chunk = deadline.race(reader.read()).await.map_err(|why| failed(why, "the download was interrupted"))?;
        let chunk: ReadableStreamReadResult = chunk.unchecked_into();
        if chunk.get_done().unwrap_or(true) {
            break;
        }
        let part = js_sys::Uint8Array::new(&chunk.get_value());
        if bytes.len() + part.length() as usize > max_bytes {
            let _ = reader.cancel();
            abort();
            return Err(too_big());
        }
        let start = bytes.len();
        bytes.resize(start + part.length() as usize, 0);
        part.copy_to(&mut bytes[start..]);
    }
    Ok(Fetched { bytes, offline_copy_from })
}

fn is_web_page(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("text/html") || essence.eq_ignore_ascii_case("application/xhtml+xml")
}

/// A moment (ms since 1970) as the reader's browser writes dates: "3 Mar 2026, 14:05".
/// No locale is named: the browser's default never throws, while the language it
/// reports may not be a valid tag ("C" under a POSIX locale, as WebKitGTK reported
/// here), and `toLocaleString` then throws a RangeError through the wasm, which left the
/// bot loading forever with no message (issue 13's "offline start-up" bug in WebKit).
fn local_time(ms: f64) -> String {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &options)
        .format()
        .call1(&JsValue::UNDEFINED, &date)
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_else(|| String::from(date.to_iso_string()))
}

/// The value of a query parameter of the page's address (`?orders=…`).
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get(name).filter(|v| !v.trim().is_empty())
}

/// The origin of `url` (resolved against the page, like a fetch), when it is not
/// the page's own: data from there needs the reader's consent before a bot uses it.
/// `None` for the page's own origin and for addresses that do not parse (the fetch
/// then fails and says so).
pub fn foreign_origin(url: &str) -> Option<String> {
    let location = web_sys::window()?.location();
    let page = location.href().ok()?;
    let own = location.origin().ok()?;
    let target = web_sys::Url::new_with_base(url, &page).ok()?.origin();
    (target != own).then_some(target)
}

/// The host name of an origin, for people ("https://example.com:8443" -> "example.com:8443").
pub fn host_of(origin: &str) -> String {
    web_sys::Url::new(origin).map(|u| u.host()).unwrap_or_else(|_| origin.to_string())
}
