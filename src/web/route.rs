//! Hash routes (`#/support`): each bot has a URL that survives a reload on any
//! static host and under any sub-path, with no server rewrite rules.

use leptos::prelude::*;

use crate::engine::bots::BotId;

/// What the address names: a bot, or something unknown (shown as the default bot).
pub fn current() -> BotId {
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
