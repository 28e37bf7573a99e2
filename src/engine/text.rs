//! Small text helpers with Python's semantics where the seed relies on them.

/// Python's `str.isspace` for one character: Unicode White_Space plus the four
/// ASCII information separators (U+001C..U+001F) that Python also strips.
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `s.strip()` as Python does it.
pub fn python_strip(s: &str) -> &str {
    s.trim_matches(is_python_space)
}

/// `s.lower().strip()`, the seed's normalisation of user input.
pub fn seed_normalise(s: &str) -> String {
    python_strip(&s.to_lowercase()).to_string()
}

/// The words of a message, lower-cased: runs of letters and digits, with inner
/// apostrophes kept ("don't"), so that "track-it?" gives `["track", "it"]`.
pub fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            current.extend(c.to_lowercase());
        } else if (c == '\'' || c == '’') && !current.is_empty() && chars.peek().is_some_and(|n| n.is_alphanumeric())
        {
            current.push('\'');
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A size in megabytes (MiB) with one decimal, "50.0 MB", without float formatting:
/// Rust's float formatter weighs about 10 kB of wasm, for messages nobody times.
pub fn megabytes(bytes: usize) -> String {
    let tenths = (bytes as u128 * 10 + 524_288) / 1_048_576;
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_matches_python() {
        assert_eq!(python_strip("\u{1f} \t cancel \u{a0}\u{2003}\n"), "cancel");
        assert_eq!(python_strip("\u{200b}x"), "\u{200b}x"); // ZWSP is not space in Python
    }

    #[test]
    fn megabytes_round_to_one_decimal() {
        assert_eq!(megabytes(50 * 1024 * 1024), "50.0 MB");
        assert_eq!(megabytes(1_572_864), "1.5 MB");
        assert_eq!(megabytes(0), "0.0 MB");
        assert_eq!(megabytes(20 * 1024 * 1024 + 1), "20.0 MB");
    }

    #[test]
    fn words_split_on_punctuation_and_keep_contractions() {
        assert_eq!(words("Can you TRACK-it? don't…"), ["can", "you", "track", "it", "don't"]);
        assert_eq!(words("  "), Vec::<String>::new());
        assert_eq!(words("order ABC123!"), ["order", "abc123"]);
    }
}
