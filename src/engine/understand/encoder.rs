//! The sentence encoder: all-MiniLM-L6-v2 (a 6-layer BERT) with quantized weights, on
//! candle's CPU backend, natively and in wasm32 (a Web Worker: no threads, no files, no
//! clock are used here).
//!
//! The model file is the GGUF that `src/bin/convert_model.rs` writes from the original f32
//! weights: the linear layers and the word embeddings in q8_0, the rest in f32, the
//! architecture in its metadata. [`Encoder::embed`] follows the sentence-transformers
//! recipe: the transformer's token states are averaged over the text's tokens (what the
//! attention mask selects there), then scaled to unit length, so that the dot product of
//! two embeddings is their cosine. `tests/embedding_parity.rs` checks the result against
//! sentence-transformers itself (cosine at least 0.99 on every reference sentence).
//!
//! Texts are embedded in batches of similar length, packed without padding (see
//! `Encoder::forward`), so a text's embedding does not depend on its batch.

use std::io::Cursor;

use candle_core::quantized::{gguf_file, QMatMul, QTensor};
use candle_core::{DType, Device, Module, Tensor};

use super::tokenizer::{WordPiece, MODEL_MAX_TOKENS};
use super::DIM;

/// Texts per forward pass. Larger batches amortise per-operation overhead; attention
/// still runs per group of equally long texts, and sorting by length keeps those groups big.
const BATCH: usize = 32;

/// The GGUF file layout, shared with the converter (`src/bin/convert_model.rs`).
pub mod layout {
    /// Word embeddings, `[vocab, hidden]`.
    pub const WORD_EMBEDDINGS: &str = "embeddings.word";
    /// Position embeddings with the token-type-0 embedding already added, `[positions, hidden]`.
    pub const POSITION_EMBEDDINGS: &str = "embeddings.position";
    /// The embeddings' layer norm (`.weight`, `.bias`).
    pub const EMBEDDINGS_NORM: &str = "embeddings.norm";
    /// The tensor `part` of transformer layer `index`. Parts: `qkv` (query, key and value
    /// projections stacked, `[3 * hidden, hidden]`), `attention_out`, `attention_norm`,
    /// `intermediate`, `output`, `output_norm`, each with `.weight` and `.bias`.
    pub fn layer(index: usize, part: &str) -> String {
        format!("layer.{index}.{part}")
    }
    /// Metadata keys (llama.cpp's names for BERT), all `u32` but the epsilon (`f32`).
    pub const HIDDEN_SIZE: &str = "bert.embedding_length";
    pub const INTERMEDIATE_SIZE: &str = "bert.feed_forward_length";
    pub const HEADS: &str = "bert.attention.head_count";
    pub const LAYERS: &str = "bert.block_count";
    pub const MAX_POSITIONS: &str = "bert.context_length";
    pub const VOCAB_SIZE: &str = "bert.vocab_size";
    pub const LAYER_NORM_EPS: &str = "bert.attention.layer_norm_epsilon";
}

/// The architecture, as recorded in the model file.
#[derive(Debug, Clone, Copy)]
struct Config {
    hidden: usize,
    heads: usize,
    layers: usize,
    max_positions: usize,
    layer_norm_eps: f32,
}

impl Config {
    fn read(content: &gguf_file::Content) -> Result<Self, String> {
        let value = |key: &str| content.metadata.get(key).ok_or_else(|| format!("model file: no {key} in metadata"));
        let count = |key: &str| -> Result<usize, String> {
            let n = value(key)?.to_u32().map_err(|e| format!("model file: {key}: {e}"))?;
            usize::try_from(n).map_err(|e| format!("model file: {key}: {e}"))
        };
        let config = Self {
            hidden: count(layout::HIDDEN_SIZE)?,
            heads: count(layout::HEADS)?,
            layers: count(layout::LAYERS)?,
            max_positions: count(layout::MAX_POSITIONS)?,
            layer_norm_eps: value(layout::LAYER_NORM_EPS)?.to_f32().map_err(|e| format!("model file: {e}"))?,
        };
        // Callers size their vectors with DIM: a different model must not load silently.
        if config.hidden != DIM {
            return Err(format!("model file: hidden size {} but this build expects {DIM}", config.hidden));
        }
        if config.heads == 0 || !config.hidden.is_multiple_of(config.heads) {
            return Err(format!("model file: {} heads do not divide hidden size {}", config.heads, config.hidden));
        }
        Ok(config)
    }
}

