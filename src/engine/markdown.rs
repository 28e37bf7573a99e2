//! The small Markdown subset the bots write (`**bold**`, `*italic*`, line breaks,
//! paragraphs, bullet lines, and backslash escapes of the markers: `\\*`, `\\-`, `\\•`,
//! `\\\\`), parsed into plain data. [`escape`] turns any text into Markdown that reads
//! back as exactly that text, so data that is not meant as Markdown (a shop's FAQ
//! answers, a customer's words) keeps its asterisks and dashes.
//!
//! The UI builds DOM nodes from this tree with text nodes only, so no text — from a
//! user, a bot or a data file — is ever interpreted as HTML: safety by construction,
//! not by escaping.

/// A run of text with its emphasis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

/// One visual line: spans shown side by side.
pub type Line = Vec<Span>;

/// A paragraph (lines separated by line breaks) or a bulleted list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(Vec<Line>),
    Bullets(Vec<Line>),
}

/// Bullet markers the bots and common Markdown use at the start of a line.
const BULLETS: [&str; 3] = ["• ", "- ", "* "];

/// Characters a backslash escapes (any other backslash is an ordinary character, so
/// a path like `C:\orders` needs no care).
const ESCAPABLE: [char; 4] = ['\\', '*', '-', '•'];

/// `text` as Markdown that [`parse`] reads back as exactly `text` (its line breaks
/// and paragraphs included). Only what would be read as markup is escaped: every `*`,
/// a `-` or `•` that starts a line, and a backslash before one of those (or at the
/// end), so ordinary text such as "3-5 days" stays as it is.
///
/// ```
/// use chatdeck::engine::markdown::{escape, plain_text};
/// let data = "- 2 * 3 = *six*\n**not bold** C:\\x • e-mail";
/// assert_eq!(plain_text(&escape(data)), data);
/// assert_eq!(escape("3-5 days"), "3-5 days");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut line_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let markup = match c {
            '*' => true,
            '-' | '•' => line_start,
            '\\' => chars.peek().is_none_or(|next| ESCAPABLE.contains(next)),
            _ => false,
        };
        if markup {
            out.push('\\');
        }
        out.push(c);
        line_start = c == '\n' || (line_start && c.is_whitespace());
    }
    out
}

