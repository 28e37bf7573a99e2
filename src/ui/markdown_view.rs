//! Renders the engine's Markdown tree as DOM nodes. Text goes into text nodes
//! only, so markup inside any message is displayed, never interpreted.

use leptos::prelude::*;

use crate::engine::markdown::{parse, Block, Line, Span};

/// The rendered form of `text`.
pub fn markdown(text: &str) -> impl IntoView {
    parse(text)
        .into_iter()
        .map(|block| match block {
            Block::Paragraph(lines) => view! { <p>{lines_view(lines)}</p> }.into_any(),
            Block::Bullets(items) => view! {
                <ul>{items.into_iter().map(|item| view! { <li>{line_view(item)}</li> }).collect_view()}</ul>
            }
            .into_any(),
        })
        .collect_view()
}

fn lines_view(lines: Vec<Line>) -> Vec<AnyView> {
    let mut out = Vec::with_capacity(lines.len() * 2);
    for (i, line) in lines.into_iter().enumerate() {
        if i > 0 {
            out.push(view! { <br/> }.into_any());
        }
        out.push(line_view(line).into_any());
    }
    out
}

fn line_view(line: Line) -> impl IntoView {
    line.into_iter().map(span_view).collect_view()
}

fn span_view(span: Span) -> AnyView {
    let Span { text, bold, italic } = span;
    match (bold, italic) {
        (true, true) => view! { <strong><em>{text}</em></strong> }.into_any(),
        (true, false) => view! { <strong>{text}</strong> }.into_any(),
        (false, true) => view! { <em>{text}</em> }.into_any(),
        (false, false) => text.into_any(),
    }
}
