//! The application shell: navigation between bots, one conversation per bot kept
//! for the whole visit (and saved), and the wiring from a sent message to the
//! engine's reply.

use leptos::prelude::*;

use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::engine::bots::story::Library;
use crate::engine::bots::{self, BotId, BotInfo, DialogState, Resources, BOTS};
use crate::engine::chat::{Role, Status, Transcript};
use crate::engine::faq::MAX_FILE_BYTES;
use crate::engine::input::check_draft;
use crate::engine::orders::{OrderBook, Orders};
use crate::engine::playback::Speed;
use crate::engine::saved::{Slot, Synced};
use crate::ui::chat_view::ChatView;
use crate::ui::faq_tools::{share_misses, FaqTools};
use crate::ui::knowledge_base::{self, KnowledgeBaseBar, KnowledgeBaseSlot};
use crate::ui::message_view::FaqFeedback;
use crate::ui::notices::{self, NoticeList, Notices};
use crate::ui::player::Player;
use crate::ui::report_host::ReportHost;
use crate::ui::understanding::Understanding;
use crate::web::{boot, fetch, route, service_worker, storage};

/// The demo order data, relative to the page; `?orders=URL` points elsewhere.
const DEFAULT_ORDERS_URL: &str = "orders.csv";
/// The story library, relative to the page.
const STORIES_URL: &str = "stories.json";
/// The largest data file fetched: the limit a picked FAQ file has, for every file,
/// so that a link to a huge file cannot fill the tab's memory.
const MAX_DATA_BYTES: usize = MAX_FILE_BYTES;

/// One bot's conversation as the shell holds it.
#[derive(Clone, Copy)]
struct Conversation {
    bot: BotId,
    transcript: RwSignal<Transcript>,
    state: RwSignal<DialogState>,
    draft: RwSignal<String>,
    player: Player,
    /// Where it is saved, and what this tab last saved or read there.
    slot: StoredValue<Slot>,
    synced: StoredValue<Synced>,
}

impl Conversation {
    /// Restores the saved conversation of `bot`, telling the user when it could not.
    fn restore(bot: BotId, notices: Notices, tab: u64) -> Self {
        let info = bot.info();
        let slot = Slot::new(info.slug, tab);
        let (transcript, state, synced) = match storage::load::<DialogState>(&slot, info.slug) {
            storage::Loaded::Nothing => Default::default(),
            storage::Loaded::Restored(r) => (r.transcript, r.state.unwrap_or_default(), r.synced),
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
            slot: StoredValue::new(slot),
            synced: StoredValue::new(synced),
        }
    }

    /// Forgets the conversation and where its dialog stood, in every open tab.
    fn clear(self, notices: Notices) {
        self.player.stop();
        self.transcript.set(Transcript::default());
        self.state.set(DialogState::default());
        let result = self.slot.with_value(|slot| {
            self.synced.try_update_value(|synced| storage::clear::<DialogState>(slot, synced)).unwrap_or(Ok(()))
        });
        if let Err(why) = result {
            notices.push(format!("The conversation is cleared on this page but not in storage: {why}."));
        }
    }

    /// Saves what changed since the last save (nothing is written when nothing did).
    /// When another tab saved meanwhile, the conversation both wrote is shown.
    fn save(self, notices: Notices) {
        let result = self.slot.with_value(|slot| {
            self.synced.try_update_value(|synced| {
                self.transcript.with_untracked(|t| self.state.with_untracked(|s| storage::save(slot, synced, t, s)))
            })
        });
        match result {
            Some(Ok(Some((transcript, state)))) => {
                self.transcript.set(transcript);
                self.state.set(state.unwrap_or_default());
            }
            Some(Ok(None)) | None => {}
            Some(Err(why)) => {
                notices.push(format!("Your conversation is kept on this page but cannot be saved: {why}."))
            }
        }
    }

    /// Another tab saved this conversation: show what it saved, unless a reply is
    /// still arriving here (then the next save builds on it).
    fn adopt_other_tab(self) {
        if self.player.is_busy() {
            return;
        }
        let adopted = self.slot.with_value(|slot| {
            self.synced
                .try_update_value(|synced| {
                    self.transcript.with_untracked(|t| storage::changed::<DialogState>(slot, synced, t))
                })
                .flatten()
        });
        if let Some((transcript, state)) = adopted {
            self.transcript.set(transcript);
            self.state.set(state.unwrap_or_default());
        }
    }

