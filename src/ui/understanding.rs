//! The semantic tier as the UI sees it: whether the model is loading (and how far),
//! ready or failed (with Retry), whether the vectors of the FAQ and of the other
//! bots' intents are ready, and the one place where a question gets its vector
//! before a bot answers it.
//!
//! Until the model and the FAQ's vectors are ready, and whenever something fails,
//! the lexical tier answers at once: nothing here ever makes the UI wait, except a
//! question to the FAQ once the semantic tier is ready (about 20 ms in the worker).

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::engine::bots::{BotId, Resources};
use crate::engine::understand::Query;
use crate::ui::notices::Notices;
use crate::web::understanding::protocol::texts_key;
use crate::web::understanding::{Gate, ModelWorker};

/// How long a question waits for its vector before the lexical tier answers it: far
/// above the ~20 ms a question takes, so only a worker that is stuck is ever skipped.
const QUERY_TIMEOUT_MS: i32 = 3_000;

/// How many times a new model worker is started after one stopped by itself (its wasm
/// trapped), per load, before the failure is told. WebKitGTK 2.50 traps now and then
/// inside the encoder's arithmetic (about one run of the intents tests in thirty, at a
/// different place each time, never in Chromium or Firefox, which run the same wasm).
/// A limit keeps a worker that always traps from being restarted forever.
const RESTARTS: u8 = 2;

/// Where the model stands.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelState {
    /// Not asked for yet (the FAQ bot was not opened in this visit, and no message to
    /// another bot needed more than its rules).
    Idle,
    /// Downloading (percent of the model file), or starting once at 100.
    Loading(u8),
    Ready,
    /// Why, for people; Retry starts over.
    Failed(String),
}

/// Where the FAQ's vectors stand. `key` names the phrasings they are for.
#[derive(Debug, Clone, PartialEq)]
enum FaqVectors {
    None,
    /// Asked of the worker; `percent` once it reports embedding (taken from the cache,
    /// they come without progress, and no bar shows).
    Preparing {
        key: String,
        percent: Option<u8>,
    },
    Ready {
        key: String,
    },
}

/// Where the intents' vectors stand (one fixed set of phrasings, embedded once and
/// kept by the worker's cache like a knowledge base's).
#[derive(Debug, Clone, Copy, PartialEq)]
enum IntentVectors {
    None,
    Preparing,
    Ready,
    /// They could not be made in this visit: those bots answer lexically.
    Unavailable,
}

impl FaqVectors {
    fn key(&self) -> Option<&str> {
        match self {
            FaqVectors::None => None,
            FaqVectors::Preparing { key, .. } | FaqVectors::Ready { key } => Some(key),
        }
    }
}

/// Everything the UI shows of the semantic tier, in one signal (each signal type
/// adds to the app's download).
#[derive(Debug, Clone, PartialEq)]
struct State {
    model: ModelState,
    faq: FaqVectors,
    /// Whether the Customer Service and Support intents have their vectors.
    intents: IntentVectors,
    /// The bots of the questions waiting for their vector, one entry per question.
    waiting: Vec<BotId>,
}

/// The semantic tier's state, shared through the Leptos context ([`Understanding::provide`]).
#[derive(Clone, Copy)]
pub struct Understanding {
    state: RwSignal<State>,
    worker: StoredValue<Option<Rc<ModelWorker>>, LocalStorage>,
    /// How many workers were started after one stopped, since the model was loaded.
    restarts: StoredValue<u8>,
    /// Open once the worker being started after one stopped is ready (or failed).
    restarting: StoredValue<Option<Gate>, LocalStorage>,
    resources: RwSignal<Resources>,
    notices: Notices,
}

impl Understanding {
    /// Creates the state and makes it available to the components below (the
    /// knowledge-base bar shows its progress, the chat log says which tier answers).
    pub fn provide(resources: RwSignal<Resources>, notices: Notices) -> Self {
        let understanding = Self {
            state: RwSignal::new(State {
                model: ModelState::Idle,
                faq: FaqVectors::None,
                intents: IntentVectors::None,
                waiting: Vec::new(),
            }),
            worker: StoredValue::new_local(None),
            restarts: StoredValue::new(0),
            restarting: StoredValue::new_local(None),
            resources,
            notices,
        };
        understanding.keep_faq_vectors();
        understanding.keep_intent_vectors();
        provide_context(understanding);
        understanding
    }

    /// Starts loading the model, once per visit: called when the FAQ bot is opened, and
    /// when another bot meets a message its rules cannot place.
    pub fn start(self) {
        if self.state.with_untracked(|s| s.model == ModelState::Idle) {
            self.load(false);
        }
    }

