//! The application shell: navigation between bots, one conversation per bot kept
//! for the whole visit (and saved), and the wiring from a sent message to the
//! engine's reply.

use leptos::prelude::*;

use leptos::task::spawn_local;

use crate::engine::bots::story::Library;
use crate::engine::bots::{self, BotId, BotInfo, DialogState, Resources, BOTS};
use crate::engine::chat::{Role, Status, Transcript};
use crate::engine::orders::{OrderBook, Orders};
use crate::engine::playback::Speed;
use crate::ui::chat_view::ChatView;
use crate::ui::knowledge_base::{self, KnowledgeBaseBar, KnowledgeBaseSlot};
use crate::ui::notices::{NoticeList, Notices};
use crate::ui::player::Player;
use crate::web::{fetch, route, service_worker, storage};

/// The demo order data, relative to the page; `?orders=URL` points elsewhere.
const DEFAULT_ORDERS_URL: &str = "orders.csv";
/// The story library, relative to the page.
const STORIES_URL: &str = "stories.json";

/// One bot's conversation as the shell holds it.
#[derive(Clone, Copy)]
struct Conversation {
    bot: BotId,
    transcript: RwSignal<Transcript>,
    state: RwSignal<DialogState>,
    draft: RwSignal<String>,
    player: Player,
}

impl Conversation {
    /// Restores the saved conversation of `bot`, telling the user when it could not.
    fn restore(bot: BotId, notices: Notices) -> Self {
        let info = bot.info();
        let (transcript, state) = match storage::load::<DialogState>(info.slug) {
            storage::Loaded::Nothing => Default::default(),
            storage::Loaded::Restored(transcript, state) => (transcript, state.unwrap_or_default()),
            storage::Loaded::Unreadable { error, kept_as } => {
                let kept = match kept_as {
                    Some(key) => format!("It was kept in this browser's storage under \"{key}\"."),
                    None => "It could not be set aside either, so it was left in place.".to_string(),
                };
                notices.push(format!(
                    "The {} conversation could not be restored: {error}. {kept} A new conversation starts here.",
                    info.name
                ));
                Default::default()
            }
        };
        let transcript = RwSignal::new(transcript);
        Self {
            bot,
            transcript,
            state: RwSignal::new(state),
            draft: RwSignal::new(String::new()),
            player: Player::new(transcript),
        }
    }

    /// Forgets the conversation and where its dialog stood.
    fn clear(self) {
        self.player.stop();
        self.transcript.set(Transcript::default());
        self.state.set(DialogState::default());
    }

    fn send(self, text: String, resources: RwSignal<Resources>, speed: RwSignal<Speed>) {
        // A story still streaming is completed before the next message, never cut.
        self.player.skip();
        self.transcript.update(|t| {
            t.push(Role::User, text.clone(), Status::Done);
        });
        let reply = resources
            .with_untracked(|r| self.state.try_update(|state| bots::reply(self.bot, state, r, &text)).flatten());
        if let Some(reply) = reply {
            self.player.play(reply, speed, !storage::prefers_reduced_motion());
        }
    }
}

/// Fetches the order data in the background; a failure is told once and leaves
/// the support bot working for everything but lookups.
fn load_orders(resources: RwSignal<Resources>, notices: Notices, retry: bool) {
    let url = fetch::query_param("orders").unwrap_or_else(|| DEFAULT_ORDERS_URL.to_string());
    spawn_local(async move {
        let orders = match fetch::fetch_bytes(&url).await {
            Ok(bytes) => OrderBook::from_bytes(&bytes)
                .map(Orders::Ready)
                .unwrap_or_else(|e| Orders::Failed(format!("the order data is invalid: {e}"))),
            Err(why) => Orders::Failed(format!("the order data could not be loaded: {why}")),
        };
        if let Orders::Failed(why) = &orders {
            notices.push_action(
                format!(
                    "Order lookups are unavailable: {why}. The Support bot can still help with refunds and shipping."
                ),
                "Retry",
                Callback::new(move |()| load_orders(resources, notices, true)),
            );
        } else if retry {
            notices.push("The order data is loaded: order lookups work again.");
        }
        resources.update(|r| r.orders = orders);
    });
}

/// Fetches the story library; until then, or if it fails, the seed's stories are told.
fn load_stories(resources: RwSignal<Resources>, notices: Notices, retry: bool) {
    spawn_local(async move {
        let loaded = match fetch::fetch_bytes(STORIES_URL).await {
            Ok(bytes) => Library::from_json(&bytes),
            Err(why) => Err(format!("it could not be loaded: {why}")),
        };
        match loaded {
            Ok(library) => {
                resources.update(|r| r.stories = library);
                if retry {
                    notices.push("The story library is loaded: every story is back.");
                }
            }
            Err(why) => notices.push_action(
                format!(
                    "The story library is unavailable ({why}). The Storyteller tells its classic stories meanwhile."
                ),
                "Retry",
                Callback::new(move |()| load_stories(resources, notices, true)),
            ),
        }
    });
}

/// The reader's story speed, remembered across visits.
fn remembered_speed() -> RwSignal<Speed> {
    let speed = RwSignal::new(storage::load_pref("speed").as_deref().and_then(Speed::parse).unwrap_or_default());
    Effect::new(move |_| storage::save_pref("speed", speed.get().as_str()));
    speed
}

#[component]
pub fn App() -> impl IntoView {
    let notices = Notices::new();
    let conversations: [Conversation; 4] = std::array::from_fn(|i| Conversation::restore(BOTS[i].id, notices));
    let resources = RwSignal::new(Resources::default());
    load_orders(resources, notices, false);
    load_stories(resources, notices, false);
    service_worker::register(move || {
        notices.push_action(
            "A new version of chatdeck is ready.",
            "Reload to update",
            Callback::new(|()| service_worker::apply_update()),
        )
    });
    let knowledge = KnowledgeBaseSlot::new(resources, notices);
    knowledge.load_initial();
    let speed = remembered_speed();
    for c in conversations {
        let slug = c.bot.info().slug;
        Effect::new(move |_| {
            let result = c.transcript.with(|t| c.state.with(|s| storage::save(slug, t, Some(s))));
            if let Err(why) = result {
                notices.push(format!("Your conversation is kept on this page but cannot be saved: {why}."));
            }
        });
    }
    // Another tab saved a longer version of a conversation: it has messages this tab
    // has not seen, so adopt it (this tab's own saves are never longer than what it shows).
    storage::on_other_tab_save::<DialogState>(move |slug, transcript, state| {
        if let Some(c) = conversations.iter().find(|c| c.bot.info().slug == slug) {
            if transcript.len() > c.transcript.with_untracked(Transcript::len) && !c.player.is_busy() {
                c.transcript.set(transcript);
                c.state.set(state.unwrap_or_default());
            }
        }
    });
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
                    let suggest = (c.bot == BotId::Faq).then(|| knowledge.suggest());
                    let chat = view! {
                        <ChatView info transcript=c.transcript draft=c.draft busy=c.player.busy()
                            on_send=Callback::new(move |text| c.send(text, resources, speed))
                            on_stop=Callback::new(move |()| c.player.stop())
                            on_skip=Callback::new(move |()| c.player.skip())
                            speed suggest on_clear=Callback::new(move |()| c.clear())/>
                    };
                    if c.bot == BotId::Faq {
                        view! {
                            <div class="with-bar" on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default()
                                on:drop=move |ev| knowledge_base::on_drop(knowledge, ev)>
                                <KnowledgeBaseBar knowledge/>
                                {chat}
                            </div>
                        }
                        .into_any()
                    } else {
                        chat.into_any()
                    }
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
