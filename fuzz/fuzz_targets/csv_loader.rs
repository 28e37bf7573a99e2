//! Every loader that reads a data file a stranger may serve: the CSV parser, the
//! order book (CSV or JSON), the FAQ knowledge base and the story library.
//! Invariants beyond "no panic": a parsed table's rows start on increasing lines,
//! and a table written back with `csv::quote` parses to the same fields.
#![no_main]

use chatdeck::engine::bots::faq::SEED_TOPICS;
use chatdeck::engine::bots::story::Library;
use chatdeck::engine::csv;
use chatdeck::engine::faq::KnowledgeBase;
use chatdeck::engine::orders::OrderBook;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(table) = csv::parse(data) {
        assert!(table.rows.windows(2).all(|w| w[0].line < w[1].line), "rows out of order");
        let written: String = std::iter::once(&table.headers)
            .chain(table.rows.iter().map(|r| &r.fields))
            .map(|fields| fields.iter().map(|f| csv::quote(f)).collect::<Vec<_>>().join(",") + "\n")
            .collect();
        // Blank records are skipped when parsing, so none reach the table: all of it round-trips.
        let again = csv::parse(written.as_bytes()).expect("a written table parses");
        assert_eq!(again.headers, table.headers);
        let fields: Vec<_> = table.rows.iter().map(|r| &r.fields).collect();
        let fields_again: Vec<_> = again.rows.iter().map(|r| &r.fields).collect();
        assert_eq!(fields_again, fields);
    }
    if let Ok(orders) = OrderBook::from_bytes(data) {
        for order in orders.orders() {
            assert!(orders.find(&order.id).is_some(), "a loaded order can be found by its ID");
        }
    }
    if let Ok(kb) = KnowledgeBase::from_csv(data, &SEED_TOPICS) {
        if let Some(first) = kb.entries().first() {
            let question = first.question.clone();
            let _ = kb.lookup(&question);
            let _ = kb.suggest(&question, 5);
        }
        let _ = kb.lookup("how do I reset my password");
    }
    let _ = Library::from_json(data);
});
