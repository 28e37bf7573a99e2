//! Converts all-MiniLM-L6-v2 from its f32 safetensors (the PyPI wheel's `model.safetensors`
//! and `config.json`) into the GGUF file the encoder loads (`target/model/minilm.gguf`).
//!
//! Run by `tools/fetch_model.sh`:
//! `cargo run --release --features semantic --bin convert_model -- [options]`
//!
//! Options:
//! * `--dir DIR`          where config.json and model.safetensors are (default `target/model`)
//! * `--out FILE`         the GGUF to write (default `DIR/minilm.gguf`)
//! * `--layers TYPE`      weight type of the transformer's linear layers (default `q8_0`)
//! * `--embeddings TYPE`  weight type of the word embeddings (default: see `DEFAULT_EMBEDDINGS`)
//!
//! TYPE is `q8_0`, `q4_0` or `f32`; `f32` everywhere gives an unquantized file with which
//! the Rust encoder itself can be checked against sentence-transformers.
//!
//! What changes on the way, so the encoder does less per query:
//! * the query, key and value projections are stacked into one matrix (one product
//!   instead of three);
//! * the token-type embedding of type 0 (the only type a single sentence uses) is added
//!   into the position embeddings;
//! * the pooler is left out: sentence-transformers mean-pools the token states.
//!
//! The architecture numbers (hidden size, heads, layers, epsilon, …) go into the GGUF
//! metadata under `bert.*`, and the encoder reads them from there.

use std::collections::HashMap;
use std::process::ExitCode;

use candle_core::quantized::{gguf_file, GgmlDType, QTensor};
use candle_core::{DType, Device, Tensor};
use chatdeck::engine::understand::encoder::layout;

/// Word embeddings type when not given: q8_0, measured against f32 in the encoder report
/// (see `tools/fetch_model.sh`).
const DEFAULT_EMBEDDINGS: &str = "q8_0";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("convert_model: {e}");
            ExitCode::FAILURE
        }
    }
}

struct Options {
    dir: String,
    out: Option<String>,
    layers: GgmlDType,
    embeddings: GgmlDType,
}

fn parse_options(args: Vec<String>) -> Result<Options, String> {
    let mut options = Options {
        dir: "target/model".into(),
        out: None,
        layers: GgmlDType::Q8_0,
        embeddings: parse_type(DEFAULT_EMBEDDINGS)?,
    };
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--dir" => options.dir = value()?,
            "--out" => options.out = Some(value()?),
            "--layers" => options.layers = parse_type(&value()?)?,
            "--embeddings" => options.embeddings = parse_type(&value()?)?,
            _ => return Err(format!("unknown argument {flag} (see the comment at the top of convert_model.rs)")),
        }
    }
    Ok(options)
}

fn parse_type(name: &str) -> Result<GgmlDType, String> {
    match name {
        "q8_0" => Ok(GgmlDType::Q8_0),
        "q4_0" => Ok(GgmlDType::Q4_0),
        "f32" => Ok(GgmlDType::F32),
        _ => Err(format!("unknown weight type {name} (q8_0, q4_0 or f32)")),
    }
}

/// The numbers of `config.json` the encoder needs.
struct Config {
    hidden_size: usize,
    intermediate_size: usize,
    num_attention_heads: usize,
    num_hidden_layers: usize,
    max_position_embeddings: usize,
    vocab_size: usize,
    layer_norm_eps: f64,
}

fn read_config(path: &str) -> Result<Config, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    let number = |key: &str| json[key].as_u64().map(|n| n as usize).ok_or_else(|| format!("{path}: no {key}"));
    // The encoder implements exactly this: a BERT with erf GELU and absolute positions.
    for (key, expected) in [("model_type", "bert"), ("hidden_act", "gelu"), ("position_embedding_type", "absolute")] {
        if json[key].as_str() != Some(expected) {
            return Err(format!("{path}: {key} is {}, the encoder implements {expected}", json[key]));
        }
    }
    Ok(Config {
        hidden_size: number("hidden_size")?,
        intermediate_size: number("intermediate_size")?,
        num_attention_heads: number("num_attention_heads")?,
        num_hidden_layers: number("num_hidden_layers")?,
        max_position_embeddings: number("max_position_embeddings")?,
        vocab_size: number("vocab_size")?,
        layer_norm_eps: json["layer_norm_eps"].as_f64().ok_or_else(|| format!("{path}: no layer_norm_eps"))?,
    })
}

