//! Renders the engine's Markdown tree as DOM nodes. Text goes into text nodes
//! only, so markup inside any message is displayed, never interpreted.
//!
//! The DOM follows the text as it changes: blocks, lines and spans are keyed by
//! their place (and kind), and a span's text is a reactive text node. While a story
//! streams, a new word therefore changes the text of one node (or adds one span,
//! line or block); the rest of the message, and every other message, stays as is.

use leptos::prelude::*;

use crate::engine::markdown::{parse, Block, Line, Span};

/// Where a span is in the tree: block, line of the block, span of the line.
#[derive(Clone, Copy)]
struct SpanAt {
    block: usize,
    line: usize,
    span: usize,
}

fn lines_of(block: &Block) -> &[Line] {
    match block {
        Block::Paragraph(lines) | Block::Bullets(lines) => lines,
    }
}

fn span_at(tree: &[Block], at: SpanAt) -> Option<&Span> {
    lines_of(tree.get(at.block)?).get(at.line)?.get(at.span)
}

/// The rendered form of `text`, kept up to date as it changes.
pub fn markdown(text: Signal<String>) -> impl IntoView {
    let tree = Memo::new(move |_| text.with(|t| parse(t)));
    // A block is rebuilt only when its kind at that place changes.
    let blocks =
        move || tree.with(|t| t.iter().map(|b| matches!(b, Block::Bullets(_))).enumerate().collect::<Vec<_>>());
    view! {
        <For each=blocks key=|block| *block children=move |(block, bullets)| {
            let lines = move || tree.with(|t| (0..t.get(block).map_or(0, |b| lines_of(b).len())).collect::<Vec<_>>());
            if bullets {
                view! {
                    <ul>
                        <For each=lines key=|line| *line children=move |line| view! {
                            <li>{line_view(tree, block, line)}</li>
                        }/>
                    </ul>
                }
                .into_any()
            } else {
                view! {
                    <p>
                        <For each=lines key=|line| *line children=move |line| view! {
                            {(line > 0).then(|| view! { <br/> })}
                            {line_view(tree, block, line)}
                        }/>
                    </p>
                }
                .into_any()
            }
        }/>
    }
}

fn line_view(tree: Memo<Vec<Block>>, block: usize, line: usize) -> impl IntoView {
    // A span is rebuilt only when its emphasis at that place changes.
    let spans = move || {
        tree.with(|t| {
            t.get(block)
                .and_then(|b| lines_of(b).get(line))
                .map(|spans| spans.iter().enumerate().map(|(i, s)| (i, s.bold, s.italic)).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    view! {
        <For each=spans key=|span| *span children=move |(span, bold, italic)| {
            let at = SpanAt { block, line, span };
            let text = move || tree.with(|t| span_at(t, at).map(|s| s.text.clone()).unwrap_or_default());
            match (bold, italic) {
                (true, true) => view! { <strong><em>{text}</em></strong> }.into_any(),
                (true, false) => view! { <strong>{text}</strong> }.into_any(),
                (false, true) => view! { <em>{text}</em> }.into_any(),
                (false, false) => text.into_any(),
            }
        }/>
    }
}
