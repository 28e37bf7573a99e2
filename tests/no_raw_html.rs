//! The view never parses text as HTML: no `inner_html` (Leptos's escape hatch),
//! no `innerHTML`/`outerHTML`/`insertAdjacentHTML`/`document.write` through web-sys,
//! anywhere in the app's source. Every user, data and bot text reaches the DOM as a
//! text node; this keeps it that way.
use std::fs;
use std::path::Path;

const FORBIDDEN: &[&str] = &[
    "inner_html",
    "innerHTML",
    "set_outer_html",
    "outerHTML",
    "insert_adjacent_html",
    "insertAdjacentHTML",
    "document.write",
    "eval(",
];

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("rs" | "js" | "html")) {
            out.push(path);
        }
    }
}

#[test]
fn no_source_file_injects_html() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    files.push(root.join("index.html"));
    assert!(files.len() > 20, "the scan found the sources ({} files)", files.len());
    let mut found = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            for word in FORBIDDEN {
                if line.contains(word) {
                    found.push(format!("{}:{}: {word}", file.strip_prefix(root).unwrap_or(file).display(), n + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "raw HTML or eval in the app:\n{}", found.join("\n"));
}