    fn load(self, retry: bool) {
        self.state.update(|s| s.model = ModelState::Loading(0));
        // Retry gives the new worker its own restarts.
        self.restarts.set_value(0);
        let state = self.state;
        spawn_local(async move {
            let started = ModelWorker::start(move |percent| {
                // Only while loading: a late report must not undo a failure.
                let _ = state.try_update(|s| {
                    if matches!(s.model, ModelState::Loading(_)) {
                        s.model = ModelState::Loading(percent);
                    }
                });
            })
            .await;
            match started {
                Ok(worker) => {
                    self.worker.set_value(Some(Rc::new(worker)));
                    self.state.update(|s| s.model = ModelState::Ready);
                    if retry {
                        self.notices.push("Smarter answers are loaded: the bots understand paraphrases again.");
                    }
                }
                Err(why) => self.fail(why),
            }
        });
    }

    /// The model cannot be used: the lexical tier answers, and the reader may retry.
    fn fail(self, why: String) {
        self.worker.set_value(None);
        self.state.update(|s| {
            s.faq = FaqVectors::None;
            s.intents = IntentVectors::None;
            s.model = ModelState::Failed(why.clone());
        });
        self.notices.push_action(
            format!("Smarter answers are unavailable: {why}. The bots answer by matching words meanwhile."),
            "Retry",
            Callback::new(move |()| self.load(true)),
        );
    }