/// Reads tensors out of the model file's bytes.
struct Weights<'a> {
    content: gguf_file::Content,
    reader: Cursor<&'a [u8]>,
    device: Device,
}

impl Weights<'_> {
    fn quantized(&mut self, name: &str) -> Result<QTensor, String> {
        self.content.tensor(&mut self.reader, name, &self.device).map_err(|e| format!("model file: {name}: {e}"))
    }

    fn dense(&mut self, name: &str) -> Result<Tensor, String> {
        self.quantized(name)?.dequantize(&self.device).map_err(|e| format!("model file: {name}: {e}"))
    }

    fn linear(&mut self, name: &str) -> Result<Linear, String> {
        let weight = QMatMul::from_qtensor(self.quantized(&format!("{name}.weight"))?)
            .map_err(|e| format!("model file: {name}: {e}"))?;
        Ok(Linear { weight, bias: self.dense(&format!("{name}.bias"))? })
    }

    fn layer_norm(&mut self, name: &str, eps: f32) -> Result<LayerNorm, String> {
        Ok(LayerNorm {
            weight: self.dense(&format!("{name}.weight"))?,
            bias: self.dense(&format!("{name}.bias"))?,
            eps,
        })
    }
}

/// `x W^T + b`, W quantized.
struct Linear {
    weight: QMatMul,
    bias: Tensor,
}

impl Linear {
    fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        self.weight.forward(x)?.broadcast_add(&self.bias)
    }
}

struct LayerNorm {
    weight: Tensor,
    bias: Tensor,
    eps: f32,
}

impl LayerNorm {
    fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        candle_nn::ops::layer_norm(&x.contiguous()?, &self.weight, &self.bias, self.eps)
    }
}

/// One transformer block (post-norm, as BERT).
struct Layer {
    qkv: Linear,
    attention_out: Linear,
    attention_norm: LayerNorm,
    intermediate: Linear,
    output: Linear,
    output_norm: LayerNorm,
}

/// Sequences of one length lying next to each other in the packed token rows: their
/// attention is computed together, with no padding and so no mask.
#[derive(Debug, Clone, Copy)]
struct Run {
    /// First token row.
    start: usize,
    /// How many sequences.
    count: usize,
    /// Tokens per sequence.
    tokens: usize,
}

impl Layer {
    /// `x`: `[token rows, hidden]`, the tokens of every sequence one after the other.
    fn forward(&self, x: &Tensor, runs: &[Run], heads: usize) -> candle_core::Result<Tensor> {
        let (_, hidden) = x.dims2()?;
        let head_size = hidden / heads;
        let qkv = self.qkv.forward(x)?;
        let scale = 1.0 / (head_size as f64).sqrt();
        let mut contexts = Vec::with_capacity(runs.len());
        for run in runs {
            let rows = qkv.narrow(0, run.start, run.count * run.tokens)?;
            // [sequences, heads, tokens, head_size] for each of query, key, value.
            let split = |i: usize| {
                rows.narrow(1, i * hidden, hidden)?
                    .reshape((run.count, run.tokens, heads, head_size))?
                    .transpose(1, 2)?
                    .contiguous()
            };
            let (query, key, value) = (split(0)?, split(1)?, split(2)?);
            let scores = (query.matmul(&key.t()?)? * scale)?;
            let context = candle_nn::ops::softmax_last_dim(&scores)?.matmul(&value)?;
            contexts.push(context.transpose(1, 2)?.reshape((run.count * run.tokens, hidden))?);
        }
        let context = Tensor::cat(&contexts, 0)?;
        let x = self.attention_norm.forward(&(self.attention_out.forward(&context)? + x)?)?;
        let inner = self.intermediate.forward(&x)?.gelu_erf()?;
        self.output_norm.forward(&(self.output.forward(&inner)? + x)?)
    }
}