fn run(args: Vec<String>) -> Result<(), String> {
    let options = parse_options(args)?;
    let config = read_config(&format!("{}/config.json", options.dir))?;
    let weights_path = format!("{}/model.safetensors", options.dir);
    let weights =
        candle_core::safetensors::load(&weights_path, &Device::Cpu).map_err(|e| format!("{weights_path}: {e}"))?;
    let tensors = convert(&weights, &config, &options).map_err(|e| e.to_string())?;

    let metadata = metadata(&config);
    let metadata_refs: Vec<(&str, &gguf_file::Value)> = metadata.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let tensor_refs: Vec<(&str, &QTensor)> = tensors.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let out = options.out.clone().unwrap_or_else(|| format!("{}/minilm.gguf", options.dir));
    // Written beside the target and renamed, so a failed run never leaves a half file.
    let partial = format!("{out}.partial");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&partial).map_err(|e| format!("{partial}: {e}"))?);
    gguf_file::write(&mut file, &metadata_refs, &tensor_refs).map_err(|e| format!("{partial}: {e}"))?;
    drop(file.into_inner().map_err(|e| format!("{partial}: {e}"))?);
    std::fs::rename(&partial, &out).map_err(|e| format!("{out}: {e}"))?;
    let size = std::fs::metadata(&out).map_err(|e| format!("{out}: {e}"))?.len();
    println!("wrote {out}: {size} bytes ({} tensors)", tensors.len());
    Ok(())
}

/// The architecture as GGUF metadata, which the encoder reads back.
fn metadata(config: &Config) -> Vec<(String, gguf_file::Value)> {
    use gguf_file::Value;
    let count = |n: usize| Value::U32(n as u32);
    vec![
        ("general.architecture".into(), Value::String("bert".into())),
        ("general.name".into(), Value::String("all-MiniLM-L6-v2".into())),
        (layout::HIDDEN_SIZE.into(), count(config.hidden_size)),
        (layout::INTERMEDIATE_SIZE.into(), count(config.intermediate_size)),
        (layout::HEADS.into(), count(config.num_attention_heads)),
        (layout::LAYERS.into(), count(config.num_hidden_layers)),
        (layout::MAX_POSITIONS.into(), count(config.max_position_embeddings)),
        (layout::VOCAB_SIZE.into(), count(config.vocab_size)),
        (layout::LAYER_NORM_EPS.into(), Value::F32(config.layer_norm_eps as f32)),
    ]
}

type Converted = Vec<(String, QTensor)>;

fn convert(weights: &HashMap<String, Tensor>, config: &Config, options: &Options) -> candle_core::Result<Converted> {
    let get = |name: &str| -> candle_core::Result<Tensor> {
        weights
            .get(name)
            .ok_or_else(|| candle_core::Error::Msg(format!("model.safetensors has no {name}")))?
            .to_dtype(DType::F32)
    };
    let mut out: Converted = Vec::new();
    let mut keep = |name: String, tensor: &Tensor, dtype: GgmlDType| -> candle_core::Result<()> {
        out.push((name, QTensor::quantize(tensor, dtype)?));
        Ok(())
    };

    let word = get("embeddings.word_embeddings.weight")?;
    keep(layout::WORD_EMBEDDINGS.into(), &word, options.embeddings)?;
    let token_type_0 = get("embeddings.token_type_embeddings.weight")?.narrow(0, 0, 1)?;
    let position = get("embeddings.position_embeddings.weight")?.broadcast_add(&token_type_0)?;
    keep(layout::POSITION_EMBEDDINGS.into(), &position, GgmlDType::F32)?;
    keep(format!("{}.weight", layout::EMBEDDINGS_NORM), &get("embeddings.LayerNorm.weight")?, GgmlDType::F32)?;
    keep(format!("{}.bias", layout::EMBEDDINGS_NORM), &get("embeddings.LayerNorm.bias")?, GgmlDType::F32)?;

    for layer in 0..config.num_hidden_layers {
        let from = |part: &str| format!("encoder.layer.{layer}.{part}");
        let to = |part: &str| layout::layer(layer, part);
        let stack = |suffix: &str| -> candle_core::Result<Tensor> {
            let parts = ["query", "key", "value"]
                .iter()
                .map(|p| get(&from(&format!("attention.self.{p}.{suffix}"))))
                .collect::<candle_core::Result<Vec<_>>>()?;
            Tensor::cat(&parts, 0)
        };
        keep(to("qkv.weight"), &stack("weight")?, options.layers)?;
        keep(to("qkv.bias"), &stack("bias")?, GgmlDType::F32)?;
        for (source, target) in [
            ("attention.output.dense", "attention_out"),
            ("intermediate.dense", "intermediate"),
            ("output.dense", "output"),
        ] {
            keep(to(&format!("{target}.weight")), &get(&from(&format!("{source}.weight")))?, options.layers)?;
            keep(to(&format!("{target}.bias")), &get(&from(&format!("{source}.bias")))?, GgmlDType::F32)?;
        }
        for (source, target) in [("attention.output.LayerNorm", "attention_norm"), ("output.LayerNorm", "output_norm")]
        {
            for part in ["weight", "bias"] {
                keep(to(&format!("{target}.{part}")), &get(&from(&format!("{source}.{part}")))?, GgmlDType::F32)?;
            }
        }
    }
    Ok(out)
}
