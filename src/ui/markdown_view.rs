//! Renders the engine's Markdown tree as DOM nodes. Text goes into text nodes
//! only, so markup inside any message is displayed, never interpreted.
//!
//! The nodes are built with the DOM API in one plain function, not as a tree of
//! Leptos views: a view per block, line and span is generic code the download pays
//! for in every combination, for a structure that only ever grows at its end.
//!
//! The DOM follows the text as it changes. Blocks that did not change stay as they
//! are; while a story streams, a new word changes the data of the last text node
//! when it only lengthens the last span, and otherwise rebuilds the blocks from the
//! first one that differs (usually just the last paragraph).

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use web_sys::{Document, Element, Node, Text};

use crate::engine::markdown::{parse, Block, Line, Span};

/// What is on screen: the tree, and for each block its element and the text node
/// of its last span (the one a streamed word lengthens).
#[derive(Default)]
struct Rendered {
    tree: Vec<Block>,
    blocks: Vec<(Element, Option<Text>)>,
}

/// The rendered form of `text`, kept up to date as it changes.
pub fn markdown(text: Signal<String>) -> impl IntoView {
    let root = NodeRef::<leptos::html::Div>::new();
    let rendered = Rc::new(RefCell::new(Rendered::default()));
    Effect::new(move |_| {
        let tree = text.with(|t| parse(t));
        let (Some(root), Some(document)) = (root.get(), web_sys::window().and_then(|w| w.document())) else {
            return;
        };
        update(&document, &root, &mut rendered.borrow_mut(), tree);
    });
    view! { <div class="md" node_ref=root></div> }
}

fn lines_of(block: &Block) -> &[Line] {
    match block {
        Block::Paragraph(lines) | Block::Bullets(lines) => lines,
    }
}

/// Whether `new` is `old` with only its very last span's text changed.
fn only_last_text_changed(old: &[Block], new: &[Block]) -> bool {
    let (Some((old_last, old_rest)), Some((new_last, new_rest))) = (old.split_last(), new.split_last()) else {
        return false;
    };
    if old_rest != new_rest || std::mem::discriminant(old_last) != std::mem::discriminant(new_last) {
        return false;
    }
    let (old_lines, new_lines) = (lines_of(old_last), lines_of(new_last));
    let (Some((old_line, old_lines)), Some((new_line, new_lines))) = (old_lines.split_last(), new_lines.split_last())
    else {
        return false;
    };
    let (Some((old_span, old_spans)), Some((new_span, new_spans))) = (old_line.split_last(), new_line.split_last())
    else {
        return false;
    };
    old_lines == new_lines
        && old_line.len() == new_line.len()
        && old_spans == new_spans
        && (old_span.bold, old_span.italic) == (new_span.bold, new_span.italic)
}

fn update(document: &Document, root: &Element, rendered: &mut Rendered, tree: Vec<Block>) {
    if rendered.tree == tree {
        return;
    }
    if only_last_text_changed(&rendered.tree, &tree) {
        let last = tree.last().and_then(|b| lines_of(b).last()).and_then(|l| l.last());
        if let (Some(span), Some((_, Some(node)))) = (last, rendered.blocks.last()) {
            node.set_data(&span.text);
            rendered.tree = tree;
            return;
        }
    }
    let same = rendered.tree.iter().zip(&tree).take_while(|(a, b)| a == b).count();
    for (element, _) in rendered.blocks.drain(same..) {
        element.remove();
    }
    for block in &tree[same..] {
        if let Some(built) = build_block(document, block) {
            let _ = root.append_child(&built.0);
            rendered.blocks.push(built);
        }
    }
    rendered.tree = tree;
}

/// A paragraph (lines separated by `<br>`) or a list (a `<li>` per line), and the text
/// node of its last span.
fn build_block(document: &Document, block: &Block) -> Option<(Element, Option<Text>)> {
    let (tag, lines, bullets) = match block {
        Block::Paragraph(lines) => ("p", lines, false),
        Block::Bullets(lines) => ("ul", lines, true),
    };
    let element = document.create_element(tag).ok()?;
    let mut last = None;
    for (i, line) in lines.iter().enumerate() {
        let parent: Element = if bullets {
            let item = document.create_element("li").ok()?;
            element.append_child(&item).ok()?;
            item
        } else {
            if i > 0 {
                let br = document.create_element("br").ok()?;
                element.append_child(&br).ok()?;
            }
            element.clone()
        };
        for span in line {
            last = Some(append_span(document, &parent, span)?);
        }
    }
    Some((element, last))
}

/// `span`'s text in `parent`, inside `<strong>` and/or `<em>` as its emphasis says.
fn append_span(document: &Document, parent: &Element, span: &Span) -> Option<Text> {
    let mut at: Node = parent.clone().into();
    for (on, tag) in [(span.bold, "strong"), (span.italic, "em")] {
        if on {
            let wrapper = document.create_element(tag).ok()?;
            at.append_child(&wrapper).ok()?;
            at = wrapper.into();
        }
    }
    let text = document.create_text_node(&span.text);
    at.append_child(&text).ok()?;
    Some(text)
}
