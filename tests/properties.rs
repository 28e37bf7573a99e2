//! Properties that must hold for any input (proptest): the matcher's bounds and
//! ordering, the CSV reader's round trip and robustness, and bots that never panic.

use chatdeck::engine::bots::{command, faq, story, support};
use chatdeck::engine::csv;
use chatdeck::engine::faq::KnowledgeBase;
use chatdeck::engine::fuzzy::{get_close_matches, ratio, Target};
use chatdeck::engine::markdown;
use chatdeck::engine::orders::{OrderBook, Orders};
use chatdeck::engine::playback::{Event, Playhead, Speed};
use chatdeck::engine::understand::Query;
use proptest::prelude::*;
use std::sync::Arc;

/// Short strings over a small alphabet (so that matches happen), with some Unicode.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(vec!['a', 'b', 'c', ' ', 'é', '😀', 'Z', ',', '"', '\n']), 0..30)
        .prop_map(|c| c.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn ratio_is_bounded_and_reflexive(a in text(), b in text()) {
        let r = ratio(&a, &b);
        prop_assert!((0.0..=1.0).contains(&r));
        prop_assert_eq!(ratio(&a, &a), 1.0);
        let (la, lb) = (a.chars().count(), b.chars().count());
        if la + lb > 0 {
            // Never above the length bound (difflib's real_quick_ratio).
            prop_assert!(r <= 2.0 * la.min(lb) as f64 / (la + lb) as f64 + 1e-12);
        }
    }

    #[test]
    fn ratio_at_least_is_ratio_behind_a_floor(a in text(), b in text(), floor in 0.0..=1.0f64) {
        // The cheap bounds may only rule out what the full ratio would rule out too.
        let r = ratio(&a, &b);
        let expected = if r >= floor { Some(r) } else { None };
        prop_assert_eq!(Target::new(&b).ratio_at_least(&a, floor), expected);
    }

    #[test]
    fn close_matches_are_possibilities_sorted_and_above_cutoff(
        word in text(), pool in prop::collection::vec(text(), 0..12), n in 1usize..5, cutoff in 0.0f64..=1.0,
    ) {
        let refs: Vec<&str> = pool.iter().map(String::as_str).collect();
        let got = get_close_matches(&word, &refs, n, cutoff);
        prop_assert!(got.len() <= n);
        let scored: Vec<(f64, &String)> = got.iter().map(|m| (ratio(m, &word), m)).collect();
        for (score, m) in &scored {
            prop_assert!(pool.contains(m));
            prop_assert!(*score >= cutoff);
        }
        for pair in scored.windows(2) {
            prop_assert!(pair[0].0 > pair[1].0 || (pair[0].0 == pair[1].0 && pair[0].1 >= pair[1].1));
        }
    }

    #[test]
    fn csv_reader_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = csv::parse(&bytes);
        let _ = KnowledgeBase::from_csv(&bytes, &[]);
        let _ = OrderBook::from_bytes(&bytes);
    }

    #[test]
    fn csv_round_trips_what_a_writer_wrote(rows in prop::collection::vec(prop::collection::vec(text(), 2..4), 1..8)) {
        let width = rows[0].len();
        let rows: Vec<Vec<String>> = rows.into_iter().filter(|r| r.len() == width).collect();
        let header: Vec<String> = (0..width).map(|i| format!("h{i}")).collect();
        let mut file = String::new();
        for row in std::iter::once(&header).chain(rows.iter()) {
            file.push_str(&row.iter().map(|f| csv::quote(f)).collect::<Vec<_>>().join(","));
            file.push_str("\r\n");
        }
        let table = csv::parse(file.as_bytes()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&table.headers, &header);
        let parsed: Vec<Vec<String>> = table.rows.into_iter().map(|r| r.fields).collect();
        prop_assert_eq!(parsed, rows);
    }

    #[test]
    fn bots_answer_anything_without_panicking(lines in prop::collection::vec(any::<String>(), 1..6)) {
        let orders = Orders::Ready(OrderBook::from_csv(b"id,status\nABC12345,Shipped\n").unwrap_or_default());
        let kb = KnowledgeBase::from_csv(b"Question,Answer\nHow do I track my order?,Use the link.\n", &[])
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let faq = faq::Faq::Ready(Arc::new(kb));
        let library = story::Library::seed();
        let (mut dialog, mut told) = (support::SupportState::default(), story::StoryState::default());
        for line in &lines {
            prop_assert_eq!(command::reply(line).messages.len(), 1);
            prop_assert!(!support::reply(&mut dialog, &orders, line).texts()[0].is_empty());
            prop_assert_eq!(story::reply(&mut told, &library, line).messages.len(), 2);
            prop_assert!(!faq::reply(&faq, &Query::text(line)).texts()[0].is_empty());
            let _ = faq::suggestions(&faq, line, 3);
            let _ = markdown::parse(line);
        }
    }

    #[test]
    fn playback_delivers_every_segment_in_order(
        texts in prop::collection::vec(text(), 1..5), ticks in prop::collection::vec(0.0f64..4000.0, 1..40), words in any::<bool>(),
    ) {
        let mut state = story::StoryState::default();
        let library = story::Library { themes: vec![], default_stories: vec![story::Story { title: "t".into(), segments: texts.iter().map(|t| format!("x{t}")).collect() }] };
        let reply = story::reply(&mut state, &library, "anything");
        let mut head = Playhead::new(&reply, words);
        let mut got = String::new();
        for tick in ticks {
            for e in head.advance(tick, Speed::Normal) {
                if let Event::Append(t) = e { got.push_str(&t); }
            }
        }
        for e in head.skip() {
            if let Event::Append(t) = e { got.push_str(&t); }
        }
        prop_assert!(head.is_done());
        prop_assert_eq!(got, reply.texts().concat());
    }
}
