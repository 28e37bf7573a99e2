//! The application shell: navigation between bots, one conversation per bot kept
//! for the whole visit (and saved), and the wiring from a sent message to the
//! engine's reply.

use leptos::prelude::*;

use crate::engine::bots::{self, BotId, BotInfo, BOTS};
use crate::engine::chat::{Role, Status, Transcript};
use crate::ui::chat_view::ChatView;
use crate::ui::notices::{NoticeList, Notices};
use crate::ui::player;
use crate::web::{route, storage};

/// One bot's conversation as the shell holds it.
#[derive(Clone, Copy)]
struct Conversation {
    bot: BotId,
    transcript: RwSignal<Transcript>,
    draft: RwSignal<String>,
    busy: RwSignal<bool>,
}

impl Conversation {
    /// Restores the saved conversation of `bot`, telling the user when it could not.
    fn restore(bot: BotId, notices: Notices) -> Self {
        let info = bot.info();
        let transcript = match storage::load::<()>(info.slug) {
            storage::Loaded::Nothing => Transcript::default(),
            storage::Loaded::Restored(transcript, _) => transcript,
            storage::Loaded::Unreadable { error, kept_as } => {
                let kept = match kept_as {
                    Some(key) => format!("It was kept in this browser's storage under \"{key}\"."),
                    None => {
                        "It could not be set aside either, so it was left in place.".to_string()
                    }
                };
                notices.push(format!("The {} conversation could not be restored: {error}. {kept} A new conversation starts here.", info.name));
                Transcript::default()
            }
        };
        Self {
            bot,
            transcript: RwSignal::new(transcript),
            draft: RwSignal::new(String::new()),
            busy: RwSignal::new(false),
        }
    }

    fn send(self, text: String) {
        self.transcript.update(|t| {
            t.push(Role::User, text.clone(), Status::Done);
        });
        if let Some(reply) = bots::reply(self.bot, &text) {
            player::play(reply, self.transcript, self.busy);
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    let notices = Notices::new();
    let conversations: [Conversation; 4] =
        std::array::from_fn(|i| Conversation::restore(BOTS[i].id, notices));
    for c in conversations {
        let slug = c.bot.info().slug;
        Effect::new(move |_| {
            let result = c.transcript.with(|t| storage::save::<()>(slug, t, None));
            if let Err(why) = result {
                notices.push(format!(
                    "Your conversation is kept on this page but cannot be saved: {why}."
                ));
            }
        });
    }
    let route = route::use_route();
    let current = move || conversations[route.get() as usize];
    view! {
        <div class="app">
            <header class="topbar">
                <a class="brand" href=route::href(BotId::CustomerService)>
                    <span aria-hidden="true">"💬"</span>" chatdeck"
                </a>
                <nav aria-label="Bots">
                    {BOTS.iter().map(|info| view! { <NavLink info route/> }).collect_view()}
                </nav>
            </header>
            <NoticeList notices/>
            {move || {
                let c = current();
                let info = c.bot.info();
                if info.available {
                    view! {
                        <ChatView info transcript=c.transcript draft=c.draft busy=c.busy.into()
                            on_send=Callback::new(move |text| c.send(text))/>
                    }
                    .into_any()
                } else {
                    view! { <ComingSoon info/> }.into_any()
                }
            }}
        </div>
    }
}

#[component]
fn NavLink(info: &'static BotInfo, route: ReadSignal<BotId>) -> impl IntoView {
    let current = move || route.get() == info.id;
    view! {
        <a href=route::href(info.id) class="nav-link" class:soon=!info.available
            aria-current=move || if current() { Some("page") } else { None }>
            {info.name}
            {(!info.available).then(|| view! { <small>" coming soon"</small> })}
        </a>
    }
}

#[component]
fn ComingSoon(info: &'static BotInfo) -> impl IntoView {
    view! {
        <main class="chat coming-soon">
            <div class="log-inner">
                <header class="chat-title">
                    <h1>{info.title}</h1>
                    <p>{info.tagline}</p>
                </header>
                <p class="soon-note">"This bot is coming soon. Meanwhile the "
                    <a href=route::href(BotId::CustomerService)>"Customer Service bot"</a>" is ready to help."</p>
            </div>
        </main>
    }
}