    /// Which tier answers `bot`'s next question: "semantic" once the model and the
    /// bot's vectors are ready, else "lexical". Reactive.
    pub fn tier(self, bot: BotId) -> &'static str {
        let ready = self.state.with(|s| {
            s.model == ModelState::Ready
                && match bot {
                    BotId::Faq => matches!(s.faq, FaqVectors::Ready { .. }),
                    BotId::CustomerService | BotId::Support => s.intents == IntentVectors::Ready,
                    BotId::Storyteller => false,
                }
        });
        if ready {
            "semantic"
        } else {
            "lexical"
        }
    }

    /// What the knowledge-base bar shows while something loads: a label and a percent.
    pub fn progress(self) -> Option<(&'static str, u8)> {
        self.state.with(|s| match (&s.model, &s.faq) {
            (ModelState::Loading(percent), _) => Some(("Loading smarter answers…", *percent)),
            (ModelState::Ready, FaqVectors::Preparing { percent: Some(percent), .. }) => {
                Some(("Preparing smarter answers for these questions…", *percent))
            }
            _ => None,
        })
    }

    /// Answers `text` for `bot`: at once with the lexical tier, or, once the semantic
    /// tier is ready for this bot, after the worker embedded the question. If the
    /// worker fails or takes too long, the question is answered lexically all the same.
    pub fn ask(self, bot: BotId, text: String, answer: impl FnOnce(&Query) + 'static) {
        let worker = self.worker.with_value(|w| w.clone());
        let semantic = untrack(|| self.tier(bot)) == "semantic";
        let Some(worker) = worker.filter(|_| semantic) else {
            answer(&Query { text: &text, vector: None });
            return;
        };
        // Set before this returns: the log is busy from the moment the question shows.
        self.state.update(|s| s.waiting.push(bot));
        spawn_local(async move {
            let vector = self.embed_query(worker, &text).await;
            answer(&Query { text: &text, vector: vector.as_deref() });
            self.state.update(|s| {
                if let Some(at) = s.waiting.iter().position(|b| *b == bot) {
                    s.waiting.remove(at);
                }
            });
        });
    }

    /// The vector of a question, or `None` when it is to be answered without one. A
    /// worker that stopped is replaced (see [`Self::recover`]) and asked once more.
    async fn embed_query(self, worker: Rc<ModelWorker>, text: &str) -> Option<Vec<f32>> {
        match worker.embed_query(text, QUERY_TIMEOUT_MS).await {
            Ok(vector) => Some(vector),
            Err(why) if worker.is_dead() => {
                let worker = self.recover(&worker, why).await?;
                match worker.embed_query(text, QUERY_TIMEOUT_MS).await {
                    Ok(vector) => Some(vector),
                    Err(why) if worker.is_dead() => {
                        // Replaced for the next question; this one is answered without it.
                        spawn_local(async move {
                            self.recover(&worker, why).await;
                        });
                        None
                    }
                    Err(_) => None,
                }
            }
            Err(_) => None,
        }
    }

    /// The worker `dead` stopped by itself (`why`): a new one is started from the model
    /// this browser keeps, and returned once it is ready. `None` when this visit used its
    /// [`RESTARTS`] or the new one failed: the failure is then told as any other, with
    /// Retry. Whoever meets the stopped worker while a new one starts waits for that one.
    /// The vectors of the FAQ and of the intents live in the page and stay.
    async fn recover(self, dead: &Rc<ModelWorker>, why: String) -> Option<Rc<ModelWorker>> {
        if let Some(starting) = self.restarting.try_with_value(|r| r.clone()).flatten() {
            starting.wait().await;
            return self.alive();
        }
        match self.worker.try_with_value(|w| w.clone()).flatten() {
            // Already replaced, or already given up (the failure was told).
            Some(current) if !Rc::ptr_eq(&current, dead) => return Some(current).filter(|w| !w.is_dead()),
            None => return None,
            Some(_) => {}
        }
        if self.restarts.try_get_value()? >= RESTARTS {
            self.fail(why);
            return None;
        }
        self.restarts.update_value(|n| *n += 1);
        let starting = Gate::new();
        self.restarting.set_value(Some(starting.clone()));
        let started = ModelWorker::start(|_| {}).await;
        match started {
            Ok(worker) => self.worker.set_value(Some(Rc::new(worker))),
            Err(why) => self.fail(why),
        }
        self.restarting.set_value(None);
        starting.open();
        self.alive()
    }

    /// The worker in use, unless it stopped.
    fn alive(self) -> Option<Rc<ModelWorker>> {
        self.worker.try_with_value(|w| w.clone()).flatten().filter(|w| !w.is_dead())
    }

    /// Whether a question to `bot` waits for its vector (its answer follows within
    /// milliseconds): the log is then `aria-busy`. Reactive.
    pub fn answering(self, bot: BotId) -> bool {
        self.state.with(|s| s.waiting.contains(&bot))
    }

    /// Keeps the FAQ in use supplied with vectors while the model is ready: the
    /// worker takes them from this browser's cache when these phrasings were embedded
    /// before, else embeds them (with progress) and keeps them.
    fn keep_faq_vectors(self) {
        Effect::new(move |_| {
            let ready = self.state.with(|s| s.model == ModelState::Ready);
            let wanted = self.resources.with(faq::phrasings);
            let (true, Some((texts, has_vectors))) = (ready, wanted) else {
                return;
            };
            let key = texts_key(&texts);
            let (same, preparing) = self
                .state
                .with_untracked(|s| (s.faq.key() == Some(key.as_str()), matches!(s.faq, FaqVectors::Preparing { .. })));
            if same && (has_vectors || preparing) {
                return;
            }
            self.state.update(|s| s.faq = FaqVectors::Preparing { key: key.clone(), percent: None });
            spawn_local(self.supply_faq(key, texts));
        });
    }

    /// Gives the Customer Service and Support intents their vectors once the model is
    /// ready (from the worker's cache after the first time).
    fn keep_intent_vectors(self) {
        Effect::new(move |_| {
            // One knowledge embedding at a time: the worker stops an older one for a
            // newer, so the intents wait while the FAQ's phrasings are being embedded.
            let (ready, intents, faq_busy) = self
                .state
                .with(|s| (s.model == ModelState::Ready, s.intents, matches!(s.faq, FaqVectors::Preparing { .. })));
            if !ready || faq_busy || intents != IntentVectors::None {
                return;
            }
            self.state.update(|s| s.intents = IntentVectors::Preparing);
            spawn_local(self.supply_intents());
        });
    }

    async fn supply_intents(self) {
        let Some(worker) = self.worker.with_value(|w| w.clone()) else { return };
        let texts: Vec<String> =
            self.resources.with_untracked(|r| r.intents.texts().into_iter().map(str::to_string).collect());
        let vectors = worker.embed_knowledge(texts, |_| {}).await;
        let attached = match vectors {
            Ok(vectors) => self.resources.try_update(|r| r.intents.attach_vectors(vectors)).unwrap_or(Ok(())),
            Err(why) if worker.is_dead() => {
                if self.recover(&worker, why).await.is_some() {
                    // Asked again of the new worker (the effect sees None).
                    self.state.update(|s| s.intents = IntentVectors::None);
                }
                return;
            }
            Err(why) => Err(why),
        };
        // Only if nothing failed meanwhile (a failure resets this to None). Stopped
        // because a knowledge base came to be embedded: tried again after it.
        let _ = self.state.try_update(|s| {
            if s.intents == IntentVectors::Preparing {
                s.intents = match attached {
                    Ok(()) => IntentVectors::Ready,
                    Err(_) if matches!(s.faq, FaqVectors::Preparing { .. }) => IntentVectors::None,
                    Err(_) => IntentVectors::Unavailable,
                };
            }
        });
    }

    async fn supply_faq(self, key: String, texts: Vec<String>) {
        let Some(worker) = self.worker.with_value(|w| w.clone()) else { return };
        let state = self.state;
        let reported = key.clone();
        let vectors = worker
            .embed_knowledge(texts, move |percent| {
                let _ = state.try_update(|s| {
                    if let FaqVectors::Preparing { key, percent: shown } = &mut s.faq {
                        if *key == reported {
                            *shown = Some(percent);
                        }
                    }
                });
            })
            .await;
        if !self.is_current(&key) {
            return; // another knowledge base (or a failure) replaced this one meanwhile
        }
        let vectors = match vectors {
            Ok(vectors) => vectors,
            Err(why) if worker.is_dead() => {
                if self.recover(&worker, why).await.is_some() && self.is_current(&key) {
                    // Asked again of the new worker (the effect sees None).
                    self.state.update(|s| s.faq = FaqVectors::None);
                }
                return;
            }
            Err(why) => {
                self.state.update(|s| s.faq = FaqVectors::None);
                self.notices.push(format!(
                    "Smarter answers are unavailable for this knowledge base: {why}. It answers by matching words."
                ));
                return;
            }
        };
        // Checked again inside the update: the knowledge base may have been replaced
        // after the last check, before the effect that notices it ran.
        let attached = self.resources.try_update(|r| {
            let still = faq::phrasings(r).is_some_and(|(texts, _)| texts_key(&texts) == key);
            still.then(|| faq::attach(r, vectors))
        });
        match attached.flatten() {
            Some(Ok(())) => self.state.update(|s| s.faq = FaqVectors::Ready { key }),
            Some(Err(why)) => {
                self.state.update(|s| s.faq = FaqVectors::None);
                self.notices.push(format!("Smarter answers are unavailable for this knowledge base: {why}."));
            }
            None => {}
        }
    }

    /// Whether `key` is still what the FAQ state is for (no other knowledge base or
    /// failure replaced it meanwhile).
    fn is_current(self, key: &str) -> bool {
        self.state.try_with_untracked(|s| s.faq.key() == Some(key)).unwrap_or(false)
    }
}