/// Whether the byte at `pos` of `s` is escaped by an odd run of backslashes before it.
fn escaped(s: &str, pos: usize) -> bool {
    s.as_bytes()[..pos].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

/// Where `pat` first occurs in `s` at or after `from`, not escaped.
fn find_unescaped(s: &str, pat: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(found) = s[at..].find(pat) {
        let pos = at + found;
        if !escaped(s, pos) {
            return Some(pos);
        }
        at = pos + 1; // the pattern may start right after the escaped character
    }
    None
}

/// `s` with its escapes resolved.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&next) = chars.peek() {
                if ESCAPABLE.contains(&next) {
                    out.push(next);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// Parses `text` into blocks. Never fails: anything that is not markup is text.
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    for chunk in text.replace("\r\n", "\n").split("\n\n") {
        let mut lines: Vec<Line> = Vec::new();
        let mut bullets: Vec<Line> = Vec::new();
        for raw in chunk.split('\n') {
            if raw.trim().is_empty() {
                continue;
            }
            let trimmed = raw.trim_start();
            if let Some(item) = BULLETS.iter().find_map(|b| trimmed.strip_prefix(b)) {
                if !lines.is_empty() {
                    blocks.push(Block::Paragraph(std::mem::take(&mut lines)));
                }
                bullets.push(inline(item));
            } else {
                if !bullets.is_empty() {
                    blocks.push(Block::Bullets(std::mem::take(&mut bullets)));
                }
                lines.push(inline(raw));
            }
        }
        if !lines.is_empty() {
            blocks.push(Block::Paragraph(lines));
        }
        if !bullets.is_empty() {
            blocks.push(Block::Bullets(bullets));
        }
    }
    blocks
}

/// Inline emphasis of one line.
pub fn inline(line: &str) -> Line {
    let mut out = Vec::new();
    emphasis(line, false, false, &mut out);
    out
}

fn emphasis(s: &str, bold: bool, italic: bool, out: &mut Line) {
    let mut plain = String::new();
    let mut rest = s;
    while let Some(pos) = find_unescaped(rest, "*", 0) {
        let (before, from_star) = rest.split_at(pos);
        let strong = from_star.starts_with("**");
        let marker = if strong { "**" } else { "*" };
        let after = &from_star[marker.len()..];
        match closing(after, marker) {
            Some(end) => {
                plain.push_str(before);
                flush(&mut plain, bold, italic, out);
                let inner = &after[..end];
                if strong {
                    emphasis(inner, true, italic, out);
                } else {
                    emphasis(inner, bold, true, out);
                }
                rest = &after[end + marker.len()..];
            }
            None => {
                plain.push_str(before);
                plain.push_str(marker);
                rest = after;
            }
        }
    }
    plain.push_str(rest);
    flush(&mut plain, bold, italic, out);
}

/// Where the emphasis opened by `marker` closes: content must not start or end with
/// a space (so "2 * 3 * 4" stays text), and a lone `*` must not close on a `**`.
fn closing(after: &str, marker: &str) -> Option<usize> {
    if after.starts_with(char::is_whitespace) || after.is_empty() {
        return None;
    }
    let mut from = 0;
    while let Some(end) = find_unescaped(after, marker, from) {
        let doubled = marker == "*" && after[end..].starts_with("**");
        if end > 0 && !after[..end].ends_with(char::is_whitespace) && !doubled {
            return Some(end);
        }
        from = end + if doubled { 2 } else { marker.len() };
    }
    None
}

fn flush(plain: &mut String, bold: bool, italic: bool, out: &mut Line) {
    if !plain.is_empty() {
        out.push(Span { text: unescape(&std::mem::take(plain)), bold, italic });
    }
}

/// The text a reader sees, without markup (what the copy button copies).
pub fn plain_text(text: &str) -> String {
    parse(text)
        .iter()
        .map(|block| match block {
            Block::Paragraph(lines) => lines.iter().map(line_text).collect::<Vec<_>>().join("\n"),
            Block::Bullets(items) => items.iter().map(|l| format!("• {}", line_text(l))).collect::<Vec<_>>().join("\n"),
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn line_text(line: &Line) -> String {
    line.iter().map(|s| s.text.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str, bold: bool, italic: bool) -> Span {
        Span { text: text.into(), bold, italic }
    }

    #[test]
    fn faq_answer_with_note() {
        let blocks = parse("**Answer:** Returns within 30 days.\n\n*This answer is for: What is your return policy?*");
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph(vec![vec![
                    span("Answer:", true, false),
                    span(" Returns within 30 days.", false, false)
                ]]),
                Block::Paragraph(vec![vec![span("This answer is for: What is your return policy?", false, true)]]),
            ]
        );
    }

    #[test]
    fn seed_fallback_bullets() {
        let blocks = parse("Try these topics:\n• Shipping\n• Payment");
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph(vec![vec![span("Try these topics:", false, false)]]),
                Block::Bullets(vec![vec![span("Shipping", false, false)], vec![span("Payment", false, false)]]),
            ]
        );
    }

    #[test]
    fn unmatched_and_spaced_stars_stay_text() {
        assert_eq!(inline("2 * 3 * 4"), vec![span("2 * 3 * 4", false, false)]);
        assert_eq!(inline("**open"), vec![span("**open", false, false)]);
        assert_eq!(inline("a*b"), vec![span("a*b", false, false)]);
    }

    #[test]
    fn nested_emphasis() {
        assert_eq!(
            inline("**bold *both* bold**"),
            vec![span("bold ", true, false), span("both", true, true), span(" bold", true, false)]
        );
    }

    #[test]
    fn html_is_just_text() {
        let hostile = "<img src=x onerror=alert(1)> **<b>x</b>**";
        assert_eq!(
            inline(hostile),
            vec![span("<img src=x onerror=alert(1)> ", false, false), span("<b>x</b>", true, false)]
        );
    }

    #[test]
    fn escaped_markers_are_text() {
        assert_eq!(inline(r"\*not italic\*"), vec![span("*not italic*", false, false)]);
        assert_eq!(inline(r"**bold \*star\***"), vec![span("bold *star*", true, false)]);
        assert_eq!(parse(r"\- not a bullet"), vec![Block::Paragraph(vec![vec![span("- not a bullet", false, false)]])]);
        // A backslash before anything else is itself; an escaped backslash is one.
        assert_eq!(inline(r"C:\orders \\*x*"), vec![span(r"C:\orders \", false, false), span("x", false, true)]);
    }

    #[test]
    fn escape_round_trips_any_text() {
        for text in [
            "* a\n- b\n• c",
            "**x** *y*",
            r"a\*b\\",
            "2 * 3",
            "line\nbreak\n\nparagraph",
            "\\",
            r"a\-b",
            r"x\",
            "  - indented\n\t• tab",
        ] {
            assert_eq!(plain_text(&escape(text)), text, "{text:?}");
        }
    }

    #[test]
    fn line_breaks_inside_a_paragraph() {
        assert_eq!(
            parse("one\ntwo"),
            vec![Block::Paragraph(vec![vec![span("one", false, false)], vec![span("two", false, false)]])]
        );
        assert_eq!(plain_text("**A:** b\n\n• c"), "A: b\n\n• c");
    }
}
