//! Telling the site owner which questions the FAQ bot missed, when the page that
//! embeds chatdeck asks for it with `?report=URL`. Off unless that is set.

use crate::web::fetch;

/// The endpoint of `?report=URL`: an https address, or one of the page's own origin.
/// Anything else (plain http elsewhere, `javascript:`, `data:`) is ignored, so that a
/// link cannot make the app send a visitor's questions somewhere unencrypted. The
/// app's CSP (connect-src 'self' https:) would block such a beacon anyway.
pub fn endpoint() -> Option<String> {
    let raw = fetch::query_param("report")?;
    let location = web_sys::window()?.location();
    let url = web_sys::Url::new_with_base(raw.trim(), &location.href().ok()?).ok()?;
    let own = location.origin().ok()?;
    (url.protocol() == "https:" || url.origin() == own).then(|| url.href())
}

/// Sends `json` with `navigator.sendBeacon`, which the browser delivers even when the
/// page is closing. The body is a string, so it goes as text/plain: a JSON content
/// type would need a CORS preflight, which beacons to another origin cannot make.
pub fn send(url: &str, json: &str) -> bool {
    web_sys::window().is_some_and(|w| w.navigator().send_beacon_with_opt_str(url, Some(json)).unwrap_or(false))
}