    fn send(self, text: String, resources: RwSignal<Resources>, speed: RwSignal<Speed>, understanding: Understanding) {
        // A story still streaming is completed before the next message, never cut.
        self.player.skip();
        self.transcript.update(|t| {
            t.push(Role::User, text.clone(), Status::Done);
        });
        // A message the bot's own rules cannot place: from now on the model helps
        // (this one is answered by the lexical tier while it loads).
        if self.state.with_untracked(|s| bots::needs_understanding(self.bot, s, &text)) {
            understanding.start();
        }
        // Lexical: answered at once. Semantic (model and this bot's vectors ready): the
        // question is embedded in the worker first (~20 ms), or lexically if that fails.
        understanding.ask(self.bot, text, move |query| {
            let reply =
                resources.with_untracked(|r| self.state.try_update(|state| bots::reply(self.bot, state, r, query)));
            if let Some(reply) = reply {
                self.player.play(reply, speed, !storage::prefers_reduced_motion());
            }
        });
    }
}

/// Numbers the loads of one data file; a result that arrives after a newer load
/// started is dropped (a slow first attempt must not undo a Retry that worked).
#[derive(Clone, Copy)]
struct Loads(StoredValue<u64>);

impl Loads {
    fn new() -> Self {
        Self(StoredValue::new(0))
    }

    fn start(self) -> u64 {
        self.0.update_value(|n| *n += 1);
        self.0.get_value()
    }

    fn is_latest(self, ticket: u64) -> bool {
        self.0.try_get_value() == Some(ticket)
    }
}

/// Fetches the order data in the background; a failure is told once and leaves
/// the support bot working for everything but lookups. Order data from another
/// site is used only once the reader agreed.
fn load_orders(resources: RwSignal<Resources>, notices: Notices, loads: Loads, retry: bool) {
    let url = fetch::query_param("orders").unwrap_or_else(|| DEFAULT_ORDERS_URL.to_string());
    let ticket = loads.start();
    if retry {
        // Until the retry answers, a lookup says the orders are loading, not that
        // they cannot be reached.
        resources.update(|r| r.orders = Orders::Loading);
    }
    spawn_local(async move {
        if !notices::consent_to_source(notices, "Order data", &url).await {
            let host = fetch::foreign_origin(&url).map(|o| fetch::host_of(&o)).unwrap_or_default();
            let why = format!("the order data from {host} was not used");
            notices.push(format!("Order lookups are unavailable: {why}. Open the link again to be asked again."));
            resources.update(|r| r.orders = Orders::Failed(why));
            return;
        }
        let fetched = fetch::fetch_data(&url, MAX_DATA_BYTES).await;
        if !loads.is_latest(ticket) {
            return;
        }
        let (orders, offline_copy_from) = match fetched {
            Ok(fetched) => (
                OrderBook::from_bytes(&fetched.bytes)
                    .map(Orders::Ready)
                    .unwrap_or_else(|e| Orders::Failed(format!("the order data is invalid: {e}"))),
                fetched.offline_copy_from,
            ),
            Err(why) => (Orders::Failed(format!("the order data could not be loaded: {why}")), None),
        };
        let failed = match &orders {
            Orders::Failed(why) => Some(why.clone()),
            _ => None,
        };
        // The bot has the result before any notice announces it.
        resources.update(|r| r.orders = orders);
        if let Some(why) = failed {
            notices.push_action(
                format!(
                    "Order lookups are unavailable: {why}. The Support bot can still help with refunds and shipping."
                ),
                "Retry",
                Callback::new(move |()| load_orders(resources, notices, loads, true)),
            );
            return;
        }
        if let Some(when) = offline_copy_from {
            notices.push(format!("Offline: showing the orders as of {when}."));
        }
        if retry {
            notices.push("The order data is loaded: order lookups work again.");
        }
    });
}

/// Fetches the story library; until then, or if it fails, the seed's stories are told.
fn load_stories(resources: RwSignal<Resources>, notices: Notices, loads: Loads, retry: bool) {
    let ticket = loads.start();
    spawn_local(async move {
        let fetched = fetch::fetch_data(STORIES_URL, MAX_DATA_BYTES).await;
        if !loads.is_latest(ticket) {
            return;
        }
        let loaded = match fetched {
            Ok(fetched) => Library::from_json(&fetched.bytes).map(|library| (library, fetched.offline_copy_from)),
            Err(why) => Err(format!("it could not be loaded: {why}")),
        };
        match loaded {
            Ok((library, offline_copy_from)) => {
                resources.update(|r| r.stories = library);
                if let Some(when) = offline_copy_from {
                    notices.push(format!("Offline: showing the story library as of {when}."));
                }
                if retry {
                    notices.push("The story library is loaded: every story is back.");
                }
            }
            Err(why) => notices.push_action(
                format!(
                    "The story library is unavailable ({why}). The Storyteller tells its classic stories meanwhile."
                ),
                "Retry",
                Callback::new(move |()| load_stories(resources, notices, loads, true)),
            ),
        }
    });
}