/// The FAQ's side: which phrasings to embed, and where their vectors go.
mod faq {
    use std::sync::Arc;

    use crate::engine::bots::faq::Faq;
    use crate::engine::bots::Resources;

    /// The phrasings of the FAQ in use, in order, and whether it has vectors already;
    /// `None` while no FAQ is loaded.
    pub fn phrasings(resources: &Resources) -> Option<(Vec<String>, bool)> {
        match &resources.faq {
            Faq::Ready(kb) => {
                Some((kb.texts_to_embed().into_iter().map(str::to_string).collect(), kb.candidates().has_vectors()))
            }
            Faq::Loading | Faq::Failed(_) => None,
        }
    }

    /// Gives the FAQ in use its vectors (`phrasings().0.len() * DIM` floats).
    pub fn attach(resources: &mut Resources, vectors: Vec<f32>) -> Result<(), String> {
        match &mut resources.faq {
            // Nothing else holds the knowledge base (the bot and the suggestions borrow
            // it for one call); it is never copied (that would also cost download size).
            Faq::Ready(kb) => match Arc::get_mut(kb) {
                Some(kb) => kb.candidates_mut().attach_vectors(vectors),
                None => Err("the knowledge base is in use elsewhere".to_string()),
            },
            Faq::Loading | Faq::Failed(_) => Err("no knowledge base is loaded".to_string()),
        }
    }
}

/// The model's progress in the knowledge-base bar ("Loading smarter answers… 43 %").
/// Mounted with the FAQ bot: opening the FAQ is what starts the model's download.
#[component]
pub fn UnderstandingProgress() -> impl IntoView {
    let understanding = use_context::<Understanding>();
    Effect::new(move |_| {
        if let Some(understanding) = understanding {
            understanding.start();
        }
    });
    let progress = move || understanding.and_then(Understanding::progress);
    view! {
        {move || progress().map(|(label, percent)| view! {
            <label class="understanding-progress">
                <span>{format!("{label} {percent} %")}</span>
                <progress max="100" value=percent></progress>
            </label>
        })}
    }
}
