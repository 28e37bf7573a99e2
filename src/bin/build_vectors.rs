//! Build-time vectors: the embeddings of the phrasings the app ships (the demo FAQ's
//! questions and the Customer Service and Support bots' intents), computed natively
//! with the very model file the build ships, so that the browser's worker takes them
//! instead of embedding them when the model loads.
//!
//!   build_vectors MODEL_DIR OUT_DIR FAQ.csv
//!
//! Writes `OUT_DIR/<texts_key>.f32` for each set of phrasings (little-endian f32, `DIM`
//! per phrasing, in order; `texts_key` as the worker names them) and removes other
//! `.f32` files there. A file already there is kept: its name is its content's key,
//! for the same model (tools/setup.sh runs this after the model is fetched).

use std::path::Path;
use std::process::ExitCode;

use chatdeck::engine::bots::faq::SEED_TOPICS;
use chatdeck::engine::bots::BotIntents;
use chatdeck::engine::faq::KnowledgeBase;
use chatdeck::engine::understand::encoder::Encoder;
use chatdeck::engine::understand::key::{texts_key, Fnv};

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("build_vectors: {why}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let [model_dir, out_dir, faq] = args.as_slice() else {
        return Err("usage: build_vectors MODEL_DIR OUT_DIR FAQ.csv".into());
    };
    let read = |path: String| std::fs::read(&path).map_err(|e| format!("{path}: {e}"));
    let model = read(format!("{model_dir}/minilm.gguf"))?;
    let vocab = String::from_utf8(read(format!("{model_dir}/vocab.txt"))?).map_err(|_| "vocab.txt is not text")?;
    let kb = KnowledgeBase::from_csv(&read(faq.clone())?, &SEED_TOPICS).map_err(|e| format!("{faq}: {e}"))?;
    let intents = BotIntents::default();
    let sets: Vec<Vec<&str>> = vec![kb.texts_to_embed(), intents.texts()];

    // The model is part of the name of what is kept: vectors of another model are stale.
    let mut fingerprint = Fnv::new();
    fingerprint.write(&model);
    fingerprint.write(vocab.as_bytes());
    let out = Path::new(out_dir).join(format!("{:016x}", fingerprint.finish()));
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let wanted: Vec<String> = sets.iter().map(|texts| format!("{}.f32", texts_key(texts))).collect();
    // Only this model's directory and these sets: nothing stale is shipped.
    for dir in std::fs::read_dir(out_dir).map_err(|e| format!("{out_dir}: {e}"))?.flatten() {
        if dir.path() != out {
            let _ = std::fs::remove_dir_all(dir.path());
        }
    }
    for file in std::fs::read_dir(&out).map_err(|e| format!("{}: {e}", out.display()))?.flatten() {
        if !wanted.iter().any(|w| file.file_name().to_string_lossy() == w.as_str()) {
            let _ = std::fs::remove_file(file.path());
        }
    }
    let mut encoder = None;
    for (texts, name) in sets.iter().zip(&wanted) {
        let path = out.join(name);
        if path.exists() {
            continue;
        }
        if encoder.is_none() {
            encoder = Some(Encoder::load(&model, &vocab)?);
        }
        let vectors = encoder.as_ref().ok_or("no model")?.embed(texts)?;
        let bytes: Vec<u8> = vectors.iter().flatten().flat_map(|x| x.to_le_bytes()).collect();
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("build_vectors: {} ({} phrasings)", path.display(), texts.len());
    }
    Ok(())
}
