#!/usr/bin/env python3
"""Generates tests/data/tokenizer_cases.json: the ids the real Hugging Face `tokenizers`
library gives, with all-MiniLM-L6-v2's tokenizer.json, for a few thousand varied strings.
tests/tokenizer_parity.rs checks that our WordPiece (src/engine/understand/tokenizer.rs)
gives exactly the same ids.

The strings: CLINC150 sentences (train/val and their out-of-scope parts) as typed and
altered (case, punctuation, accents, odd white space), words in many scripts, punctuation
and symbols, emoji, special tokens typed literally, control and format characters, long
words around the 100-character limit, long inputs that get truncated, and random strings.
Everything is drawn from a fixed seed, so a rerun writes the same file.

Usage: python3 tools/gen_tokenizer_cases.py [OUTPUT] [CLINC150 data_full.json]
Needs target/model/tokenizer.json (bash tools/fetch_model.sh). The `tokenizers` library is
installed, pinned, into a venv under target/ on first use.
"""

import json
import os
import random
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLINC150 = os.path.join(ROOT, "..", "shared", "benchmarks", "clinc150", "data_full.json")
VENV = os.path.join(ROOT, "target", "venv-tok")
TOKENIZERS_VERSION = "0.23.3"
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model


def ensure_tokenizers():
    """Re-runs this script inside target/venv-tok, with `tokenizers` installed there."""
    python = os.path.join(VENV, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    subprocess.run([python, "-m", "pip", "install", "-q", f"tokenizers=={TOKENIZERS_VERSION}"], check=True)
    os.execv(python, [python, os.path.abspath(__file__), *sys.argv[1:]])


SCRIPTS = [
    "café crème brûlée", "naïve façade", "Ångström", "São Paulo", "Müller-Lüdenscheidt", "résumé", "Dvořák",
    "Tiếng Việt có dấu", "Ελληνικά γράμματα", "Привет, мир!", "ПРИВЕТ", "مرحبا بالعالم", "שלום עולם",
    "नमस्ते दुनिया", "สวัสดีชาวโลก", "안녕하세요 세계", "こんにちは世界", "がぎぐげご パピプペポ", "カタカナ",
    "你好，世界！", "我想取消我的订单。", "退款需要多长时间？", "𠀀𠀁 rare ideographs 𪜀", "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３",
    "ﬁnancial ﬂight", "Ⅻ Ⅷ ⅷ", "Straße", "İstanbul ıi", "ǅungla", "ΣΊΣΥΦΟΣ", "ŁÓDŹ", "Ærøskøbing", "Þórshöfn",
    "ð ß ø œ æ", "e\u0301 a\u0300 o\u0302 n\u0303", "\u1e9b\u0323", "Å Å Å", "한국어 자모 ㄱㄴㄷ", "ﾊﾝｶｸ ｶﾀｶﾅ",
]

PUNCTUATION = [
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", "“quoted” ‘single’ «guillemets» „low“", "en–dash em—dash ‐ hyphen",
    "wait… what?!", "¿Qué? ¡Sí!", "。、「」『』【】", "！？：；（）", "$100 €50 £20 ¥1000 ₹500 ₿1",
    "© ® ™ ° ± × ÷ § ¶ † ‡ • ·", "2+2=4 3<5 a^2 x*y 10% ~", "∑ ∫ √ ∞ ≈ ≠ ≤ ≥ ∈ ∀ ∃", "→ ← ↑ ↓ ⇒ ⇔",
    "user@example.com", "https://www.example.com/path?q=1&r=2#frag", "C:\\Users\\me\\file.txt", "#hashtag @mention",
    "don't can't won't it's", "rock'n'roll", "e.g. i.e. etc.", "U.S.A.", "1,000,000.50", "12:30pm", "3/4 ½ ¾ ⅓",
    "fn main() { println!(\"hi\"); }", "<b>bold</b> &amp; &lt;", "--flag=value", "a_b_c", "'''", "...", "?!?!",
]

EMOJI = [
    "😀", "I love it 😍😍", "👍🏽 thumbs", "👨‍👩‍👧 family", "🇫🇷 🇺🇸 flags", "🥰 newer emoji", "🫠 melting", "❤️ heart",
    "☕ coffee", "✔ ✓ ✗", "🔥🔥🔥", "smile:) :( ;-) <3", "⭐️⭐️⭐️⭐️⭐️", "🧑‍💻 coder", "#️⃣ 1️⃣", "🏳️‍🌈",
]

SPECIAL = [
    "[CLS]", "[SEP]", "[MASK]", "[UNK]", "[PAD]", "hello [MASK] world", "[CLS] start", "end [SEP]", "a[SEP]b",
    "[mask] lower", "[ MASK ]", "[MASK][MASK]", "[[CLS]]", "[SEP", "CLS]", "x[PAD]y[UNK]z", "## hash pieces ##ing",
]

CONTROL = [
    "", " ", "   ", "\t", "\n", "\r\n", " \t\n ", "\x00", "a\x00b", "a\x07b", "\x1b[31mred\x1b[0m", "a\x7fb",
    "a\x85b", "a\u200bb", "zero\u200bwidth", "a\u200eb\u200f", "\ufeffbom", "a\ufffdb", "private \ue000\uf8ff",
    "tag \U000e0001\U000e0041", "line\u2028sep\u2029para", "nb\u00a0sp", "ideo\u3000space", "a\u180eb",
    "soft\u00adhyphen", "a\u2060b", "\u2066isolate\u2069", "a\u034fb", "x\ufe0fy", "combining \u0301 alone",
    "\u0301", "tab\tseparated\tvalues", "multi\n\nline\n", "a\x1cb\x1dc\x1ed\x1fe", "\u00a0 \u2003 \u2009",
]


def clinc_sentences(path, rng):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    pool = [text for split in ("train", "val", "oos_train", "oos_val") for text, _ in data[split]]
    return rng.sample(pool, 1500)


def alter(sentence, rng):
    """A customer's way of typing the same sentence."""
    choice = rng.randrange(8)
    if choice == 0:
        return sentence.upper()
    if choice == 1:
        return sentence.title() + rng.choice(["?", "!", "...", "??", " ?", "!!!"])
    if choice == 2:
        accents = {"a": "à", "e": "é", "i": "ï", "o": "ô", "u": "ü", "c": "ç", "n": "ñ"}
        return "".join(accents[c] if c in accents and rng.random() < 0.3 else c for c in sentence)
    if choice == 3:
        return "  " + sentence.replace(" ", rng.choice(["  ", "\t", "\n", " \u00a0"])) + " \n"
    if choice == 4:
        words = sentence.split()
        marks = [",", ".", ";", ":", "'s", "-", "/"]
        return " ".join(w + rng.choice(marks) if rng.random() < 0.2 else w for w in words)
    if choice == 5:
        return sentence + " " + rng.choice(EMOJI)
    if choice == 6:
        return sentence.replace(" ", "")
    return sentence


def long_words():
    return [
        "a" * 99, "a" * 100, "a" * 101, "é" * 100, "é" * 101, "e\u0301" * 100, "ab" * 50, "ab" * 50 + "c",
        "pneumonoultramicroscopicsilicovolcanoconiosis", "Supercalifragilisticexpialidocious" * 3,
        "antidisestablishmentarianism" * 4, "x" * 500, "1234567890" * 11, "😀" * 101, "你" * 150,
        "donaudampfschifffahrtsgesellschaftskapitänswitwe", "unbelievablyunbelievable", "zzzzzzzzqqqqqqxxxx",
    ]


def long_inputs(sentences, rng):
    out = []
    for n in (30, 80, 127, 128, 200, 254, 255, 256, 300, 600):
        out.append(" ".join(rng.choice(sentences) for _ in range(max(1, n // 8)))[: n * 6])
    out.append("word " * 300)
    out.append("a " * 253 + "b c d")
    out.append("a " * 254 + "[MASK] b")
    out.append("unbelievable " * 120)
    out.append("你好" * 200)
    out.append("!" * 400)
    out.append(" ".join(SCRIPTS) * 3)
    return out


def random_strings(rng, count):
    """Characters from blocks the tokenizer treats in different ways."""
    ranges = [
        (0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x36F), (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x6FF),
        (0x900, 0x97F), (0xE00, 0xE7F), (0x1100, 0x11FF), (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x20A0, 0x20BF),
        (0x2100, 0x22FF), (0x2E00, 0x2E4F), (0x3000, 0x30FF), (0x4E00, 0x4FFF), (0xAC00, 0xAD00), (0xFF00, 0xFFEF),
        (0x1F300, 0x1F64F), (0x1F900, 0x1F9FF), (0x20000, 0x20100),
    ]
    out = []
    for _ in range(count):
        pieces = []
        for _ in range(rng.randint(1, 12)):
            lo, hi = rng.choice(ranges)
            pieces.append("".join(chr(rng.randint(lo, hi)) for _ in range(rng.randint(1, 6))))
            pieces.append(rng.choice([" ", "", "", "  ", "\t"]))
        out.append("".join(pieces))
    return out


def main():
    ensure_tokenizers()
    from tokenizers import Tokenizer

    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "tests", "data", "tokenizer_cases.json")
    clinc_path = sys.argv[2] if len(sys.argv) > 2 else CLINC150
    model_dir = os.path.join(ROOT, "target", "model")
    tokenizer = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    # Our WordPiece reads vocab.txt: it must be tokenizer.json's vocabulary, id for id.
    with open(os.path.join(model_dir, "vocab.txt"), encoding="utf-8") as f:
        vocab_txt = {line.rstrip("\n"): i for i, line in enumerate(f)}
    assert vocab_txt == tokenizer.get_vocab(with_added_tokens=True), "vocab.txt differs from tokenizer.json"
    tokenizer.no_padding()

    rng = random.Random(12)
    sentences = clinc_sentences(clinc_path, rng)
    texts = list(sentences)
    texts += [alter(s, rng) for s in rng.sample(sentences, 800)]
    texts += SCRIPTS + PUNCTUATION + EMOJI + SPECIAL + CONTROL + long_words() + long_inputs(sentences, rng)
    oddities = SCRIPTS + PUNCTUATION + EMOJI + SPECIAL + CONTROL
    texts += [f"{rng.choice(sentences)} {rng.choice(oddities)}" for _ in range(300)]
    texts += random_strings(rng, 600)

    groups = []
    for max_len in (MAX_TOKENS, 16, 3):
        # Other lengths on a subset: truncation inside words, specials, the bare minimum.
        subset = texts if max_len == MAX_TOKENS else texts[::10]
        tokenizer.enable_truncation(max_length=max_len)
        encodings = tokenizer.encode_batch(subset)
        groups.append({"max_len": max_len, "cases": [{"text": t, "ids": e.ids} for t, e in zip(subset, encodings)]})

    with open(out_path, "w", encoding="utf-8") as f:
        f.write('{"generator": "tools/gen_tokenizer_cases.py", ')
        f.write(f'"tokenizers": "{TOKENIZERS_VERSION}", "groups": [\n')
        for g, group in enumerate(groups):
            f.write(f'{{"max_len": {group["max_len"]}, "cases": [\n')
            lines = [json.dumps(case, ensure_ascii=True) for case in group["cases"]]
            f.write(",\n".join(lines))
            f.write("\n]}" + (",\n" if g + 1 < len(groups) else "\n"))
        f.write("]}\n")
    print(f"{out_path}: {sum(len(g['cases']) for g in groups)} cases")


if __name__ == "__main__":
    main()
