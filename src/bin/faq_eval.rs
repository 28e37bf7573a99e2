//! The evaluation contract: any FAQ, any questions, through the engine the browser
//! runs (same `KnowledgeBase`, same model file, same thresholds). Run by
//! `tools/faq_eval.sh`, which builds it with `--features semantic`.
//!
//! ```text
//! faq_eval KB.csv QUESTIONS.txt [--lexical] [--model DIR]
//! ```
//! prints one JSON object per line of QUESTIONS.txt, in order:
//! `{"question": "...", "decision": "answer"|"clarify"|"refuse", "answers": [...]}`
//! (the Answer column's text: one for an answer, the offered ones in the order shown
//! for a clarification, none for a refusal). Progress goes to stderr.
//!
//! ```text
//! faq_eval --embed-cache TEXTS.txt OUT_DIR [--model DIR]
//! ```
//! embeds every line of TEXTS.txt and writes `OUT_DIR/texts.txt` and
//! `OUT_DIR/vectors.f32` (little-endian, 384 floats a text): the cache the
//! calibration (`examples/clinc_tune.rs`) reads.

use std::io::Write;
use std::process::ExitCode;

use chatdeck::engine::faq::{Entry, KnowledgeBase, Lookup};
use chatdeck::engine::understand::Query;

/// Texts embedded per call: the progress step on stderr.
const EMBED_CHUNK: usize = 256;

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("faq_eval: {e}");
            ExitCode::FAILURE
        }
    }
}

struct Args {
    positional: Vec<String>,
    lexical: bool,
    embed_cache: bool,
    model: String,
}

fn parse(args: Vec<String>) -> Result<Args, String> {
    let mut parsed = Args {
        positional: Vec::new(),
        lexical: false,
        embed_cache: false,
        model: concat!(env!("CARGO_MANIFEST_DIR"), "/target/model").to_string(),
    };
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--lexical" => parsed.lexical = true,
            "--embed-cache" => parsed.embed_cache = true,
            "--model" => parsed.model = it.next().ok_or("--model needs a directory")?,
            _ if arg.starts_with("--") => return Err(format!("unknown option {arg}")),
            _ => parsed.positional.push(arg),
        }
    }
    if parsed.positional.len() != 2 {
        return Err(
            "usage: faq_eval KB.csv QUESTIONS.txt [--lexical] | faq_eval --embed-cache TEXTS.txt OUT_DIR".into()
        );
    }
    Ok(parsed)
}

/// The lines of a text file (a trailing newline ends the last line; CRLF is fine).
fn lines(path: &str) -> Result<Vec<String>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{path} is not UTF-8 text"))?;
    Ok(text.lines().map(|l| l.strip_suffix('\r').unwrap_or(l).to_string()).collect())
}

fn run(args: Vec<String>) -> Result<(), String> {
    let args = parse(args)?;
    if args.embed_cache {
        let texts = lines(&args.positional[0])?;
        let vectors = embed(&args.model, &texts.iter().map(String::as_str).collect::<Vec<_>>())?;
        return write_cache(&args.positional[1], &texts, &vectors);
    }
    let (kb_path, questions_path) = (&args.positional[0], &args.positional[1]);
    let kb_bytes = std::fs::read(kb_path).map_err(|e| format!("{kb_path}: {e}"))?;
    let mut kb = KnowledgeBase::from_csv(&kb_bytes, &[]).map_err(|e| format!("{kb_path}: {e}"))?;
    let questions = lines(questions_path)?;
    let query_vectors = if args.lexical {
        None
    } else {
        let texts: Vec<&str> = kb.texts_to_embed();
        eprintln!("faq_eval: embedding {} FAQ questions", texts.len());
        let flat = embed(&args.model, &texts)?.concat();
        kb.candidates_mut().attach_vectors(flat)?;
        eprintln!("faq_eval: embedding {} questions", questions.len());
        Some(embed(&args.model, &questions.iter().map(String::as_str).collect::<Vec<_>>())?)
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (i, question) in questions.iter().enumerate() {
        let vector = query_vectors.as_ref().map(|v| v[i].as_slice());
        let (lookup, _) = kb.lookup_query(&Query { text: question, vector });
        let (decision, answers): (&str, Vec<&Entry>) = match lookup {
            Lookup::Found(e) => ("answer", vec![e]),
            Lookup::DidYouMean(entries) => ("clarify", entries),
            Lookup::NotFound => ("refuse", Vec::new()),
        };
        let answers: Vec<&str> = answers.iter().map(|e| e.answer.as_str()).collect();
        writeln!(
            out,
            "{{\"question\": {}, \"decision\": {}, \"answers\": {}}}",
            json(question.as_str()),
            json(decision),
            json(&answers)
        )
        .map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}

/// JSON text of a value (strings escaped as JSON requires).
fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

fn write_cache(dir: &str, texts: &[String], vectors: &[Vec<f32>]) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{dir}: {e}"))?;
    let mut joined = texts.join("\n");
    joined.push('\n');
    std::fs::write(format!("{dir}/texts.txt"), joined).map_err(|e| e.to_string())?;
    let bytes: Vec<u8> = vectors.iter().flatten().flat_map(|x| x.to_le_bytes()).collect();
    std::fs::write(format!("{dir}/vectors.f32"), bytes).map_err(|e| e.to_string())?;
    eprintln!("faq_eval: {} embeddings in {dir}", texts.len());
    Ok(())
}

/// Embeds `texts` with the shipped model, in chunks, reporting progress on stderr.
#[cfg(feature = "semantic")]
fn embed(model_dir: &str, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
    use chatdeck::engine::understand::encoder::Encoder;
    use std::sync::OnceLock;
    static ENCODER: OnceLock<Result<Encoder, String>> = OnceLock::new();
    let encoder = ENCODER
        .get_or_init(|| {
            let model = std::fs::read(format!("{model_dir}/minilm.gguf"))
                .map_err(|e| format!("{model_dir}/minilm.gguf: {e} (run tools/fetch_model.sh)"))?;
            let vocab = std::fs::read_to_string(format!("{model_dir}/vocab.txt"))
                .map_err(|e| format!("{model_dir}/vocab.txt: {e} (run tools/fetch_model.sh)"))?;
            Encoder::load(&model, &vocab)
        })
        .as_ref()
        .map_err(Clone::clone)?;
    let started = std::time::Instant::now();
    let mut out = Vec::with_capacity(texts.len());
    for chunk in texts.chunks(EMBED_CHUNK) {
        out.extend(encoder.embed(chunk)?);
        eprint!("\rfaq_eval: {} / {} embedded ({:.0} s)", out.len(), texts.len(), started.elapsed().as_secs_f64());
    }
    eprintln!();
    Ok(out)
}

#[cfg(not(feature = "semantic"))]
fn embed(_model_dir: &str, _texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
    let _ = EMBED_CHUNK;
    Err("built without the semantic tier: build with --features semantic, or pass --lexical".into())
}
