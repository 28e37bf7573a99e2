//! index.html draws the chat's frame before the app's code arrives (src/web/boot.rs),
//! with each bot's name and placeholder written in its script. They must be the
//! engine's, or the box would change under the visitor's eyes when the app starts.

use chatdeck::engine::bots::BOTS;

/// The `slug: ['name', 'placeholder'],` lines of index.html's `const bots = {…}`.
fn boot_table(html: &str) -> Vec<(String, String, String)> {
    let start = html.find("const bots = {").expect("index.html's boot script names the bots");
    let body = &html[start..];
    let end = body.find("};").expect("the table ends");
    body[..end]
        .lines()
        .skip(1)
        .filter_map(|line| {
            let (key, value) = line.trim().split_once(": [")?;
            let fields: Vec<&str> = value.trim_end_matches("],").split("', '").collect();
            let [name, placeholder] = fields.as_slice() else { return None };
            Some((
                key.trim_matches('\'').to_string(),
                name.trim_start_matches('\'').to_string(),
                placeholder.trim_end_matches('\'').to_string(),
            ))
        })
        .collect()
}

#[test]
fn the_page_names_every_bot_as_the_engine_does() {
    let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/index.html")).expect("index.html");
    let table = boot_table(&html);
    let expected: Vec<(String, String, String)> =
        BOTS.iter().map(|b| (b.slug.to_string(), b.name.to_string(), b.placeholder.to_string())).collect();
    assert_eq!(table, expected);
}
