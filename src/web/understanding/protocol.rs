//! The messages between the page and the model worker (`src/bin/understand_worker.rs`).
//!
//! Plain JS objects with a `type` and a request `id`: every answer carries the id of
//! its request, so an answer that arrives after the page stopped waiting for it (a
//! question answered lexically after a timeout, a knowledge base replaced meanwhile)
//! is recognised and dropped instead of landing on another question.

use js_sys::{Array, Float32Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// The id of the worker's first message, sent once it listens (it has no request).
pub const STARTED_ID: u32 = 0;

/// From the page to the worker.
pub enum ToWorker {
    /// Load the model: from the worker's cache, else downloaded (with `Progress`).
    Load { id: u32 },
    /// Sentences to embed, answered with `DIM` floats each. `keep`: a knowledge base's
    /// phrasings, taken from the cache when they were embedded before, else embedded
    /// with `Progress` and kept; a newer such request stops an older one.
    Embed { id: u32, texts: Vec<String>, keep: bool },
}

/// From the worker to the page.
pub enum FromWorker {
    /// The worker's wasm runs and listens (messages sent before this would be lost).
    Started,
    /// How far a long request is, in percent.
    Progress { id: u32, percent: u8 },
    /// The model is loaded.
    Loaded { id: u32 },
    /// The vectors of an `Embed` request, one after the other.
    Embedded { id: u32, vectors: Float32Array },
    /// A request could not be done; `why` is for people.
    Failed { id: u32, why: String },
}

impl FromWorker {
    pub fn id(&self) -> u32 {
        match self {
            FromWorker::Started => STARTED_ID,
            FromWorker::Progress { id, .. }
            | FromWorker::Loaded { id }
            | FromWorker::Embedded { id, .. }
            | FromWorker::Failed { id, .. } => *id,
        }
    }
}

/// A message and the buffers to transfer with it (they move to the other side).
pub struct Posted {
    pub message: JsValue,
    pub transfer: Array,
}

impl ToWorker {
    pub fn encode(self) -> JsValue {
        match self {
            ToWorker::Load { id } => object(&[("type", "load".into()), ("id", id.into())]),
            ToWorker::Embed { id, texts, keep } => {
                let list: Array = texts.iter().map(|t| JsValue::from_str(t)).collect();
                object(&[("type", "embed".into()), ("id", id.into()), ("texts", list.into()), ("keep", keep.into())])
            }
        }
    }

    pub fn decode(value: &JsValue) -> Result<Self, String> {
        let id = id_of(value)?;
        match string_field(value, "type")?.as_str() {
            "load" => Ok(ToWorker::Load { id }),
            "embed" => {
                let list = field(value, "texts")?.dyn_into::<Array>().map_err(|_| "texts is not a list")?;
                let texts =
                    list.iter().map(|t| t.as_string().ok_or("a text is not a string")).collect::<Result<_, _>>()?;
                Ok(ToWorker::Embed { id, texts, keep: field(value, "keep")?.is_truthy() })
            }
            other => Err(format!("unknown request type {other:?}")),
        }
    }
}

impl FromWorker {
    pub fn encode(self) -> Posted {
        let transfer = Array::new();
        let message = match self {
            FromWorker::Started => object(&[("type", "started".into()), ("id", STARTED_ID.into())]),
            FromWorker::Progress { id, percent } => {
                object(&[("type", "progress".into()), ("id", id.into()), ("percent", percent.into())])
            }
            FromWorker::Loaded { id } => object(&[("type", "loaded".into()), ("id", id.into())]),
            FromWorker::Embedded { id, vectors } => {
                transfer.push(&vectors.buffer());
                object(&[("type", "embedded".into()), ("id", id.into()), ("vectors", vectors.into())])
            }
            FromWorker::Failed { id, why } => {
                object(&[("type", "failed".into()), ("id", id.into()), ("why", why.into())])
            }
        };
        Posted { message, transfer }
    }

    pub fn decode(value: &JsValue) -> Result<Self, String> {
        let id = id_of(value)?;
        match string_field(value, "type")?.as_str() {
            "started" => Ok(FromWorker::Started),
            "progress" => {
                let percent = field(value, "percent")?.as_f64().ok_or("the percent is not a number")?;
                Ok(FromWorker::Progress { id, percent: percent.clamp(0.0, 100.0) as u8 })
            }
            "loaded" => Ok(FromWorker::Loaded { id }),
            "embedded" => {
                let vectors =
                    field(value, "vectors")?.dyn_into::<Float32Array>().map_err(|_| "vectors are not floats")?;
                Ok(FromWorker::Embedded { id, vectors })
            }
            "failed" => Ok(FromWorker::Failed { id, why: string_field(value, "why")? }),
            other => Err(format!("unknown answer type {other:?}")),
        }
    }
}

// The names of phrasings and model builds are the engine's: the same natively (the
// build-time vectors, tools) and here.
pub use crate::engine::understand::key::{texts_key, Fnv};

fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in fields {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(name), value);
    }
    object.into()
}

fn field(value: &JsValue, name: &str) -> Result<JsValue, String> {
    Reflect::get(value, &JsValue::from_str(name)).map_err(|_| format!("the message has no {name}"))
}

fn string_field(value: &JsValue, name: &str) -> Result<String, String> {
    field(value, name)?.as_string().ok_or_else(|| format!("the message's {name} is not text"))
}

fn id_of(value: &JsValue) -> Result<u32, String> {
    let id = field(value, "id")?.as_f64().ok_or("the message has no id")?;
    if id >= 0.0 && id <= f64::from(u32::MAX) && id.fract() == 0.0 {
        Ok(id as u32)
    } else {
        Err("the message's id is not a request id".to_string())
    }
}
