//! Hash routes (`#/support`): each bot has a URL that survives a reload on any
//! static host and under any sub-path, with no server rewrite rules.

use leptos::prelude::*;

use crate::engine::bots::BotId;

/// What the address names: a bot, or something unknown (shown as the default bot).
/// The report page counts as the FAQ bot's: it works on the FAQ bot's knowledge base,
/// which is loaded when that bot is opened.
pub fn current() -> BotId {
    if is_report() {
        return BotId::Faq;
    }
    location_hash()
        .as_deref()
        .map(|h| h.trim_start_matches('/'))
        .and_then(BotId::from_slug)
        .unwrap_or(BotId::CustomerService)
}

/// The `href` of a bot's page, relative so that it works under any base path.
pub fn href(bot: BotId) -> String {
    format!("#/{}", bot.info().slug)
}

/// A signal that follows the address bar.
pub fn use_route() -> ReadSignal<BotId> {
    let (route, set_route) = signal(current());
    let handle = window_event_listener(leptos::ev::hashchange, move |_| set_route.set(current()));
    on_cleanup(move || handle.remove());
    route
}

/// Whether the app runs in another site's page, in the panel that `embed.js` opens
/// (`?embed=1`, next to the usual `?faq=` / `?orders=` and the bot's hash route).
pub fn is_embedded() -> bool {
    crate::web::fetch::query_param("embed").as_deref() == Some("1")
}

/// The message an embedded app posts to the page around it to have its panel closed
/// (`public/embed.js` listens for it from its own frame only). The app takes no
/// messages from the host page.
pub const CLOSE_MESSAGE: &str = "chatdeck:close";

/// Embedded: Escape that nothing in the app used (hiding suggestions, stopping a
/// story) asks the host page to close the panel. The check waits for the event to
/// finish, so that the app's own handlers, wherever they listen, have had their say.
pub fn close_on_escape() {
    let handle = window_event_listener(leptos::ev::keydown, |ev| {
        if ev.key() != "Escape" || ev.is_composing() {
            return;
        }
        set_timeout(
            move || {
                if !ev.default_prevented() {
                    if let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) {
                        let _ = parent.post_message(&CLOSE_MESSAGE.into(), "*");
                    }
                }
            },
            std::time::Duration::ZERO,
        );
    });
    on_cleanup(move || handle.remove());
}

/// The address of the page that shows which questions the FAQ fails (for its owner).
pub const REPORT_HREF: &str = "#/report";

/// Whether the address names the report page rather than a bot.
pub fn is_report() -> bool {
    location_hash().as_deref().map(|h| h.trim_start_matches('/')) == Some("report")
}

/// A signal that is true while the address names the report page.
pub fn use_report() -> ReadSignal<bool> {
    let (report, set_report) = signal(is_report());
    let handle = window_event_listener(leptos::ev::hashchange, move |_| set_report.set(is_report()));
    on_cleanup(move || handle.remove());
    report
}
