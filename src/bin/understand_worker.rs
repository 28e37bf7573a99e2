//! The model worker: a Web Worker that holds the sentence encoder, so that the page
//! never waits on it. A thin shell: it routes the page's requests (messages in
//! `chatdeck::web::understanding::protocol`) to `engine::understand::encoder` and to
//! `web::understanding::stored` (the model files and vectors kept in this browser),
//! and answers each request with its id. The downloads and the cache are done here,
//! not in the page, so that none of their code weighs on the app's first load.
//! Trunk builds it with the `semantic` feature (index.html, `data-type="worker"`).

#[cfg(target_arch = "wasm32")]
mod worker {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    use chatdeck::engine::understand::encoder::Encoder;
    use chatdeck::engine::understand::DIM;
    use chatdeck::web::understanding::protocol::{texts_key, Fnv, FromWorker, ToWorker};
    use chatdeck::web::understanding::stored;
    use js_sys::{Float32Array, Uint8Array};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::{spawn_local, JsFuture};
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    /// The model files, relative to this worker's script (beside index.html).
    const MODEL_DIR: &str = "model/";
    /// Phrasings embedded per step of a knowledge base: a progress report about every
    /// half second, and a moment for other messages in between.
    const BATCH: usize = 32;

    /// What the requests share.
    #[derive(Default)]
    struct State {
        encoder: RefCell<Option<Rc<Encoder>>>,
        /// Names the loaded model (its bytes and vocabulary), for the vectors' cache keys.
        fingerprint: RefCell<String>,
        /// The id of the latest knowledge-base request: an older one stops at its next batch.
        latest_kept: Cell<u32>,
    }

    pub fn run() {
        console_error_panic_hook::set_once();
        let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
            return; // not started as a worker: there is no one to answer
        };
        let state = Rc::new(State::default());
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            // Without a readable id there is no one to answer.
            if let Ok(request) = ToWorker::decode(&event.data()) {
                spawn_local(handle(Rc::clone(&state), request));
            }
        });
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget(); // lives as long as the worker
                             // Messages posted before the handler existed were dropped: the page waits for this.
        post(FromWorker::Started);
    }

    async fn handle(state: Rc<State>, request: ToWorker) {
        let answer = match request {
            ToWorker::Load { id } => match load(&state, id).await {
                Ok(()) => FromWorker::Loaded { id },
                Err(why) => FromWorker::Failed { id, why },
            },
            ToWorker::Embed { id, texts, keep } => {
                let embedded = if keep { embed_kept(&state, id, texts).await } else { embed(&state, &texts) };
                match embedded {
                    Ok(vectors) => FromWorker::Embedded { id, vectors },
                    Err(why) => FromWorker::Failed { id, why },
                }
            }
        };
        post(answer);
    }

    async fn load(state: &State, id: u32) -> Result<(), String> {
        let files = stored::model_files(MODEL_DIR, &|percent| post(FromWorker::Progress { id, percent }))
            .await
            .map_err(|why| format!("the model could not be downloaded: {why}"))?;
        // Copied into this worker's memory once; the JS buffer is then let go.
        let bytes = Uint8Array::new(&files.model).to_vec();
        let encoder =
            Encoder::load(&bytes, &files.vocab).map_err(|why| format!("the model could not be read: {why}"))?;
        let mut hash = Fnv::new();
        hash.write(&bytes);
        hash.write(files.vocab.as_bytes());
        state.fingerprint.replace(format!("{:016x}", hash.finish()));
        state.encoder.replace(Some(Rc::new(encoder)));
        Ok(())
    }

    fn encoder(state: &State) -> Result<Rc<Encoder>, String> {
        state.encoder.borrow().clone().ok_or_else(|| "the model is not loaded".to_string())
    }

    fn embed(state: &State, texts: &[String]) -> Result<Float32Array, String> {
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let vectors = encoder(state)?.embed(&texts).map_err(|why| format!("the model could not read it: {why}"))?;
        let flat: Vec<f32> = vectors.into_iter().flatten().collect();
        Ok(Float32Array::from(flat.as_slice()))
    }

    /// A knowledge base's vectors: kept ones when these phrasings were embedded by this
    /// model before, else embedded batch by batch (with progress) and kept.
    async fn embed_kept(state: &State, id: u32, texts: Vec<String>) -> Result<Float32Array, String> {
        state.latest_kept.set(id);
        let (fingerprint, texts_key) = (state.fingerprint.borrow().clone(), texts_key(&texts));
        let key = format!("{fingerprint}-{texts_key}");
        if let Some(vectors) = stored::vectors(&key, texts.len() * DIM).await {
            return Ok(vectors);
        }
        // The phrasings the app ships were embedded at build time, by this same model.
        let built = format!("{MODEL_DIR}vectors/{fingerprint}/{texts_key}.f32");
        if let Some(vectors) = stored::build_vectors(&built, texts.len() * DIM).await {
            stored::keep_vectors(&key, &vectors).await;
            return Ok(vectors);
        }
        let all = Float32Array::new_with_length((texts.len() * DIM) as u32);
        let mut done = 0;
        for batch in texts.chunks(BATCH) {
            post(FromWorker::Progress { id, percent: (done * 100 / texts.len()) as u8 });
            // Lets other messages in (a question, a newer knowledge base) between batches.
            yield_now().await;
            if state.latest_kept.get() != id {
                return Err("another knowledge base replaced this one".to_string());
            }
            let vectors = embed(state, batch)?;
            all.set(&vectors, (done * DIM) as u32);
            done += batch.len();
        }
        stored::keep_vectors(&key, &all).await;
        Ok(all)
    }

    /// Returns to the worker's event loop once.
    async fn yield_now() {
        let tick = js_sys::Promise::new(&mut |resolve, _| {
            if let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() {
                let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
            }
        });
        let _ = JsFuture::from(tick).await;
    }

    fn post(answer: FromWorker) {
        let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else { return };
        let posted = answer.encode();
        // Only fails for values that cannot be cloned; ours are plain data.
        let _ = scope.post_message_with_transfer(&posted.message, &posted.transfer);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    worker::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("understand_worker runs as a Web Worker in the browser (Trunk builds it; see index.html)");
}