/// Each bot's data is fetched when that bot is first opened in this visit, not at start:
/// the first visit downloads only what the bot on screen uses (the service worker keeps
/// each file once it was used, for offline use).
fn load_data_on_open(
    route: ReadSignal<BotId>,
    resources: RwSignal<Resources>,
    notices: Notices,
    knowledge: KnowledgeBaseSlot,
) {
    let opened = StoredValue::new([false; 4]);
    Effect::new(move |_| {
        let bot = route.get();
        if opened.with_value(|o| o[bot as usize]) {
            return;
        }
        opened.update_value(|o| o[bot as usize] = true);
        match bot {
            BotId::Support => load_orders(resources, notices, Loads::new(), false),
            BotId::Storyteller => load_stories(resources, notices, Loads::new(), false),
            BotId::Faq => knowledge.load_initial(),
            BotId::CustomerService => {}
        }
    });
}

/// The reader's story speed, remembered across visits.
fn remembered_speed() -> RwSignal<Speed> {
    let speed = RwSignal::new(storage::load_pref("speed").as_deref().and_then(Speed::parse).unwrap_or_default());
    Effect::new(move |_| storage::save_pref("speed", speed.get().as_str()));
    speed
}

/// Saving: when a conversation changes and no reply is streaming into it (a story
/// is saved once it is complete, not at every word), and every conversation when
/// the page is hidden or goes away, streaming or not. Other tabs' saves are shown.
fn keep_saved(conversations: [Conversation; 4], notices: Notices) {
    for c in conversations {
        Effect::new(move |_| {
            c.transcript.track();
            c.state.track();
            if !c.player.busy().get() {
                c.save(notices);
            }
        });
    }
    let save_all = move || conversations.iter().for_each(|c| c.save(notices));
    let on_hide = move |_: web_sys::Event| {
        let hidden = web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden());
        if hidden {
            save_all();
        }
    };
    // Listeners that live as long as the page.
    std::mem::forget(window_event_listener_untyped("pagehide", move |_| save_all()));
    std::mem::forget(window_event_listener_untyped("visibilitychange", on_hide));
    storage::on_other_tab_save(move |slug| {
        if let Some(c) = conversations.iter().find(|c| c.bot.info().slug == slug) {
            c.adopt_other_tab();
        }
    });
}

#[component]
pub fn App() -> impl IntoView {
    let notices = Notices::new();
    let tab = storage::random_id();
    let conversations: [Conversation; 4] = std::array::from_fn(|i| Conversation::restore(BOTS[i].id, notices, tab));
    let resources = RwSignal::new(Resources::default());
    service_worker::register(move || {
        notices.push_action(
            "A new version of chatdeck is ready.",
            "Reload to update",
            Callback::new(|()| service_worker::apply_update()),
        )
    });
    let understanding = Understanding::provide(resources, notices);
    let knowledge = KnowledgeBaseSlot::new(resources, notices);
    let speed = remembered_speed();
    keep_saved(conversations, notices);
    // The FAQ conversation: its answers are rated, its misses feed the report page
    // and, when the embed asked for it (?report=URL), are shared with the site owner.
    let faq_transcript = conversations[BotId::Faq as usize].transcript;
    provide_context(FaqFeedback(faq_transcript));
    let sharing = share_misses(faq_transcript);
    let report_open = route::use_report();
    let route = route::use_route();
    load_data_on_open(route, resources, notices, knowledge);
    let current = move || conversations[route.get() as usize];
    // In another site's page (embed.js): the one bot of the hash route, no header or
    // bot navigation, and Escape closes the panel.
    let embedded = route::is_embedded();
    if embedded {
        route::close_on_escape();
        focus_composer_when_focused();
    }
    if let Some(early) = boot::take() {
        carry_over(early, current(), resources, speed, understanding);
    }
    view! {
        <div class=if embedded { "app embedded" } else { "app" }>
            {(!embedded).then(|| view! {
                <header class="topbar">
                    <a class="brand" href=route::href(BotId::CustomerService)>
                        <span aria-hidden="true">"💬"</span>" chatdeck"
                    </a>
                    <nav aria-label="Bots">
                        {BOTS.iter().map(|info| view! { <NavLink info route/> }).collect_view()}
                    </nav>
                </header>
            })}
            <NoticeList notices/>
            {move || {
                if report_open.get() && !embedded {
                    return view! { <ReportHost resources knowledge conversation=faq_transcript/> }.into_any();
                }
                let c = current();
                let info = c.bot.info();
                let suggest = (c.bot == BotId::Faq).then(|| knowledge.suggest());
                let chat = view! {
                    <ChatView info transcript=c.transcript draft=c.draft busy=c.player.busy()
                        on_send=Callback::new(move |text| c.send(text, resources, speed, understanding))
                        on_stop=Callback::new(move |()| c.player.stop())
                        on_skip=Callback::new(move |()| c.player.skip())
                        speed suggest on_clear=Callback::new(move |()| c.clear(notices))/>
                };
                if c.bot == BotId::Faq {
                    view! {
                        <div class="with-bar" on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default()
                            on:drop=move |ev| knowledge_base::on_drop(knowledge, ev)>
                            <KnowledgeBaseBar knowledge/>
                            <FaqTools embedded sharing/>
                            {chat}
                        </div>
                    }
                    .into_any()
                } else {
                    chat.into_any()
                }
            }}
        </div>
    }
}

