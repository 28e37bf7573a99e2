//! The small Markdown subset the bots write (`**bold**`, `*italic*`, line breaks,
//! paragraphs, bullet lines), parsed into plain data.
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
    while let Some(pos) = rest.find('*') {
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
    while let Some(found) = after[from..].find(marker) {
        let end = from + found;
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
        out.push(Span { text: std::mem::take(plain), bold, italic });
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
    fn line_breaks_inside_a_paragraph() {
        assert_eq!(
            parse("one\ntwo"),
            vec![Block::Paragraph(vec![vec![span("one", false, false)], vec![span("two", false, false)]])]
        );
        assert_eq!(plain_text("**A:** b\n\n• c"), "A: b\n\n• c");
    }
}