/// all-MiniLM-L6-v2 with its tokenizer, ready to embed text.
pub struct Encoder {
    tokenizer: WordPiece,
    config: Config,
    word_embeddings: QTensor,
    position_embeddings: Tensor,
    embeddings_norm: LayerNorm,
    layers: Vec<Layer>,
    device: Device,
}

impl Encoder {
    /// `model`: the converted model file bytes (tools/fetch_model.sh output), `vocab`: vocab.txt text.
    pub fn load(model: &[u8], vocab: &str) -> Result<Self, String> {
        let tokenizer = WordPiece::from_vocab(vocab)?;
        let mut reader = Cursor::new(model);
        let content = gguf_file::Content::read(&mut reader).map_err(|e| format!("model file: {e}"))?;
        let config = Config::read(&content)?;
        let mut weights = Weights { content, reader, device: Device::Cpu };
        let word_embeddings = weights.quantized(layout::WORD_EMBEDDINGS)?;
        let (vocab_rows, _) = word_embeddings.shape().dims2().map_err(|e| format!("model file: {e}"))?;
        let vocab_size = vocab.lines().count();
        if vocab_size > vocab_rows {
            return Err(format!("vocab.txt has {vocab_size} tokens, the model only {vocab_rows}"));
        }
        let position_embeddings = weights.dense(layout::POSITION_EMBEDDINGS)?;
        let embeddings_norm = weights.layer_norm(layout::EMBEDDINGS_NORM, config.layer_norm_eps)?;
        let layers = (0..config.layers)
            .map(|i| {
                let name = |part: &str| layout::layer(i, part);
                Ok(Layer {
                    qkv: weights.linear(&name("qkv"))?,
                    attention_out: weights.linear(&name("attention_out"))?,
                    attention_norm: weights.layer_norm(&name("attention_norm"), config.layer_norm_eps)?,
                    intermediate: weights.linear(&name("intermediate"))?,
                    output: weights.linear(&name("output"))?,
                    output_norm: weights.layer_norm(&name("output_norm"), config.layer_norm_eps)?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let device = weights.device;
        Ok(Self { tokenizer, config, word_embeddings, position_embeddings, embeddings_norm, layers, device })
    }

    /// Mean-pooled (attention mask), L2-normalised, DIM floats per text. Batches internally.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
        let max_tokens = MODEL_MAX_TOKENS.min(self.config.max_positions);
        let ids: Vec<Vec<u32>> = texts.iter().map(|t| self.tokenizer.encode(t, max_tokens)).collect();
        // Similar lengths together: attention runs on bigger groups of equal length.
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| ids[i].len());
        let mut out = vec![Vec::new(); texts.len()];
        for chunk in order.chunks(BATCH) {
            let batch: Vec<&[u32]> = chunk.iter().map(|&i| ids[i].as_slice()).collect();
            let vectors = self.forward(&batch).map_err(|e| format!("encoder: {e}"))?;
            for (&i, vector) in chunk.iter().zip(vectors) {
                out[i] = vector;
            }
        }
        Ok(out)
    }

    /// Embeds one batch of token ids (each starting with [CLS], ending with [SEP]).
    ///
    /// The batch is packed, not padded: every layer but attention works on token rows one
    /// by one, so the sequences' tokens simply follow each other, and attention runs per
    /// group of equally long sequences. A text's embedding is therefore computed by the same
    /// operations whatever else is in its batch (no padding, no mask), and no work is
    /// spent on padding.
    fn forward(&self, batch: &[&[u32]]) -> candle_core::Result<Vec<Vec<f32>>> {
        let mut runs: Vec<Run> = Vec::new();
        let mut rows = 0;
        for ids in batch {
            match runs.last_mut() {
                Some(run) if run.tokens == ids.len() => run.count += 1,
                _ => runs.push(Run { start: rows, count: 1, tokens: ids.len() }),
            }
            rows += ids.len();
        }
        if rows == 0 {
            return Ok(vec![vec![0.0; self.config.hidden]; batch.len()]);
        }
        let ids = Tensor::from_vec(batch.concat(), rows, &self.device)?;
        let positions: Vec<u32> = batch.iter().flat_map(|ids| 0..ids.len() as u32).collect();
        let positions = Tensor::from_vec(positions, rows, &self.device)?;
        let embedded =
            (self.word_embeddings.embedding(&ids)? + self.position_embeddings.index_select(&positions, 0)?)?;
        let mut x = self.embeddings_norm.forward(&embedded)?;
        for layer in &self.layers {
            x = layer.forward(&x, &runs, self.config.heads)?;
        }
        // Mean of each sequence's token states, then unit length.
        let states = x.to_dtype(DType::F32)?.to_vec2::<f32>()?;
        let mut rest = states.as_slice();
        let mut out = Vec::with_capacity(batch.len());
        for ids in batch {
            let (mine, after) = rest.split_at(ids.len());
            rest = after;
            let mut mean = vec![0.0f32; self.config.hidden];
            for row in mine {
                mean.iter_mut().zip(row).for_each(|(m, v)| *m += v);
            }
            mean.iter_mut().for_each(|m| *m /= mine.len().max(1) as f32);
            out.push(normalized(mean));
        }
        Ok(out)
    }
}

/// Scaled to unit length (as torch's `normalize`, whose epsilon keeps zero a zero).
fn normalized(mut v: Vec<f32>) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    v.iter_mut().for_each(|x| *x /= norm);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::quantized::GgmlDType;

    /// A tiny vocabulary for the synthetic model below.
    const VOCAB: &str = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\ncat\nsat\non\nmat\ndog\nran\n##s\n.\n";
    const POSITIONS: usize = 48;

    /// Deterministic pseudo-random weights in [-scale, scale].
    fn noise(seed: u64, shape: (usize, usize), scale: f32) -> Tensor {
        let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let values: Vec<f32> = (0..shape.0 * shape.1)
            .map(|_| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ((state >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0) * scale
            })
            .collect();
        Tensor::from_vec(values, shape, &Device::Cpu).expect("tensor")
    }

    /// A small random BERT in the converter's format (full width, 2 layers): what is under
    /// test is the encoder's plumbing, not the language model.
    fn synthetic_model(layers: usize) -> Vec<u8> {
        use gguf_file::Value;
        let vocab_size = VOCAB.lines().count();
        let intermediate = 64;
        let mut tensors: Vec<(String, QTensor)> = Vec::new();
        let mut seed = 0;
        let mut add = |name: String, shape: (usize, usize), scale: f32, dtype: GgmlDType| {
            seed += 1;
            let t = noise(seed, shape, scale);
            let t = if shape.0 == 1 { t.flatten_all().expect("flatten") } else { t };
            tensors.push((name, QTensor::quantize(&t, dtype).expect("quantize")));
        };
        add(layout::WORD_EMBEDDINGS.into(), (vocab_size, DIM), 1.0, GgmlDType::Q8_0);
        add(layout::POSITION_EMBEDDINGS.into(), (POSITIONS, DIM), 0.2, GgmlDType::F32);
        add(format!("{}.weight", layout::EMBEDDINGS_NORM), (1, DIM), 1.0, GgmlDType::F32);
        add(format!("{}.bias", layout::EMBEDDINGS_NORM), (1, DIM), 0.1, GgmlDType::F32);
        for i in 0..layers {
            let name = |part: &str| layout::layer(i, part);
            for (part, rows, cols) in [
                ("qkv", 3 * DIM, DIM),
                ("attention_out", DIM, DIM),
                ("intermediate", intermediate, DIM),
                ("output", DIM, intermediate),
            ] {
                add(format!("{}.weight", name(part)), (rows, cols), 0.1, GgmlDType::Q8_0);
                add(format!("{}.bias", name(part)), (1, rows), 0.1, GgmlDType::F32);
            }
            for part in ["attention_norm", "output_norm"] {
                add(format!("{}.weight", name(part)), (1, DIM), 1.0, GgmlDType::F32);
                add(format!("{}.bias", name(part)), (1, DIM), 0.1, GgmlDType::F32);
            }
        }
        let count = |n: usize| Value::U32(n as u32);
        let metadata = [
            (layout::HIDDEN_SIZE, count(DIM)),
            (layout::INTERMEDIATE_SIZE, count(intermediate)),
            (layout::HEADS, count(12)),
            (layout::LAYERS, count(layers)),
            (layout::MAX_POSITIONS, count(POSITIONS)),
            (layout::VOCAB_SIZE, count(vocab_size)),
            (layout::LAYER_NORM_EPS, Value::F32(1e-12)),
        ];
        let metadata: Vec<(&str, &Value)> = metadata.iter().map(|(k, v)| (*k, v)).collect();
        let tensors: Vec<(&str, &QTensor)> = tensors.iter().map(|(k, v)| (k.as_str(), v)).collect();
        let mut file = Cursor::new(Vec::new());
        gguf_file::write(&mut file, &metadata, &tensors).expect("write gguf");
        file.into_inner()
    }

    fn cosine(a: &[f32], b: &[f32]) -> f32 {
        a.iter().zip(b).map(|(x, y)| x * y).sum()
    }

    const TEXTS: [&str; 6] =
        ["the cat sat on the mat.", "dog", "", "the dogs ran on the mat . the cat sat", "cats", "mat mat"];

    #[test]
    fn embeddings_have_unit_length_and_model_width() {
        let encoder = Encoder::load(&synthetic_model(2), VOCAB).expect("load");
        let vectors = encoder.embed(&TEXTS).expect("embed");
        assert_eq!(vectors.len(), TEXTS.len());
        for v in &vectors {
            assert_eq!(v.len(), DIM);
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            assert!((norm - 1.0).abs() < 1e-5, "norm {norm}");
        }
        // Different texts, different vectors.
        assert!(cosine(&vectors[0], &vectors[1]) < 0.999);
    }

    #[test]
    fn a_batch_gives_what_one_at_a_time_gives() {
        let encoder = Encoder::load(&synthetic_model(2), VOCAB).expect("load");
        let together = encoder.embed(&TEXTS).expect("embed");
        for (text, batched) in TEXTS.iter().zip(&together) {
            let alone = encoder.embed(&[text]).expect("embed");
            // Packed, not padded: the very same operations, so the very same floats.
            assert_eq!(&alone[0], batched, "{text:?}");
        }
    }

    #[test]
    fn more_texts_than_a_batch_keep_their_order() {
        let encoder = Encoder::load(&synthetic_model(1), VOCAB).expect("load");
        let texts: Vec<&str> = (0..BATCH * 2 + 3).map(|i| TEXTS[i % TEXTS.len()]).collect();
        let vectors = encoder.embed(&texts).expect("embed");
        let reference = encoder.embed(&TEXTS).expect("embed");
        for (i, v) in vectors.iter().enumerate() {
            assert!(cosine(v, &reference[i % TEXTS.len()]) > 0.99999, "text {i}");
        }
        assert!(encoder.embed(&[]).expect("embed").is_empty());
    }

    #[test]
    fn long_texts_are_cut_to_the_model_positions() {
        let encoder = Encoder::load(&synthetic_model(1), VOCAB).expect("load");
        let long = "the cat sat on the mat . ".repeat(40);
        let vectors = encoder.embed(&[&long]).expect("embed");
        assert_eq!(vectors[0].len(), DIM);
    }

    #[test]
    fn refuses_bad_model_files() {
        assert!(Encoder::load(b"not a model", VOCAB).is_err());
        assert!(Encoder::load(&[], VOCAB).is_err());
        let model = synthetic_model(1);
        assert!(Encoder::load(&model[..model.len() / 2], VOCAB).is_err());
        // A vocabulary larger than the embedding table would index out of it.
        let big_vocab = format!("{VOCAB}{}", "extra\n".repeat(5));
        assert!(Encoder::load(&model, &big_vocab).is_err());
    }
}