/// What was typed in the page's own message box before the app started (web::boot)
/// becomes the bot's draft; a message already sent is sent from there once the bot's
/// data has loaded (answered from it, not told to wait), unless the visitor edited or
/// sent it meanwhile. The box's focus moves to the app's box.
fn carry_over(
    early: boot::EarlyInput,
    c: Conversation,
    resources: RwSignal<Resources>,
    speed: RwSignal<Speed>,
    understanding: Understanding,
) {
    let text = early.text;
    if !text.is_empty() {
        c.draft.set(text.clone());
    }
    if early.sent && check_draft(&text).is_ok() {
        let done = StoredValue::new(false);
        Effect::new(move |_| {
            if done.get_value() || resources.with(|r| r.loading_for(c.bot)) {
                return;
            }
            done.set_value(true);
            if c.draft.get_untracked() == text {
                c.draft.set(String::new());
                c.send(text.trim().to_string(), resources, speed, understanding);
            }
        });
    }
    // In a microtask, which runs once App is mounted (mount_to_body is synchronous) and
    // still before any other task: boot::take removed the focused box, and a key pressed
    // until the app's box has the focus lands on <body> and is lost. A frame later, as
    // before, left a gap of 45-150 ms under load, in which WebKit delivered an Enter
    // (an e2e test lost its message to it, once in about 10 tries under load).
    if early.focused {
        queue_microtask(|| {
            if let Some(composer) = composer_box() {
                let _ = composer.focus();
            }
        });
    }
}

/// The message box on screen.
fn composer_box() -> Option<web_sys::HtmlElement> {
    let document = web_sys::window()?.document()?;
    document.query_selector(".composer textarea").ok().flatten()?.dyn_into().ok()
}

/// Embedded: when the host page hands the frame the focus (its button opened the
/// panel), the message box takes it, so that the visitor can type at once. Never
/// without that: a panel loaded ahead of time must not take the focus from the page;
/// nor when the visitor clicks into the frame (to select text, say).
fn focus_composer_when_focused() {
    let pressed = std::rc::Rc::new(std::cell::Cell::new(false));
    for (event, down) in [("pointerdown", true), ("pointerup", false), ("pointercancel", false)] {
        let pressed = pressed.clone();
        std::mem::forget(window_event_listener_untyped(event, move |_| pressed.set(down)));
    }
    let focus = move || {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        if pressed.get() {
            return;
        }
        let idle = document.active_element().is_none_or(|e| e.tag_name() == "BODY");
        if idle && document.has_focus().unwrap_or(false) {
            if let Some(composer) = composer_box() {
                let _ = composer.focus();
            }
        }
    };
    // Once mounted (the host may have focused the frame while the app loaded) and
    // whenever the frame gets the focus again.
    request_animation_frame(focus.clone());
    std::mem::forget(window_event_listener_untyped("focus", move |_| focus()));
}

#[component]
fn NavLink(info: &'static BotInfo, route: ReadSignal<BotId>) -> impl IntoView {
    // The report page is no bot's: no link is the current page there.
    let current = move || route.get() == info.id && !route::is_report();
    view! {
        <a href=route::href(info.id) class="nav-link"
            aria-current=move || if current() { Some("page") } else { None }>
            {info.name}
        </a>
    }
}
